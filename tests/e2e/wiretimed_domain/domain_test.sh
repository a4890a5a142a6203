#!/usr/bin/env bash
# wiretimed (kernel-socket or DPDK backend) with one server named by `domain:`. The client namespace's
# hosts file (/etc/netns/<ns>/hosts, which `ip netns exec` puts over /etc/hosts) does not know
# the name at first: the lookup fails, is reported and retried with back-off. Then the name is
# added: the daemon resolves it to chronyd's address and synchronises. The hosts file goes on
# any exit. The DPDK backend looks names up on a resolver worker thread so its control loop
# never blocks. Usage: domain_test.sh PATH/TO/wiretimed [socket|dpdk]
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed [socket|dpdk]}
backend=${2:-socket}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "d$$"
hosts_dir=/etc/netns/$WT_NS_CLI
trap 'rm -rf "$hosts_dir"; wt_lab_cleanup' EXIT
mkdir -p "$hosts_dir"
printf '127.0.0.1 localhost\n' >"$hosts_dir/hosts"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd chronyd "$WT_SERVER_IP"

name=ntp1.wiretime.test
sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 2
printf '    - domain: %s\n      minpoll: 0\n      maxpoll: 2\n' "$name" >>"$WT_DIR/wiretimed.yaml"

echo "== $backend backend, domain server $name, unknown for 3 s, then $WT_SERVER_IP; 40 s"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait 3
printf '%s %s\n' "$WT_SERVER_IP" "$name" >>"$hosts_dir/hosts"
sync_wait 37
sync_stop_daemon
sed 's/^/   | /' "$WT_DIR/wiretimed.out"
grep -q "cannot resolve $name" "$WT_DIR/wiretimed.out" || fail "the first lookup did not fail"
grep -q "resolved $name to $WT_SERVER_IP" "$WT_DIR/wiretimed.out" || fail "never resolved"
grep -Eq "synchronized to ($name|$WT_SERVER_IP)" "$WT_DIR/wiretimed.out" || fail "never synchronized"
awk -v s="$WT_SERVER_IP:123" '$3 == s && $7 == "ok" {n++} END {exit n < 5}' \
  "$WT_DIR/measurements.log" || fail "fewer than 5 accepted replies"
echo PASS

#!/usr/bin/env bash
# e2e: `ntp server physic-isolate source-interface <if> source-address <addr>` committed through
# wiretime-cli to a live daemon. DPDK: two ports, GE1/0/1 (198.18.0.2, veth 1) and GE1/0/2
# (198.18.2.2, a second veth pair); the server is enabled but listens nowhere until
#   1. `ntp server physic-isolate source-interface GE1/0/2 source-address 198.18.2.2`: a raw
#      client on GE1/0/2's link is answered at 198.18.2.2, one on GE1/0/1's link is not answered
#      at 198.18.0.2, and `display ntp statistics packet interface GE1/0/1` counts those requests
#      as "Interface disabled" (the server's `not listening`) while GE1/0/2 counts them processed;
#   2. `undo` of the line: 198.18.2.2 is not answered any more.
# Socket backend: the commit is refused with the backend's reason and nothing is saved.
# Usage: server_isolate_test.sh WIRETIMED WIRETIME_CLI dpdk|socket
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI dpdk|socket}
cli_bin=${2:?}
backend=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../wiretimed_sync/sync_lib.sh"
started=$SECONDS
ISO_IP=198.18.2.2  # GE1/0/2, the isolated address
PEER2_IP=198.18.2.1

sync_setup "i$$"
tag=$WT_TAG
vdevs="\"--vdev\", \"net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0\""
interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0"
if [ "$backend" = socket ]; then
  wt_lab_kernel_address
else
  # The second port: another veth pair between the same two namespaces.
  wt_lab_add_link "$WT_NS_SRV" "wsb$tag" "wcb$tag"
  ip -n "$WT_NS_SRV" addr add "$PEER2_IP/24" dev "wsb$tag"
  vdevs="$vdevs, \"--vdev\", \"net_af_packet1,iface=wcb$tag,qdisc_bypass=0\""
  interfaces="$interfaces
  - name: GE1/0/2
    devargs: net_af_packet1,iface=wcb$tag,qdisc_bypass=0"
fi
{
  wt_lab_wiretimed_yaml backend="$backend" vdevs="$vdevs" interfaces="$interfaces"
  cat <<YAML
  refclock-master:
    stratum: 8
  server-disable: false
  interfaces:
    - name: GE1/0/1
      ipv4-addresses: [$WT_CLIENT_IP/$WT_PREFIX_LEN]
YAML
  [ "$backend" = socket ] || cat <<YAML
    - name: GE1/0/2
      ipv4-addresses: [$ISO_IP/24]
YAML
} >"$WT_DIR/wiretimed.yaml"

echo "== $backend backend"
sync_start_daemon "$daemon" "$WT_DIR/wiretimed.yaml"
cli() { sync_cli "$@"; }
probe() { ip netns exec "$WT_NS_SRV" timeout 30 python3 "$here/../server_access/ntp_probe.py" "$@"; }
SYNC_CLI=$cli_bin
sync_wait_mgmt 120
isolate="ntp server physic-isolate source-interface GE1/0/2 source-address $ISO_IP"

if [ "$backend" = socket ]; then
  isolate="ntp server physic-isolate source-interface GE1/0/1 source-address $WT_CLIENT_IP"
  out=$(cli -c "system-view; $isolate; commit" 2>&1) && fail "the socket backend took physic-isolate"
  echo "   $(grep Error <<<"$out")"
  grep -q "^Error: Failed to commit the configuration\. .*$isolate: the socket backend cannot isolate by interface" <<<"$out" ||
    fail "unexpected refusal: $out"
  cli -c "display current-configuration" | grep -q physic-isolate && fail "the refused line was saved"
  grep -q physic-isolate "$WT_DIR/wiretimed.yaml" && fail "the refused line reached the file"
  sync_stop_daemon
  echo "PASS ($((SECONDS - started)) s)"
  exit 0
fi

# Listening nowhere yet: nothing answers.
r=$(probe "$ISO_IP" single "$PEER2_IP" 2 0.3); echo "   before, GE1/0/2: $r"
[ "$(sync_json "$r" "d['none']")" = 2 ] || fail "answered before physic-isolate: $r"

cli -c "system-view; $isolate; commit" >/dev/null || { tail -20 "$WT_DIR/wiretimed.out"; fail "commit refused"; }
grep -q "physic-isolate $ISO_IP on GE1/0/2" "$WT_DIR/wiretimed.out" || sleep 0.5
grep "physic-isolate" "$WT_DIR/wiretimed.out" | tail -1 | sed 's/^/   | /'
scoped() {  # scoped INTERFACE ROW: that row of the IPv4 block of the interface's statistics
  cli -c "display ntp statistics packet interface $1" |
    awk -v label="$2" 'index($0, label) { sub(/.*: */, ""); print; exit }'
}
disabled1=$(scoped GE1/0/1 "Interface disabled"); processed2=$(scoped GE1/0/2 "Processed")
up=0
for _ in $(seq 20); do
  r=$(probe "$ISO_IP" single "$PEER2_IP" 3 0.3)
  [ "$(sync_json "$r" "d.get('time', 0)")" = 3 ] && { up=1; break; }
  sleep 0.5
done
echo "   isolated, GE1/0/2 at $ISO_IP: $r"
[ "$up" = 1 ] || { tail -20 "$WT_DIR/wiretimed.out"; fail "the isolated address is not answered"; }
r=$(probe "$WT_CLIENT_IP" single "$WT_SERVER_IP" 3 0.3); echo "   GE1/0/1 at $WT_CLIENT_IP: $r"
[ "$(sync_json "$r" "d['none']")" = 3 ] || fail "GE1/0/1 answered: $r"
d1=$(( $(scoped GE1/0/1 "Interface disabled") - disabled1 ))
p2=$(( $(scoped GE1/0/2 "Processed") - processed2 ))
echo "   GE1/0/1 Interface disabled +$d1, GE1/0/2 Processed +$p2"
[ "$d1" -eq 3 ] || fail "GE1/0/1's requests not counted as not listening (+$d1)"
[ "$p2" -ge 3 ] || fail "GE1/0/2's answered requests not counted (+$p2)"

cli -c "system-view; undo $isolate; commit" >/dev/null || fail "undo refused"
sleep 0.5
r=$(probe "$ISO_IP" single "$PEER2_IP" 2 0.3); echo "   after undo, GE1/0/2: $r"
[ "$(sync_json "$r" "d['none']")" = 2 ] || fail "answered after undo: $r"

sync_stop_daemon
grep "server:" "$WT_DIR/wiretimed.out" | tail -2 | sed 's/^/   | /'
echo "PASS ($((SECONDS - started)) s)"

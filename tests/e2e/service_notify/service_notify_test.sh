#!/usr/bin/env bash
# systemd readiness (Type=notify) of wiretimed, once per backend: the daemon runs in the lab's
# client namespace with NOTIFY_SOCKET pointing at a datagram socket that notify_check.py
# listens on, as systemd's would. READY=1 must come only once the dataplane is up and the
# management socket answers wiretime-cli; SIGTERM must bring STOPPING=1 and exit status 0.
# Nothing (namespace, process, file) may be left behind.
#   service_notify_test.sh WIRETIMED WIRETIME_CLI
# Exit 77 (skip) without root, `ip netns` or chronyd.
set -euo pipefail
binary=${1:?usage: $0 WIRETIMED WIRETIME_CLI}
cli=${2:?usage: $0 WIRETIMED WIRETIME_CLI}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"

fail() { echo "FAIL: $*"; exit 1; }
wt_lab_setup "n$$"
wt_lab_start_chronyd

# check BACKEND READY_LOG_LINE: one daemon run under notify_check.py.
check() {
  local backend=$1 ready_line=$2 config=$WT_DIR/$1.yaml
  {
    wt_lab_wiretimed_yaml backend="$backend" idle=20
    printf '  unicast-servers:\n    - address: %s\n      minpoll: 0\n' "$WT_SERVER_IP"
  } >"$config"
  echo "== $backend backend"
  python3 "$here/notify_check.py" "$WT_DIR/notify-$backend" "$WT_DIR/$backend.sock" \
    "$WT_DIR/$backend.log" "$cli" "$ready_line" -- \
    ip netns exec "$WT_NS_CLI" "$binary" --config "$config" --mgmt-socket "$WT_DIR/$backend.sock" ||
    fail "$backend backend"
}

if [ "${WIRETIME_WITH_DPDK:-1}" = 1 ]; then
  check dpdk "dataplane on lcore"
fi
# The socket backend binds a kernel socket: the kernel owns the client address then.
wt_lab_kernel_address
check socket "kernel socket on"

tag_dir=$WT_DIR
wt_lab_cleanup
left=$(WT_DIR=$tag_dir wt_lab_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"

#!/usr/bin/env bash
# e2e b: three servers, two chronyd and a scripted responder 10 ms off. The falseticker is
# rejected with its reason in the daemon's log, and the virtual clock (started +5 ms, +20 ppm)
# meets the limits of e2e a. Usage: falseticker_test.sh WIRETIMED dpdk|socket
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed dpdk|socket}
backend=${2:-dpdk}
source "$(dirname "$0")/sync_lib.sh"

second=198.18.0.3
bad=198.18.0.4
sync_setup "b$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_add_server_address "$second"
sync_add_server_address "$bad"
sync_start_chronyd chronyd1 "$WT_SERVER_IP"
sync_start_chronyd chronyd2 "$second"
sync_start_falseticker "$bad" 0.010
sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 2 "$WT_SERVER_IP" "$second" "$bad"
echo "== $backend backend, servers $WT_SERVER_IP and $second (chronyd), $bad (10 ms off), 100 s"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait 100
sync_stop_daemon
sync_show
grep -q "warning: source $bad: falseticker" "$WT_DIR/wiretimed.out" ||
  fail "the 10 ms falseticker was not reported as such"
# Never used: not the system peer, not selected, not synchronized to.
! grep -qE "source $bad: (system peer|selected)" "$WT_DIR/wiretimed.out" ||
  fail "the falseticker was used"
! grep -q "synchronized to $bad" "$WT_DIR/wiretimed.out" || fail "synchronized to the falseticker"
sync_check --steady-limit "$(sync_steady_limit "$backend")" || fail "accuracy limits"
echo PASS

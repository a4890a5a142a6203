#!/usr/bin/env bash
# e2e a (DPDK) / i (kernel sockets): wiretimed with its virtual clock started +5 ms and +20 ppm
# off disciplines it against one chronyd across a veth pair; the host CLOCK_REALTIME is the
# truth. |error| < 100 us within 60 s, then below sync_steady_limit (20 us) for the rest of the
# 100 s run, in interleaved mode (and with the kernel's stamps on DPDK's net_af_packet); SIGTERM
# gives a clean exit and the lab is torn down. Usage: one_server_test.sh WIRETIMED dpdk|socket
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed dpdk|socket}
backend=${2:-dpdk}
source "$(dirname "$0")/sync_lib.sh"

sync_setup "a$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd chronyd "$WT_SERVER_IP"
sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 2 "$WT_SERVER_IP"
echo "== $backend backend, one chronyd server, 100 s"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait 100
sync_stop_daemon
sync_show
grep -q "synchronized to $WT_SERVER_IP" "$WT_DIR/wiretimed.out" || fail "never synchronized"
sync_check_stamps "$backend" "$WT_SERVER_IP"
sync_check --steady-limit "$(sync_steady_limit "$backend")" || fail "accuracy limits"
echo PASS

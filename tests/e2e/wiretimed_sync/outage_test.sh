#!/usr/bin/env bash
# e2e c: the only server is killed once the daemon is synchronized: the source's reach decays
# to unreachable and the daemon reports itself unsynchronized after the timeout; the server
# comes back and the daemon re-synchronizes. The daemon never stops, and SIGTERM still gives a
# clean exit. Polls 1..2 s so the reach register (8 polls) empties in seconds.
# Usage: outage_test.sh WIRETIMED dpdk|socket
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed dpdk|socket}
backend=${2:-dpdk}
source "$(dirname "$0")/sync_lib.sh"

# wait_for PATTERN SECONDS [COUNT]: the daemon's output shows PATTERN (COUNT times) in time.
wait_for() {
  local end=$((SECONDS + $2)) want=${3:-1}
  while [ $SECONDS -lt $end ]; do
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
    [ "$(grep -c -- "$1" "$WT_DIR/wiretimed.out" || true)" -ge "$want" ] && return 0
    sleep 0.5
  done
  sync_show
  fail "no '$1' (x$want) within $2 s"
}

sync_setup "c$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd chronyd "$WT_SERVER_IP"
server_pid=$SYNC_PID
sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 1 "$WT_SERVER_IP"
echo "== $backend backend: synchronize, lose the server, get it back"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
wait_for "synchronized to $WT_SERVER_IP" 40
t0=$SECONDS
echo "   synchronized; killing chronyd"
kill -KILL "$server_pid"
wait "$server_pid" 2>/dev/null || true
wait_for "source $WT_SERVER_IP: unreachable" 60
wait_for "warning: unsynchronized" 90
echo "   unreachable and unsynchronized $((SECONDS - t0)) s after the outage; restarting chronyd"
t1=$SECONDS
sync_start_chronyd chronyd "$WT_SERVER_IP"
wait_for "synchronized to $WT_SERVER_IP" 60 2
echo "   re-synchronized $((SECONDS - t1)) s after the server returned"
sync_wait 5
sync_stop_daemon
sync_show
echo PASS

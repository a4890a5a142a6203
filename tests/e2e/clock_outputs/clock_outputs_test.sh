#!/usr/bin/env bash
# wiretimed (DPDK, virtual clock started +5 ms and +20 ppm off) synchronises to a lab chronyd;
# the host's CLOCK_REALTIME is the truth. Checked for 100 s:
#  - wiretime-now (the installed C reader) reads the shared-memory clock: once synchronised,
#    every reading's interval contains CLOCK_REALTIME (read around it), and the status is
#    synchronised from the first update on;
#  - a second chronyd -x (own config, pidfile and command socket, no NTP port) with
#    `refclock SOCK` fed by clock.chrony-sock selects the refclock (`#*` in chronyc sources)
#    and, once wiretimed is steady (after 60 s), reports its offset under 20 us.
# Usage: clock_outputs_test.sh WIRETIMED WIRETIME-NOW
set -euo pipefail
binary=${1:?usage: $0 WIRETIMED WIRETIME-NOW}
now_tool=${2:?usage: $0 WIRETIMED WIRETIME-NOW}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "o$$"
sync_start_chronyd chronyd "$WT_SERVER_IP"
sync_write_config "$WT_DIR/wiretimed.yaml" dpdk 0 2 "$WT_SERVER_IP"
# The outputs under test, in the `clock:` section.
sed -i "s|^clock:\$|clock:\n  shm-path: $WT_DIR/clock.shm\n  chrony-sock: $WT_DIR/refclock.sock|" \
  "$WT_DIR/wiretimed.yaml"

# The follower: chronyd -x with only the refclock, its command socket in the lab directory.
cat >"$WT_DIR/follower.conf" <<CONF
refclock SOCK $WT_DIR/refclock.sock refid WT poll 2 precision 1e-7
port 0
cmdport 0
bindcmdaddress $WT_DIR/follower-cmd.sock
pidfile $WT_DIR/follower.pid
driftfile $WT_DIR/follower.drift
CONF
ip netns exec "$WT_NS_CLI" chronyd -f "$WT_DIR/follower.conf" -u root -x -d \
  >"$WT_DIR/follower.log" 2>&1 &
WT_PIDS+=($!)
for i in $(seq 50); do [ -S "$WT_DIR/refclock.sock" ] && break; sleep 0.1; done
[ -S "$WT_DIR/refclock.sock" ] || { cat "$WT_DIR/follower.log"; fail "follower chronyd did not start"; }

echo "== wiretimed with clock.shm-path and clock.chrony-sock, 100 s"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
start=$SECONDS
readings=0 synced=0 outside=0 selected=0 steady_sources=0 worst_ref=0
: >"$WT_DIR/now.log"
: >"$WT_DIR/sources.log"
while [ $((SECONDS - start)) -lt 100 ]; do
  kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
  if [ -e "$WT_DIR/clock.shm" ]; then
    line=$("$now_tool" --json --realtime --path "$WT_DIR/clock.shm") || fail "wiretime-now failed"
    echo "$((SECONDS - start)) $line" >>"$WT_DIR/now.log"
    readings=$((readings + 1))
    if grep -q '"status": "synchronised"' <<<"$line"; then
      synced=$((synced + 1))
      grep -q '"realtime_inside": true' <<<"$line" || outside=$((outside + 1))
    fi
  fi
  src=$(chronyc -h "$WT_DIR/follower-cmd.sock" -c -n sources 2>&1 | grep '^#' || true)
  echo "$((SECONDS - start)) $src" >>"$WT_DIR/sources.log"
  # CSV: mode,state,name,stratum,poll,reach,last rx,offset,measured offset,error.
  if [ "$(cut -d, -f2 <<<"$src")" = "*" ]; then
    selected=$((selected + 1))
    if [ $((SECONDS - start)) -ge 60 ]; then
      steady_sources=$((steady_sources + 1))
      worst_ref=$(python3 -c "import sys; print(max(abs(float(sys.argv[1])), float(sys.argv[2])))" \
        "$(cut -d, -f9 <<<"$src")" "$worst_ref")
    fi
  fi
  sleep 1
done
sync_stop_daemon
sync_show
echo "   wiretime-now (last 3):"; tail -3 "$WT_DIR/now.log" | sed 's/^/   | /'
echo "   follower chronyc sources (last 3):"; tail -3 "$WT_DIR/sources.log" | sed 's/^/   | /'
echo "   readings $readings, synchronised $synced, CLOCK_REALTIME outside the interval $outside"
echo "   follower: refclock selected in $selected polls, $steady_sources after 60 s, worst |offset| $worst_ref s"
grep -q "synchronized to $WT_SERVER_IP" "$WT_DIR/wiretimed.out" || fail "never synchronized"
[ "$synced" -ge 20 ] || fail "only $synced synchronised readings"
[ "$outside" = 0 ] || fail "$outside readings did not contain CLOCK_REALTIME"
[ "$steady_sources" -ge 10 ] || fail "the follower selected the refclock in only $steady_sources steady polls"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 20e-6 else 1)" "$worst_ref" ||
  fail "the follower's offset to the refclock reached $worst_ref s"
echo PASS

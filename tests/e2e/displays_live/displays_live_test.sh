#!/usr/bin/env bash
# The maintenance displays (spec section 7) fed from a live wiretimed. The server namespace
# holds a two-level chain: chronyd "top" (local stratum 1) on 198.18.0.3 and chronyd "mid" on
# 198.18.0.1 synchronised to it (stratum 2, -x: neither touches the host clock); wiretimed
# polls "mid" every second. Checks, once wiretimed follows "mid":
#   - `display ntp statistics packet`: IPv4 and IPv6 blocks, IPv4 Sent/Received/Processed grow
#     with traffic; `reset ntp statistics packet` brings them back to (at most one poll of) 0;
#   - `display ntp trace`: this host (stratum 3), then mid (stratum 2), then top (stratum 1)
#     and its refid, each hop one query through the daemon's transport;
#   - `display ntp sessions verbose`: peer mode, version, interface, timestamps and filter
#     values from the exchange, not placeholders;
#   - `display ntp event clock-unsync`: answers, with no event while wiretimed stays synced;
#   - `display interface brief`: the port up/up, as the live backend (DPDK link, kernel sysfs) sees it.
# Usage: displays_live_test.sh WIRETIMED WIRETIME_CLI socket|dpdk
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI socket|dpdk}
cli_bin=${2:?}
backend=${3:?}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
TOP_IP=198.18.0.3

sync_setup "d$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_add_server_address "$TOP_IP"
wt_lab_chronyd top "$TOP_IP" || fail "chronyd top did not start"

# "mid": a client of top and a server for wiretimed, polling top 4 times a second.
cat >"$WT_DIR/mid.conf" <<CONF
server $TOP_IP iburst minpoll -2 maxpoll -2
allow 198.18.0.0/15
port 123
bindaddress $WT_SERVER_IP
bindacqaddress $WT_SERVER_IP
cmdport 0
pidfile $WT_DIR/mid.pid
driftfile $WT_DIR/mid.drift
CONF
ip netns exec "$WT_NS_SRV" chronyd -f "$WT_DIR/mid.conf" -u root -x -d >"$WT_DIR/mid.log" 2>&1 &
WT_PIDS+=($!)

sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 0 "$WT_SERVER_IP"
sync_start_daemon "$daemon" "$WT_DIR/wiretimed.yaml"
sock=$WT_DIR/wiretimed.sock
cli() { "$cli_bin" --socket "$sock" "$@"; }

# field TEXT BLOCK LABEL: the value of LABEL in the IPv4 or IPv6 block of the statistics.
field() {
  awk -v block="$2" -v label="$3" '
    /Packet Statistical Information/ { in_block = index($0, "NTP " block " ") > 0 }
    in_block { line = $0; sub(/^ +/, "", line)
               if (index(line, label " ") == 1 || index(line, label ":") == 1) {
                 sub(/.*: */, "", line); print line; exit } }' <<<"$1"
}

echo "== $backend backend: wiretimed follows mid (stratum 2)"
end=$((SECONDS + 40))
sessions=
while [ $SECONDS -lt $end ]; do
  kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
  sessions=$(cli -c "display ntp sessions" 2>/dev/null || true)
  grep -q "clock status: .*master" <<<"$sessions" && grep -q "clock stratum: 2" <<<"$sessions" && break
  sleep 1
done
grep -q "master" <<<"$sessions" || { echo "$sessions"; cat "$WT_DIR/mid.log"; sync_show; fail "mid never became master"; }
echo "   master after $((40 - end + SECONDS)) s"

echo "== display interface brief: the live backend's port"
brief=$(cli -c "display interface brief")
echo "$brief" | tail -2 | sed 's/^/   | /'
grep -qE "^GE1/0/1 +up +up " <<<"$brief" || fail "GE1/0/1 is not up/up: $brief"

echo "== display ntp statistics packet: both families, counters grow"
s1=$(cli -c "display ntp statistics packet")
grep -q "NTP IPv4 Packet Statistical Information" <<<"$s1" || fail "no IPv4 block: $s1"
grep -q "NTP IPv6 Packet Statistical Information" <<<"$s1" || fail "no IPv6 block: $s1"
sleep 3
s2=$(cli -c "display ntp statistics packet")
for label in Sent Received Processed; do
  a=$(field "$s1" IPv4 "$label") b=$(field "$s2" IPv4 "$label")
  echo "   IPv4 $label: $a -> $b"
  [ -n "$a" ] && [ -n "$b" ] && [ "$b" -ge $((a + 2)) ] || fail "IPv4 $label did not grow: $a -> $b"
done
[ "$(field "$s2" IPv6 Sent)" = 0 ] || fail "IPv6 block counts IPv4 traffic"

echo "== reset ntp statistics packet (user view)"
s3=$(cli -c "reset ntp statistics packet; display ntp statistics packet")
for label in Sent Received Processed Dropped; do
  v=$(field "$s3" IPv4 "$label")
  echo "   IPv4 $label after reset: $v"
  # A poll may fall between the two commands (one a second): at most one exchange.
  [ -n "$v" ] && [ "$v" -le 1 ] || fail "IPv4 $label is '$v' after the reset"
done
sleep 2
s4=$(cli -c "display ntp statistics packet")
[ "$(field "$s4" IPv4 Sent)" -ge 1 ] || fail "counting stopped after the reset"

echo "== display ntp trace: two hops up to the stratum-1 server"
start=$SECONDS
trace=$(cli -c "display ntp trace")
echo "$trace" | sed 's/^/   | /'
echo "   (answered in $((SECONDS - start)) s)"
grep -q "^server 127.0.0.1, stratum 3, offset " <<<"$trace" || fail "no line for this host"
grep -q "^server $WT_SERVER_IP, stratum 2, offset -\{0,1\}[0-9.]* s, synch distance " <<<"$trace" ||
  fail "no hop for mid"
grep -q "^server $TOP_IP, stratum 1, offset " <<<"$trace" || fail "no hop for top"
[ "$(tail -1 <<<"$trace")" = "refid 127.127.1.1" ] || fail "the walk did not end with top's refid"

echo "== display ntp sessions verbose: live fields"
verbose=$(cli -c "display ntp sessions verbose")
echo "$verbose" | sed 's/^/   | /'
grep -q " peer mode: server, peer poll: " <<<"$verbose" || fail "peer mode"
grep -q " version: 4, peer interface: GE1/0/1$" <<<"$verbose" || { head -5 "$WT_DIR/wiretimed.out"; fail "version / peer interface"; }
grep -q " sync state: 4$" <<<"$verbose" || fail "sync state"
for t in reftime orgtime rcvtime xmttime; do
  line=$(grep " $t: " <<<"$verbose")
  grep -q "1900\|00000000.00000000" <<<"$line" && fail "$t is not set: $line"
done
grep " filter delay :" <<<"$verbose" | grep -q "[1-9]" || fail "filter delays all zero"
grep -q " root delay: .* root disper: " <<<"$verbose" || fail "root delay / dispersion"

echo "== display ntp event clock-unsync: answered live, no loss while following mid"
unsync=$(cli -c "display ntp event clock-unsync")
echo "$unsync" | sed 's/^/   | /'
grep -q "^ No clock unsynchronization event\.$" <<<"$unsync" || fail "clock-unsync before any loss"

head -5 "$WT_DIR/wiretimed.out"; sync_stop_daemon
echo PASS

#!/usr/bin/env bash
# Committed settings seen on the wire (issue 10 item 4). wiretimed starts polling a server on
# port 123 where nothing answers; chronyd -x in the server namespace answers on port 5000 only.
#   1. commit `ntp unicast-server S port 5000 version 3 ...` and `ntp source-port 4000`: the
#      requests (captured in the server namespace) go to 5000 from 4000 as NTPv3, the replies
#      are taken (reach > 0, `display ntp sessions verbose` shows version 3) - on DPDK this is
#      a port the lcore did not decode at start-up;
#   2. commit `ntp disable`: no request leaves, the server line stays in the configuration;
#   3. commit `undo ntp disable`: the requests come back.
# Usage: settings_wire_test.sh WIRETIMED WIRETIME_CLI socket|dpdk
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI socket|dpdk}
SYNC_CLI=${2:?}
backend=${3:?}
command -v tshark >/dev/null || { echo "SKIP: tshark missing"; exit 77; }
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "s$$"
[ "$backend" = socket ] && wt_lab_kernel_address
cat >"$WT_DIR/five.conf" <<CONF
local stratum 1
allow 198.18.0.0/15
port 5000
bindaddress $WT_SERVER_IP
cmdport 0
pidfile $WT_DIR/five.pid
driftfile $WT_DIR/five.drift
CONF
ip netns exec "$WT_NS_SRV" chronyd -f "$WT_DIR/five.conf" -u root -x -d >"$WT_DIR/five.log" 2>&1 &
WT_PIDS+=($!)

sync_write_config "$WT_DIR/wiretimed.yaml" "$backend" 0 0 "$WT_SERVER_IP"
sync_start_daemon "$daemon" "$WT_DIR/wiretimed.yaml"
cli() { sync_cli "$@"; }
# Under load the EAL alone can take a minute to start.
sync_wait_mgmt 150

# capture SECONDS: "srcport dstport version mode" of each NTP request the server side saw.
capture() {
  ip netns exec "$WT_NS_SRV" tshark -q -i "$WT_VETH_SRV" -a "duration:$1" -w "$WT_DIR/c.pcap" \
    -f "udp and src host $WT_CLIENT_IP" >/dev/null 2>&1 || true
  tshark -r "$WT_DIR/c.pcap" -d udp.port==5000,ntp -d udp.port==4000,ntp -Y "ntp.flags.mode == 3" \
    -T fields -e udp.srcport -e udp.dstport -e ntp.flags.vn -e ntp.flags.mode 2>/dev/null || true
}
reach() { sync_reach "$WT_SERVER_IP"; }

echo "== $backend: port 5000, source-port 4000, version 3 by commit"
cli -c "system-view; ntp unicast-server $WT_SERVER_IP port 5000 version 3 minpoll 3 iburst; ntp source-port 4000; commit" ||
  fail "commit refused"
seen=$(capture 6)
echo "$seen" | sort | uniq -c | sed 's/^/   /'
[ -n "$seen" ] || { sync_show; fail "no request captured"; }
bad=$(awk '$1 != 4000 || $2 != 5000 || $3 != 3' <<<"$seen")
[ -z "$bad" ] || fail "requests not 4000 -> 5000 NTPv3: $bad"
end=$((SECONDS + 20)) r=0
while [ $SECONDS -lt $end ]; do
  r=$(reach); [ "${r:-0}" -gt 0 ] && break
  sleep 1
done
[ "${r:-0}" -gt 0 ] || { tail -20 "$WT_DIR/wiretimed.out"; fail "replies from port 5000 not taken (reach $r)"; }
echo "   reach $r"
cli -c "display ntp sessions verbose" | grep -q " version: 3, " || fail "sessions verbose does not show version 3"

echo "== $backend: ntp disable stops polling, keeps the configuration"
cli -c "system-view; ntp disable; commit" || fail "commit refused"
sleep 1
seen=$(capture 5)
[ -z "$seen" ] || fail "requests while disabled: $seen"
cli -c "display current-configuration" | grep -q "ntp unicast-server $WT_SERVER_IP .*port 5000" ||
  fail "the server line is gone"

echo "== $backend: undo ntp disable polls again"
cli -c "system-view; undo ntp disable; commit" || fail "commit refused"
seen=$(capture 5)
[ -n "$seen" ] || fail "no request after undo ntp disable"
echo "   $(wc -l <<<"$seen") requests"

sync_stop_daemon
echo PASS

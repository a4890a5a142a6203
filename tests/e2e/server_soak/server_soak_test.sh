#!/usr/bin/env bash
# e2e soak (issue 9, 8e): the project's load generator (bench/loadgen) sends NTP client requests
# at a fixed high rate for DURATION seconds to wiretimed's DPDK server (net_af_packet on the lab
# veth, `ntp refclock-master 8`, so no upstream is needed); every 10th request has version 5,
# which a server must not answer. Asserted:
#   - wiretimed stays up all along and exits cleanly on SIGTERM;
#   - its RSS is flat: sampled every 5 s, the growth from the first sample after warm-up (10 s)
#     to the end stays under 1 MiB (start/end/max printed);
#   - every request is in exactly one counter: requests offered (generator sent minus its send
#     errors) = frames the server's veth received + the generator veth's TX drops; of those,
#     what the dataplane received = served + bad version + every other drop it counts (its
#     `rx N accounted N` must match), and the rest (received by the link, never by the lcore)
#     is what the PMD's packet ring dropped: net_af_packet on DPDK 22.11 does not report it
#     (imissed 0), so it is derived and printed (not a wiretime counter); the generator's version-5
#     requests = wiretimed's bad-version drops when the ring dropped nothing; replies received
#     + the generator socket's drops + the return veth's drops = served.
# Priority: like bench/server_veth, wiretimed and the generator at the lab's real-time priority,
# the lcore napping 30 us when idle (a 5 us nap on this VM keeps the lcore near 100 % of its CPU,
# and the kernel's real-time throttling then stops it 50 ms in every second).
# Usage: server_soak_test.sh WIRETIMED WT_LOADGEN [DURATION_S [RATE]]. Default 60 s at 50000/s
# (CI, 75-95 s in all); docs/benchmarks.md has the 10-minute run. Exit 77 without root, `ip netns`,
# chronyd (the lab library's check) or 2 CPUs.
set -euo pipefail
binary=${1:?usage: $0 WIRETIMED WT_LOADGEN [DURATION_S [RATE]]}
loadgen=${2:?usage: $0 WIRETIMED WT_LOADGEN [DURATION_S [RATE]]}
duration=${3:-60}
rate=${4:-50000}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
[ "$(nproc)" -ge 2 ] || { echo "SKIP: needs 2 CPUs (generator and lcore apart)"; exit 77; }
sync_setup "k$$"
trap 'wt_lab_cleanup; rm -rf "/var/run/dpdk/wt-$WT_TAG"' EXIT
# The generator owns 198.18.0.1 alone (raw frames): its namespace's kernel must not take the
# replies too.
ip -n "$WT_NS_SRV" addr flush dev "$WT_VETH_SRV"
srv_mac=$(ip netns exec "$WT_NS_CLI" cat "/sys/class/net/$WT_VETH_CLI/address")

{
  wt_lab_wiretimed_yaml idle=30
  printf '  server-disable: false\n  server-source-interfaces: [GE1/0/1]\n  refclock-master: {stratum: 8}\n'
} >"$WT_DIR/wiretimed.yaml"
echo "== DPDK server soak: $rate requests/s for $duration s (every 10th version 5)"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
for _ in $(seq 120); do
  grep -q "server: IPv4 enabled, listening on GE1/0/1" "$WT_DIR/wiretimed.out" && break
  kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
  sleep 0.5
done
grep -q "server: IPv4 enabled, listening on GE1/0/1" "$WT_DIR/wiretimed.out" || fail "server not listening"
sleep 2
# wiretimed itself (wt_lab_spawn started `ip netns exec`, which execs it: same pid).
pid=$SYNC_DAEMON_PID
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
# link_stat DEV NS DIR FIELD: the kernel's counter (e.g. rx packets) of a lab link.
link_stat() {
  ip -n "$2" -s -j link show dev "$1" |
    python3 -c "import json,sys; print(json.load(sys.stdin)[0]['stats64']['$3']['$4'])"
}
fwd_drops0=$(link_stat "$WT_VETH_SRV" "$WT_NS_SRV" tx dropped)
ret_drops0=$(link_stat "$WT_VETH_CLI" "$WT_NS_CLI" tx dropped)
arrived0=$(link_stat "$WT_VETH_CLI" "$WT_NS_CLI" rx packets)
rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"

ip netns exec "$WT_NS_SRV" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" "$loadgen" gen \
  --iface "$WT_VETH_SRV" --dst-mac "$srv_mac" --src-ip 198.18.0.1 --dst-ip "$WT_CLIENT_IP" \
  --rates "$rate" --duration "$duration" --bad-every 10 --drain-ms 500 >"$WT_DIR/gen.json" &
gen_pid=$!
WT_PIDS+=("$gen_pid")
samples=()
start=$SECONDS
# Bounded: the generator's duration plus a minute of grace.
while kill -0 "$gen_pid" 2>/dev/null && [ $((SECONDS - start)) -lt $((duration + 60)) ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed died under load"; }
  [ $((SECONDS - start)) -ge 10 ] && samples+=("$(rss_kib)")
  sleep 5
done
wait "$gen_pid" || fail "the generator failed"
kill -0 "$pid" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed died under load"; }
samples+=("$(rss_kib)")
fwd_drops=$(($(link_stat "$WT_VETH_SRV" "$WT_NS_SRV" tx dropped) - fwd_drops0))
ret_drops=$(($(link_stat "$WT_VETH_CLI" "$WT_NS_CLI" tx dropped) - ret_drops0))
arrived=$(($(link_stat "$WT_VETH_CLI" "$WT_NS_CLI" rx packets) - arrived0))
# The PMD's own count of frames its ring could not take (net_af_packet: the socket's drops).
imissed=0
if command -v dpdk-telemetry.py >/dev/null; then
  imissed=$(echo "/ethdev/stats,0" | timeout 20 dpdk-telemetry.py -f "wt-$WT_TAG" 2>/dev/null |
    python3 -c 'import json,sys
t=sys.stdin.read(); o=json.loads(t[t.find("{"):t.rfind("}")+1]); print(o["/ethdev/stats"]["imissed"])' || echo 0)
fi
sync_stop_daemon
cat "$WT_DIR/gen.json" | sed 's/^/   gen | /'
grep -E "server|dataplane" "$WT_DIR/wiretimed.out" | sed 's/^/   | /'
echo "   RSS (KiB) every 5 s from 10 s on: ${samples[*]}"

python3 - "$WT_DIR/gen.json" "$WT_DIR/wiretimed.out" "$fwd_drops" "$ret_drops" "$imissed" "$arrived" \
  "${samples[@]}" <<'PY' || fail "soak accounting"
import json, re, sys
gen = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
log = open(sys.argv[2]).read()
fwd, ret, imissed, arrived = (int(x) for x in sys.argv[3:7])
rss = [int(x) for x in sys.argv[7:]]
line = [l for l in log.splitlines() if "server: " in l and ("served" in l or "no requests" in l)][-1]
outcomes = {k.strip(): int(v) for k, v in re.findall(r"([a-z][a-z ()]*?) (\d+);", line.split("server:", 1)[1])}
served = outcomes.get("served basic", 0) + outcomes.get("served interleaved", 0)
others = sum(v for k, v in outcomes.items() if k not in ("served basic", "served interleaved"))
# The dataplane's drops before the server stage (a version-5 request fails the NTP decode).
drops = {k: int(v) for k, v in re.findall(r"dataplane (?:decode )?drop '([^']*)': (\d+)", log)}
bad = drops.get("bad NTP version", 0)
m = re.search(r"dataplane: rx (\d+) accounted (\d+)", log)
rx, accounted = (int(m.group(1)), int(m.group(2))) if m else (-1, -2)
offered = gen["sent"] - gen["send_errors"]
ring = arrived - rx
ok = True
def check(cond, text):
    global ok
    print(("   ok   " if cond else "   FAIL ") + text)
    ok = ok and cond
print(f"   offered {offered} (version 5: {gen['bad_version']}); the server's link received {arrived}, "
      f"the generator's veth dropped {fwd}; the dataplane received {rx}: served {served}, other "
      f"server outcomes {others}, dataplane drops {drops}; PMD imissed {imissed}")
check(offered == arrived + fwd, f"offered {offered} = received by the server's link {arrived} + veth drops {fwd}")
check(rx == accounted, f"the dataplane accounted for every frame it received ({rx} = {accounted})")
# A request to our address that fails the NTP decode (version 5) is a dataplane decode drop (the
# frame's RX outcome) and the server's `malformed` (the request's outcome): one each per view.
malformed = outcomes.get("malformed", 0)
check(malformed == bad, f"every undecodable request is the server's malformed ({malformed} = {bad})")
check(rx == served + others + sum(drops.values()) - malformed,
      f"received {rx} = served {served} + other server outcomes {others} + dataplane drops "
      f"{sum(drops.values())} - those that were requests {malformed}")
# The ring's share depends on how much CPU the lcore gets on this shared machine (32 % in a
# 10-minute run under a load average of 20): reported, and only bounded loosely (the server
# must have kept answering), since it says more about the machine than about wiretime.
print(f"   the packet ring dropped {ring} ({ring / max(offered, 1) * 100:.3f} %) before the lcore saw them")
check(ring >= 0, "the link delivered at least what the dataplane received")
check(served * 10 >= offered, f"served {served} of {offered}: the server kept answering (>= 10 %)")
check(bad == gen["bad_version"] if ring + fwd == 0 else bad <= gen["bad_version"],
      f"generator's version-5 requests {gen['bad_version']} -> dataplane's bad version {bad}")
check(gen["answered"] + gen["rx_socket_drops"] + ret == served,
      f"replies received {gen['answered']} + generator socket drops {gen['rx_socket_drops']} + "
      f"return veth drops {ret} = served {served}")
growth = rss[-1] - rss[0]
print(f"   RSS start {rss[0]} KiB, end {rss[-1]} KiB, max {max(rss)} KiB, growth {growth} KiB")
check(len(rss) >= 2 and max(rss) - rss[0] < 1024, "RSS grew by less than 1 MiB after warm-up")
sys.exit(0 if ok else 1)
PY
echo PASS

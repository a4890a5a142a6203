#!/usr/bin/env bash
# Measurement-noise benchmark (issue 4 item 9), root only, not a ctest test.
#
# One chronyd server (local stratum 1, -x) in a namespace with two veth links:
#   link 1: wiretimed on DPDK net_af_packet, 198.18.0.2 (no kernel address on its end);
#   link 2: a chronyd client (-x, `log rawmeasurements`) in its own namespace, 198.18.1.2,
#           routed to the server's 198.18.0.1 over its own veth.
# Both poll the server every 2^minpoll s for the same period, at the same time. Both clocks are
# the host's CLOCK_REALTIME (wiretimed's virtual clock with test-initial-offset-ns 0), so the
# true offset is 0. The summary (summarise_noise.py) gives mean and standard deviation of the raw
# offset samples and the median delay side by side, with the ratios.
#
# --interleaved puts both clients in interleaved mode (wiretimed `interleaved: true`, chronyd
# `xleave`): the server then reports its true transmit time; otherwise both use basic mode.
#
# Usage: bench/noise/run_noise_bench.sh [--duration S] [--minpoll N] [--binary PATH]
#          [--idle-sleep-us US] [--skip N] [--keep DIR] [--interleaved]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=120 minpoll=0 idle_sleep_us=0 skip=3 keep= interleaved=0
binary=$repo/build/release/control/daemon/wiretimed
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --minpoll) minpoll=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --idle-sleep-us) idle_sleep_us=$2; shift 2 ;;
    --skip) skip=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --interleaved) interleaved=1; shift ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "no wiretimed at $binary (build it, or pass --binary)" >&2; exit 2; }

# Real-time priority (for wiretimed and both chronyds alike) only when the lcore naps: a
# spinning SCHED_FIFO lcore starves the kernel's own work on its CPU (ksoftirqd, kworkers)
# until RT throttling steps in, which shows up as 100+ us outliers (measured: std dev 49 us
# instead of 8 us).
[ "$idle_sleep_us" -eq 0 ] && WT_LAB_RT=
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"
if ! why=$(wt_lab_require); then echo "cannot run: $why" >&2; exit 2; fi

wt_lab_init "n$$"
ns_chrony="wt-chr-$WT_TAG" veth_srv2="wtn$WT_TAG" veth_chrony="wtm$WT_TAG"
cleanup() {
  set +e
  [ -n "$keep" ] && mkdir -p "$keep" && cp -r "$WT_DIR"/. "$keep"/ 2>/dev/null
  for pid in $(ip netns pids "$ns_chrony" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
  sleep 0.2
  for pid in $(ip netns pids "$ns_chrony" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns_chrony" 2>/dev/null
  wt_lab_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wt_lab_create_links
wt_lab_start_chronyd

# Link 2: the chronyd client's own veth into the server namespace.
ip netns add "$ns_chrony"
ip link add "$veth_srv2" type veth peer name "$veth_chrony"
ip link set "$veth_srv2" netns "$WT_NS_SRV"
ip link set "$veth_chrony" netns "$ns_chrony"
ip -n "$ns_chrony" link set lo up
ip netns exec "$ns_chrony" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$WT_NS_SRV" addr add 198.18.1.1/24 dev "$veth_srv2"
ip -n "$ns_chrony" addr add 198.18.1.2/24 dev "$veth_chrony"
# Same link settings as link 1 (checksum offload off on both ends).
if command -v ethtool >/dev/null; then
  ip netns exec "$WT_NS_SRV" ethtool -K "$veth_srv2" tx off rx off >/dev/null 2>&1 || true
  ip netns exec "$ns_chrony" ethtool -K "$veth_chrony" tx off rx off >/dev/null 2>&1 || true
fi
ip -n "$WT_NS_SRV" link set "$veth_srv2" up
ip -n "$ns_chrony" link set "$veth_chrony" up
ip -n "$ns_chrony" route add "$WT_SERVER_IP/32" via 198.18.1.1

mkdir -p "$WT_DIR/chrony-client"
cat >"$WT_DIR/chrony-client.conf" <<CONF
# Measures only (-x): logs every reply, never steers the clock.
server $WT_SERVER_IP iburst minpoll $minpoll maxpoll $minpoll$([ "$interleaved" = 1 ] && echo " xleave")
log rawmeasurements
logdir $WT_DIR/chrony-client
port 0
cmdport 0
pidfile $WT_DIR/chrony-client.pid
driftfile $WT_DIR/chrony-client.drift
CONF

# From here this script and everything it starts stay off the dataplane CPU: EAL moves the lcore there,
# and nothing else (shell loops, ip, chronyd) preempts it while a reply is in flight.
taskset -cp "$(wt_lab_housekeeping_cpus)" $$ >/dev/null
{
  wt_lab_wiretimed_yaml idle="$idle_sleep_us" measurements="$WT_DIR/wiretimed.samples" \
    tracking="$WT_DIR/wiretimed.tracking"   # kept with --keep: scripts/plot_logs.sh draws the run
  printf '  unicast-servers:\n    - address: %s\n      minpoll: %s\n      maxpoll: %s\n' \
    "$WT_SERVER_IP" "$minpoll" "$minpoll"
  [ "$interleaved" = 1 ] && echo "      interleaved: true"
} >"$WT_DIR/wiretimed.yaml"

rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
echo "noise bench: ${duration}s at 2^$minpoll s polling, $([ "$interleaved" = 1 ] && echo interleaved || echo basic) mode; wiretimed $binary" >&2
# Same priority and CPUs for the chronyd client as for the server (off the dataplane CPU).
ip netns exec "$ns_chrony" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
  chronyd -f "$WT_DIR/chrony-client.conf" -u root -x -d >"$WT_DIR/chrony-client.out" 2>&1 &
chrony_pid=$!
WT_PIDS+=("$chrony_pid")
wt_lab_spawn "$WT_DIR/wiretimed.out" "${rt[@]}" "$binary" --config "$WT_DIR/wiretimed.yaml" \
  --mgmt-socket "$WT_DIR/wiretimed.sock"
wt_pid=$WT_LAST_PID

end=$((SECONDS + duration))
while [ $SECONDS -lt $end ]; do
  kill -0 "$wt_pid" 2>/dev/null || { cat "$WT_DIR/wiretimed.out" >&2; echo "wiretimed exited" >&2; exit 1; }
  kill -0 "$chrony_pid" 2>/dev/null || { cat "$WT_DIR/chrony-client.out" >&2; echo "chronyd client exited" >&2; exit 1; }
  sleep 1
done
wt_lab_stop "$wt_pid"
wt_lab_stop "$chrony_pid"

echo "repo HEAD $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo ?), binary $binary" \
     "($(date -u -r "$binary" +%FT%TZ)), $(getconf _NPROCESSORS_ONLN) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
     "chronyd $(chronyd --version | awk '{print $4}')" >&2
python3 "$repo/bench/noise/summarise_noise.py" --skip "$skip" \
  --wiretimed "$WT_DIR/wiretimed.samples" --chrony "$WT_DIR/chrony-client/measurements.log"

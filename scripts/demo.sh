#!/usr/bin/env bash
# The main job, as a demo: chronyd serves time in one network namespace; wiretimed, on DPDK
# net_af_packet in another, starts with its (virtual) clock deliberately wrong by --offset-ns
# and --frequency-ppb and disciplines it to the server. Every clock update is printed with the
# clock's true error against the host's CLOCK_REALTIME; at the end the operator's view through
# wiretime-cli (`display ntp status`, `display ntp sessions`). Everything it creates
# (namespaces, processes, temp files) goes away on exit, also on failure or Ctrl-C. Needs root.
#
#   scripts/demo.sh [--duration SECONDS] [--minpoll N] [--offset-ns NS] [--frequency-ppb PPB]
#                   [--idle-sleep-us US] [--binary PATH] [--plot DIR]
# --plot DIR: also writes DIR/demo.png (scripts/plot_logs.sh: offset, frequency, delay and the
# true error over the run) and the two logs it is drawn from, before the clean-up.
# --idle-sleep-us 0 busy-polls as in production; the default naps, as this machine's cores are
# shared with other work (see dataplane.idle-sleep-us in docs/operations.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"

duration=45
minpoll=0
offset_ns=5000000
frequency_ppb=20000
idle_sleep_us=20
binary=$repo/build/release/control/daemon/wiretimed
plot_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --minpoll) minpoll=$2; shift 2 ;;
    --offset-ns) offset_ns=$2; shift 2 ;;
    --frequency-ppb) frequency_ppb=$2; shift 2 ;;
    --idle-sleep-us) idle_sleep_us=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --plot) plot_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# Set-up first: on a fresh machine nothing below exists yet (packages, build). setup.sh is
# idempotent, so it runs whenever any tool or the binary is missing, before any other check.
if [ "$(id -u)" != 0 ]; then echo "demo: needs root (packages, network namespaces)" >&2; exit 1; fi
missing=()
for tool in chronyd ip tshark cmake ninja ${plot_dir:+gnuplot}; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x "$binary" ] || missing+=("$binary")
if ((${#missing[@]})); then
  echo "demo: missing ${missing[*]}; running scripts/setup.sh (packages, release build)" >&2
  "$repo/scripts/setup.sh"
fi
if ! why=$(wt_lab_require); then echo "demo: $why" >&2; exit 1; fi

wt_lab_init
trap wt_lab_cleanup EXIT
trap 'exit 130' INT TERM   # the EXIT trap then cleans up

wt_lab_create_links
wt_lab_start_chronyd

{
  wt_lab_wiretimed_yaml idle="$idle_sleep_us" offset="$offset_ns" frequency="$frequency_ppb" \
    measurements="$WT_DIR/measurements.log" tracking="$WT_DIR/tracking.log"
  # Interleaved mode: chronyd then reports the true transmit time of its previous reply. It is an
  # NTPv4 mode (RFC 9769), and VRP's default version is 3.
  printf '  unicast-servers:\n    - address: %s\n      version: 4\n      minpoll: %s\n      interleaved: true\n' \
    "$WT_SERVER_IP" "$minpoll"
} >"$WT_DIR/wiretimed.yaml"

echo "== chronyd (stratum 1) on $WT_SERVER_IP in $WT_NS_SRV; wiretimed $WT_CLIENT_IP in $WT_NS_CLI"
echo "== configuration:"; sed 's/^/   /' "$WT_DIR/wiretimed.yaml"
echo "== running for $duration s; the clock starts $offset_ns ns and $frequency_ppb ppb off"
echo "   (tracking log: one line per clock update; the last column is the true error in ns)"
rt=()
# Real-time priority only when the dataplane naps: a spinning SCHED_FIFO lcore would starve
# everything else on its core.
[ "$idle_sleep_us" -gt 0 ] && [ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
socket=$WT_DIR/wiretimed.sock
wt_lab_spawn "$WT_DIR/wiretimed.log" "${rt[@]}" "$binary" --config "$WT_DIR/wiretimed.yaml" \
  --mgmt-socket "$socket"
daemon=$WT_LAST_PID
touch "$WT_DIR/tracking.log" "$WT_DIR/measurements.log"
tail -n +1 -f "$WT_DIR/wiretimed.log" "$WT_DIR/tracking.log" &
WT_PIDS+=($!)
tail_pid=$!

# The run's time counts from the daemon's management socket: DPDK's start-up (EAL, loading the
# PMDs) takes about a second on an idle machine but was seen to take over 15 s under heavy load.
started=$SECONDS
while [ ! -S "$socket" ] && kill -0 "$daemon" 2>/dev/null && [ $((SECONDS - started)) -lt 120 ]; do
  sleep 0.2
done
[ -S "$socket" ] && echo "== wiretimed up after $((SECONDS - started)) s"
end=$((SECONDS + duration))
while [ $SECONDS -lt $end ]; do
  if ! kill -0 "$daemon" 2>/dev/null; then
    sleep 0.2; kill "$tail_pid" 2>/dev/null || true
    echo "demo: wiretimed exited early" >&2
    wait "$daemon" || exit $?
    exit 1
  fi
  sleep 0.5
done
kill "$tail_pid" 2>/dev/null || true
cli=$(dirname "$binary")/../../config/cli/wiretime-cli
if [ -x "$cli" ]; then
  echo "== the operator's view: wiretime-cli --socket $socket"
  "$cli" --socket "$socket" -c "display ntp status; display ntp sessions" | sed 's/^/   /' || true
fi
wt_lab_stop "$daemon"
sleep 0.2

# Measurements log columns (docs/operations.md, Logs): 7 reason, 8 offset s, 9 delay s.
samples=$(awk '!/^#/ && $7 == "ok"' "$WT_DIR/measurements.log" | wc -l)
echo "== $samples samples; offset and delay in microseconds:"
awk '!/^#/ && $7 == "ok" {
  n++; o = $8 * 1e6; d = $9 * 1e6; so += o; sd += d
  if (n == 1 || o < omin) omin = o; if (n == 1 || o > omax) omax = o
  if (n == 1 || d < dmin) dmin = d; if (n == 1 || d > dmax) dmax = d
} END { if (n) printf "   offset mean %.1f min %.1f max %.1f   delay mean %.1f min %.1f max %.1f\n",
        so / n, omin, omax, sd / n, dmin, dmax }' "$WT_DIR/measurements.log"
# Tracking log column 16: the virtual clock's error against CLOCK_REALTIME, ns.
awk '!/^#/ && $16 != "-" { last = $16 } END { if (last != "")
  printf "== clock error against the host clock at the last update: %.1f us (started at %.1f us)\n",
    last / 1e3, '"$offset_ns"' / 1e3 }' "$WT_DIR/tracking.log"
if [ -n "$plot_dir" ]; then
  mkdir -p "$plot_dir"
  cp "$WT_DIR/measurements.log" "$WT_DIR/tracking.log" "$plot_dir/"
  "$repo/scripts/plot_logs.sh" "$WT_DIR/tracking.log" "$WT_DIR/measurements.log" "$plot_dir/demo.png" \
    "wiretime demo: wiretimed (DPDK net_af_packet) against chronyd, clock started $offset_ns ns and $frequency_ppb ppb off" |
    sed 's/^/== plot: /'
fi
echo "== cleaning up"

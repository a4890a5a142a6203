#!/usr/bin/env bash
# End to end: wiretimed on DPDK net_af_packet measures chronyd (local stratum 1) across a veth
# pair between two network namespaces. Ground truth: both use this host's CLOCK_REALTIME, so
# the true offset is 0 (and exactly the injected error when the virtual clock is given one).
#   1. virtual clock started 3 ms ahead: the first measured offset shows it (within 1 ms; the
#      engine then disciplines the clock, so later samples tend to 0).
#      This runs first also because chronyd's first reply to a new client leaves ~0.3-0.6 ms
#      after the T3 it wrote (first-client work between stamping and sending, seen in a
#      capture on its veth), which would otherwise be the one sample over the limit below.
#   2. 18 s at 1 s polling: >= 5 samples; each one's error against the truth lies within half
#      its round-trip delay (the on-wire bound: any path asymmetry fits inside the delay), and
#      the median delay is under 1 ms. A per-sample delay limit would fail on one scheduling
#      hiccup of a loaded machine (seen: one 1.25 ms round trip in CI); the bound would not.
#   3. a bad start-up YAML: exit status 2 and a file:line:column message, before DPDK starts.
#   4. SIGTERM gives exit status 0, and nothing (namespace, process, file) is left behind.
# Exit 77 (skip) without root, `ip netns` or chronyd.
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"

fail() { echo "FAIL: $*"; exit 1; }
wt_lab_setup "e$$"
[ -x "$binary" ] || fail "$binary is not executable"
wt_lab_start_chronyd

rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"

# write_config FILE OFFSET_NS MEASUREMENTS
write_config() {
  {
    wt_lab_wiretimed_yaml idle=20 offset="$2" measurements="$3"
    printf '  unicast-servers:\n    - address: %s\n      minpoll: 0\n      maxpoll: 0\n' "$WT_SERVER_IP"
  } >"$1"
}

# run_daemon CONFIG SECONDS LOG: runs wiretimed, stops it with SIGTERM, checks exit status 0.
run_daemon() {
  wt_lab_spawn "$3" "${rt[@]}" "$binary" --config "$1"
  local pid=$WT_LAST_PID end=$((SECONDS + $2))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$3"; fail "wiretimed exited early"; }
    sleep 0.5
  done
  kill -TERM "$pid"
  local status=0
  wait "$pid" || status=$?
  [ "$status" = 0 ] || { cat "$3"; fail "wiretimed exited with status $status after SIGTERM"; }
  grep -q "stopping" "$3" || fail "no clean shutdown message in $3"
}

# summarise LOG LIMIT_NS [EXPECTED_OFFSET_NS]: prints "count bad first_offset_ns"; bad counts
# samples with |offset - expected| >= limit or delay outside [0, limit). Measurements log
# columns (docs/operations.md): 7 reason, 8 offset s, 9 delay s.
summarise() {
  local expected=${3:-0}
  awk -v limit="$2" -v expected="$expected" '!/^#/ && $7 == "ok" {
    o = $8 * 1e9; d = $9 * 1e9
    n++
    if (n == 1) first = o
    if (o - expected >= limit || expected - o >= limit || d >= limit || d < 0) {
      bad++; print "   out of limits: " $0 > "/dev/stderr"
    }
  } END { printf "%d %d %d\n", n, bad + 0, first }' "$1"
}

echo "== 1. virtual clock 3 ms ahead"
write_config "$WT_DIR/ahead.yaml" 3000000 "$WT_DIR/ahead.log"
run_daemon "$WT_DIR/ahead.yaml" 10 "$WT_DIR/ahead.out"
read -r count bad first < <(summarise "$WT_DIR/ahead.log" 1000000 -3000000 2>/dev/null)
echo "   $count samples, first offset $first ns (want about -3000000)"
[ "$count" -ge 3 ] || fail "only $count samples with the offset injected"
[ "$first" -gt -4000000 ] && [ "$first" -lt -2000000 ] || fail "first offset $first ns"

# on_wire_check LOG: prints "count bad median_delay_ns". A sample is bad when its error (offset
# plus the clock's own error, column 12 = virtual - host clock) exceeds half its delay plus 5 us
# (the truth probe's and the clock reads' slack), or its delay is not in (0, 10 ms).
on_wire_check() {
  local median
  median=$(awk '!/^#/ && $7 == "ok" { printf "%d\n", $9 * 1e9 }' "$1" | sort -n |
    awk '{ d[NR] = $1 } END { print NR ? d[int((NR + 1) / 2)] : -1 }')
  awk -v median="$median" '!/^#/ && $7 == "ok" && $12 != "-" {
    o = $8 * 1e9; d = $9 * 1e9; e = o + $12
    n++
    if (e < 0) e = -e
    if (e > d / 2 + 5000 || d <= 0 || d >= 10000000) {
      bad++; print "   outside the on-wire bound: " $0 > "/dev/stderr"
    }
  } END { printf "%d %d %d\n", n, bad + 0, median }' "$1"
}

echo "== 2. offset 0, 1 s polling, 18 s"
write_config "$WT_DIR/zero.yaml" 0 "$WT_DIR/zero.log"
run_daemon "$WT_DIR/zero.yaml" 18 "$WT_DIR/zero.out"
sed 's/^/   /' "$WT_DIR/zero.log"
read -r count bad median < <(on_wire_check "$WT_DIR/zero.log")
echo "   $count samples, $bad outside |error| <= delay/2 + 5 us, median delay $median ns"
[ "$count" -ge 5 ] || fail "only $count samples (want >= 5)"
[ "$bad" = 0 ] || fail "$bad samples outside the on-wire bound"
[ "$median" -lt 1000000 ] || fail "median delay $median ns (want < 1 ms)"

echo "== 3. bad start-up YAML"
sed 's|ipv4: .*|ipv4: 198.18.0.300/24|' "$WT_DIR/zero.yaml" >"$WT_DIR/bad.yaml"
status=0
out=$("$binary" --config "$WT_DIR/bad.yaml" 2>&1) || status=$?
echo "   status $status: $out"
[ "$status" = 2 ] || fail "bad YAML gave exit status $status (want 2)"
grep -qE "bad.yaml:[0-9]+:[0-9]+: interfaces\[0\]\.ipv4: " <<<"$out" || fail "no positioned error"
! grep -q "EAL" <<<"$out" || fail "DPDK started before the YAML was validated"

echo "== 4. clean-up"
tag_dir=$WT_DIR
wt_lab_cleanup
trap - EXIT
left=$(WT_DIR=$tag_dir wt_lab_leftovers)
[ -z "$left" ] || fail "left behind: $left"
echo "PASS"

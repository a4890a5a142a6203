#!/usr/bin/env bash
# Where an exchange's time goes in the e2e lab (root only, not a ctest test): wiretimed (DPDK
# net_af_packet) polls one chronyd every second while dumpcap records both veth ends; then
# stamp_errors.py sets each of wiretimed's samples against the kernel's capture stamps: how early
# its T1 and how late its T4 were, how early chronyd's T3 was, and the veth transit each way.
# The numbers in docs/accuracy.md ("Where the lab's bias came from") come from this script.
#
# Usage: bench/noise/stamp_errors.sh [--duration S] [--binary PATH] [--interleaved]
#          [--tsc-stamps]   (dataplane.packet-socket-stamps: false)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=60 interleaved=0 kernel_stamps=true
binary=$repo/build/release/control/daemon/wiretimed
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --interleaved) interleaved=1; shift ;;
    --tsc-stamps) kernel_stamps=false; shift ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || { echo "no wiretimed at $binary (build it, or pass --binary)" >&2; exit 2; }
command -v dumpcap >/dev/null || { echo "needs dumpcap (tshark package)" >&2; exit 2; }
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"
if ! why=$(wt_lab_require); then echo "cannot run: $why" >&2; exit 2; fi
wt_lab_init "e$$"
trap wt_lab_cleanup EXIT
trap 'exit 130' INT TERM
wt_lab_create_links
wt_lab_start_chronyd || exit 1
{
  wt_lab_wiretimed_yaml measurements="$WT_DIR/measurements.log" | sed "s/^  idle-sleep-us: .*/&\n  packet-socket-stamps: $kernel_stamps/"
  printf '  unicast-servers:\n    - address: %s\n      minpoll: 0\n      maxpoll: 0\n' "$WT_SERVER_IP"
  [ "$interleaved" = 1 ] && echo "      interleaved: true"
} >"$WT_DIR/wiretimed.yaml"
ip netns exec "$WT_NS_SRV" dumpcap -q -P -i "$WT_VETH_SRV" -f "udp port 123" -w "$WT_DIR/server.pcap" \
  >"$WT_DIR/dumpcap-server.log" 2>&1 &
WT_PIDS+=($!)
ip netns exec "$WT_NS_CLI" dumpcap -q -P -i "$WT_VETH_CLI" -f "udp port 123" -w "$WT_DIR/client.pcap" \
  >"$WT_DIR/dumpcap-client.log" 2>&1 &
WT_PIDS+=($!)
sleep 2
rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
wt_lab_spawn "$WT_DIR/wiretimed.out" "${rt[@]}" "$binary" --config "$WT_DIR/wiretimed.yaml" \
  --mgmt-socket "$WT_DIR/wiretimed.sock"
echo "stamp errors: ${duration}s, $([ "$interleaved" = 1 ] && echo interleaved || echo basic) mode," \
  "kernel stamps $kernel_stamps; wiretimed $binary" >&2
sleep "$duration"
wt_lab_stop "$WT_LAST_PID"
sleep 1
python3 "$repo/bench/noise/stamp_errors.py" "$WT_DIR/measurements.log" "$WT_DIR/server.pcap" \
  "$WT_DIR/client.pcap"

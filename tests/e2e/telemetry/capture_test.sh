#!/usr/bin/env bash
# e2e: live capture on a running wiretimed. dpdk-dumpcap is a DPDK secondary process: it needs
# the daemon's memory in shared hugepage files, which the labs' --no-huge EAL does not have
# (anonymous memory, no hugepage_info). So this lab reserves 2 MB hugepages (restoring the
# count after), mounts a private hugetlbfs, runs the daemon on it, records 6 s of its RX and
# TX with dpdk-dumpcap into a pcapng, and finds our NTP requests and chronyd's replies in it
# with wiretime-pcap and tshark. Usage: capture_test.sh WIRETIMED WIRETIME-PCAP
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed PATH/TO/wiretime-pcap}
pcap_tool=${2:?usage: $0 PATH/TO/wiretimed PATH/TO/wiretime-pcap}
# Normal priority for the lab: this checks liveness, not accuracy, and the clients
# (dpdk-telemetry.py, dpdk-dumpcap, python) must not starve behind real-time daemons on 2 CPUs.
WT_LAB_RT=
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
command -v dpdk-dumpcap >/dev/null || { echo "SKIP: dpdk-dumpcap (dpdk-dev) missing"; exit 77; }
command -v tshark >/dev/null || { echo "SKIP: tshark missing"; exit 77; }
nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -w "$nr" ] || { echo "SKIP: cannot reserve 2 MB hugepages ($nr)"; exit 77; }

sync_setup "c$$"
pages=128  # 256 MB: the daemon's 64 MB plus dumpcap's mbuf pool and rings
before=$(cat "$nr")
# Outside WT_DIR: the lab's clean-up removes that directory, and the daemon must be gone (it
# maps the pages) before the unmount.
huge_dir=$(mktemp -d "/tmp/wiretime-huge-$WT_TAG.XXXXXX")
cleanup_huge() {
  umount "$huge_dir" 2>/dev/null || true
  rmdir "$huge_dir" 2>/dev/null || true
  echo "$before" >"$nr" 2>/dev/null || true
}
trap 'wt_lab_cleanup; cleanup_huge; rm -rf "/var/run/dpdk/wt-$WT_TAG"' EXIT
echo $((before + pages)) >"$nr"
free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
if [ "$free" -lt "$pages" ]; then echo "SKIP: only $free free 2 MB hugepages"; exit 77; fi
mount -t hugetlbfs -o pagesize=2M nodev "$huge_dir"

sync_start_chronyd chronyd "$WT_SERVER_IP"
{
  wt_lab_wiretimed_yaml | sed "s|\"--no-huge\"|\"--huge-dir\", \"$huge_dir\"|"
  printf '  unicast-servers:\n    - address: %s\n      minpoll: 0\n      maxpoll: 0\n' "$WT_SERVER_IP"
} >"$WT_DIR/wiretimed.yaml"
grep -q -- "--huge-dir" "$WT_DIR/wiretimed.yaml" || fail "EAL arguments not switched to hugepages"
echo "== DPDK backend on hugepages, dpdk-dumpcap for 6 s"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait 3
capture="$WT_DIR/capture.pcapng"
timeout 30 dpdk-dumpcap --file-prefix="wt-$WT_TAG" -i 0 -a duration:6 -w "$capture" \
  >"$WT_DIR/dumpcap.out" 2>&1 || { cat "$WT_DIR/dumpcap.out"; fail "dpdk-dumpcap failed"; }
sed 's/^/   | /' "$WT_DIR/dumpcap.out"
sync_stop_daemon
grep -q "live capture: EAL runs without hugepages" "$WT_DIR/wiretimed.out" &&
  fail "the daemon thinks it runs without hugepages"

# Our requests (mode 3, from the client address) and chronyd's replies (mode 4), both ways.
"$pcap_tool" decode "$capture" >"$WT_DIR/decoded.json" || fail "wiretime-pcap cannot read the pcapng"
python3 - "$WT_DIR/decoded.json" "$WT_CLIENT_IP" "$WT_SERVER_IP" <<'PY' || fail "wiretime-pcap view"
import json, sys
path, client, server = sys.argv[1:]
requests = replies = 0
for line in open(path):
    f = json.loads(line)
    ntp = f.get('ntp')
    if not ntp:
        continue
    if ntp['mode'] == 3 and f.get('src') == client and f.get('dst') == server:
        requests += 1
    if ntp['mode'] == 4 and f.get('src') == server and f.get('dst') == client:
        replies += 1
print(f'   wiretime-pcap: {requests} requests, {replies} replies')
sys.exit(0 if requests >= 3 and replies >= 3 else 1)
PY
req=$(tshark -r "$capture" -Y "ntp.flags.mode == 3 && ip.src == $WT_CLIENT_IP" 2>/dev/null | wc -l)
rep=$(tshark -r "$capture" -Y "ntp.flags.mode == 4 && ip.src == $WT_SERVER_IP" 2>/dev/null | wc -l)
echo "   tshark: $req requests, $rep replies"
[ "$req" -ge 3 ] && [ "$rep" -ge 3 ] || fail "tshark found $req requests and $rep replies"
echo PASS

#!/usr/bin/env bash
# e2e: a live wiretimed on the DPDK backend (net_af_packet on the lab veth, chronyd upstream)
# answers the /wiretime/* DPDK telemetry commands through dpdk-telemetry.py over its
# telemetry socket, and writes the Prometheus textfile; check_telemetry.py asserts the values
# are live (counters grow between two reads, the association is there, the clock is
# synchronised) and the textfile parses with prometheus_client with the documented names.
# Then the same textfile check on the socket backend. Usage: telemetry_test.sh WIRETIMED
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed}
# Normal priority for the lab: this checks liveness, not accuracy, and the clients
# (dpdk-telemetry.py, dpdk-dumpcap, python) must not starve behind real-time daemons on 2 CPUs.
WT_LAB_RT=
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
command -v dpdk-telemetry.py >/dev/null || { echo "SKIP: dpdk-telemetry.py (dpdk-dev) missing"; exit 77; }
# Debian's python3-prometheus-client is in the system interpreter (PATH may name another).
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" -c 'import prometheus_client' 2>/dev/null ||
  { echo "SKIP: python3-prometheus-client missing"; exit 77; }

sync_setup "t$$"
# The EAL's runtime directory (telemetry socket, config) goes with the lab.
trap 'wt_lab_cleanup; rm -rf "/var/run/dpdk/wt-$WT_TAG"' EXIT
sync_start_chronyd chronyd "$WT_SERVER_IP"

# write_config FILE BACKEND: one server, fast polls, the textfile rewritten every second.
write_config() {
  wt_lab_wiretimed_yaml backend="$2" | sed "s|^ntp:|  metrics-textfile: $WT_DIR/wiretime.prom\n  metrics-interval: 1\nntp:|" >"$1"
  printf '  unicast-servers:\n    - address: %s\n      minpoll: 0\n      maxpoll: 1\n' \
    "$WT_SERVER_IP" >>"$1"
}

# telemetry OUT: every /wiretime command, one JSON line each, into OUT.
telemetry() {
  printf '%s\n' /wiretime/clock /wiretime/associations /wiretime/interfaces /wiretime/drops \
    /wiretime/rings /wiretime/lcore /wiretime/associations,1 |
    timeout 10 dpdk-telemetry.py -f "wt-$WT_TAG" >"$1"
}

# wait_synchronised SECONDS: until the textfile says so (the daemon must stay up).
wait_synchronised() {
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
    grep -qx 'wiretime_clock_synchronized 1' "$WT_DIR/wiretime.prom" 2>/dev/null && return 0
    sleep 0.5
  done
  cat "$WT_DIR/wiretimed.out"
  fail "not synchronised within $1 s (textfile: $(grep synchronized "$WT_DIR/wiretime.prom" 2>/dev/null))"
}

echo "== DPDK backend: telemetry and textfile"
write_config "$WT_DIR/dpdk.yaml" dpdk
sync_start_daemon "$binary" "$WT_DIR/dpdk.yaml"
wait_synchronised 60
sleep 1
telemetry "$WT_DIR/telemetry1.json"
cp "$WT_DIR/wiretime.prom" "$WT_DIR/prom1.prom"
sleep 4
telemetry "$WT_DIR/telemetry2.json"
cp "$WT_DIR/wiretime.prom" "$WT_DIR/prom2.prom"
sed 's/^/   | /' "$WT_DIR/telemetry2.json"
"$py" "$here/check_telemetry.py" telemetry --server "$WT_SERVER_IP" \
  "$WT_DIR/telemetry1.json" "$WT_DIR/telemetry2.json" || fail "DPDK telemetry"
"$py" "$here/check_telemetry.py" prometheus --server "$WT_SERVER_IP" --backend dpdk \
  --interface GE1/0/1 "$WT_DIR/prom1.prom" "$WT_DIR/prom2.prom" || fail "Prometheus textfile (dpdk)"
sync_stop_daemon

echo "== socket backend: textfile"
rm -f "$WT_DIR/wiretime.prom"
wt_lab_kernel_address
write_config "$WT_DIR/socket.yaml" socket
sync_start_daemon "$binary" "$WT_DIR/socket.yaml"
wait_synchronised 60
cp "$WT_DIR/wiretime.prom" "$WT_DIR/prom3.prom"
sleep 3
cp "$WT_DIR/wiretime.prom" "$WT_DIR/prom4.prom"
"$py" "$here/check_telemetry.py" prometheus --server "$WT_SERVER_IP" --backend socket \
  --interface GE1/0/1 "$WT_DIR/prom3.prom" "$WT_DIR/prom4.prom" || fail "Prometheus textfile (socket)"
sync_stop_daemon
echo PASS

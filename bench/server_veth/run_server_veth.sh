#!/usr/bin/env bash
# Side-by-side NTP server benchmark on one veth pair (docs/benchmarks.md, "NTP server on veth"):
# one load generator (bench/loadgen, raw AF_PACKET) steps up the request rate against, in turn,
#   reflector  wt_loadgen's null server (the generator's own ceiling through this link)
#   dpdk       wiretimed, DPDK backend on net_af_packet, lcore busy-polling
#   socket     wiretimed, kernel-socket backend
#   chronyd    chronyd -x (no `ratelimit`, `clientloglimit` large)
# and reports per target the highest rate answered with < 1 % loss and the response time there
# (median, p99), as ratios to chronyd. Every server serves a free-running local clock
# (wiretime: `ntp refclock-master 8`; chronyd: `local stratum 8`), so no upstream is involved.
#
#   [ns wt-srv-*] wt_loadgen gen, 198.18.0.1, CPU 0 ── veth ── [ns wt-cli-*] server, 198.18.0.2, CPU 1
#
# The server under test runs on the last CPU (wiretimed's control thread and the generator on
# the others). Bounded: each rate runs --duration s (+0.3 s drain), a target stops after the
# first rate losing more than 20 %, and everything the lab made is removed on exit.
#
#   bench/server_veth/run_server_veth.sh --wiretimed build/release/control/daemon/wiretimed \
#     --loadgen build/release/bench/loadgen/wt_loadgen [--out DIR] [--duration S] \
#     [--rates LIST] [--targets reflector,dpdk,socket,chronyd]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
wiretimed=
loadgen=
out=
duration=3
rates=10000,25000,50000,75000,100000,150000,200000,250000,300000,400000,500000,700000,1000000
targets=reflector,dpdk,socket,chronyd
while [ $# -gt 0 ]; do
  case $1 in
    --wiretimed) wiretimed=$2; shift 2 ;;
    --loadgen) loadgen=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$wiretimed" ] && [ -x "$loadgen" ] || { echo "usage: $0 --wiretimed PATH --loadgen PATH [--out DIR]" >&2; exit 2; }
source "$repo/scripts/lib/netns.sh"
if ! why=$(wt_lab_require); then echo "SKIP: $why"; exit 77; fi
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs (generator and server apart)"; exit 77; }
wt_lab_init "b$$"
# Real-time priority (the lab's `chrt -f 10`, when the machine allows it) for the generator and
# every server alike, so that other work on the machine delays none of them by a time slice;
# the generator sleeps in ppoll between sends and wiretimed's lcore naps 5 us when idle (the
# labs' setting), so neither holds its CPU when there is nothing to do.
rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
trap wt_lab_cleanup EXIT
trap 'exit 130' INT TERM
wt_lab_create_links
# Outside WT_DIR, which the clean-up removes.
[ -n "$out" ] || out=$(mktemp -d /tmp/wiretime-server-veth.XXXXXX)
mkdir -p "$out"
srv_cpu=$(wt_lab_dataplane_cpu)
gen_cpus=$(wt_lab_housekeeping_cpus)
# The generator owns 198.18.0.1 alone (raw frames): the kernel of its namespace must not also
# take the replies (it would answer each with an ICMP port unreachable).
ip -n "$WT_NS_SRV" addr flush dev "$WT_VETH_SRV"
gen_mac=$(ip netns exec "$WT_NS_SRV" cat "/sys/class/net/$WT_VETH_SRV/address")
srv_mac=$(ip netns exec "$WT_NS_CLI" cat "/sys/class/net/$WT_VETH_CLI/address")
gen_ip=198.18.0.1
srv_ip=198.18.0.2

# Kernel servers (socket backend, chronyd) answer the generator without ARP.
kernel_address() {
  ip -n "$WT_NS_CLI" addr replace "$srv_ip/24" dev "$WT_VETH_CLI"
  ip -n "$WT_NS_CLI" neigh replace "$gen_ip" lladdr "$gen_mac" dev "$WT_VETH_CLI" nud permanent
}
no_kernel_address() { ip -n "$WT_NS_CLI" addr flush dev "$WT_VETH_CLI"; }

# wait_udp123: until something listens on srv_ip:123 (kernel servers), at most 10 s.
wait_udp123() {
  for _ in $(seq 100); do
    ip netns exec "$WT_NS_CLI" ss -Hlun "sport = :123" | grep -q . && return 0
    sleep 0.1
  done
  return 1
}

wiretimed_yaml() {  # BACKEND
  cat <<YAML
dataplane:
  backend: $1
  eal: ["--no-huge", "--no-pci", "-m", "128", "-l", "$gen_cpus,$srv_cpu", "--file-prefix", "wt-$WT_TAG",
        "--vdev", "net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0"]
  idle-sleep-us: ${IDLE_US:-30}
  packet-socket-stamps: ${PACKET_SOCKET_STAMPS:-true}
interfaces:
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0
    ipv4: $srv_ip/24
clock:
  driver: virtual
log:
  level: info
ntp:
  server-disable: false
  server-source-interfaces: [GE1/0/1]
  refclock-master: {stratum: 8}
YAML
}

# run_gen TARGET: the rate steps against whatever serves srv_ip now.
run_gen() {
  echo "   generator: rates $rates, $duration s each"
  ip netns exec "$WT_NS_SRV" "${rt[@]}" taskset -c "$gen_cpus" "$loadgen" gen --iface "$WT_VETH_SRV" \
    --dst-mac "$srv_mac" --src-ip "$gen_ip" --dst-ip "$srv_ip" --rates "$rates" \
    --duration "$duration" --stop-loss 20 --histogram "$out/$1.hist" >"$out/$1.jsonl"
  sed 's/^/   | /' "$out/$1.jsonl"
}

start_bg() {  # LOG CMD...: in the server namespace on the server CPU
  local log=$1
  shift
  ip netns exec "$WT_NS_CLI" "${rt[@]}" taskset -c "$srv_cpu" "$@" >"$log" 2>&1 &
  WT_PIDS+=($!)
  WT_LAST_PID=$!
}

for target in ${targets//,/ }; do
  echo "== $target"
  case $target in
    reflector)
      no_kernel_address
      start_bg "$out/reflector.log" "$loadgen" reflect --iface "$WT_VETH_CLI" --ip "$srv_ip" --duration 600
      pid=$WT_LAST_PID
      sleep 0.5
      run_gen reflector
      wt_lab_stop "$pid"
      ;;
    dpdk | socket)
      if [ "$target" = socket ]; then kernel_address; else no_kernel_address; fi
      wiretimed_yaml "$target" >"$WT_DIR/$target.yaml"
      # The DPDK backend places its own lcore (EAL -l): only the socket backend is pinned here.
      if [ "$target" = socket ]; then
        start_bg "$out/$target.log" "$wiretimed" --config "$WT_DIR/$target.yaml" --mgmt-socket "$WT_DIR/$target.sock"
      else
        ip netns exec "$WT_NS_CLI" "${rt[@]}" "$wiretimed" --config "$WT_DIR/$target.yaml" \
          --mgmt-socket "$WT_DIR/$target.sock" >"$out/$target.log" 2>&1 &
        WT_PIDS+=($!)
        WT_LAST_PID=$!
      fi
      pid=$WT_LAST_PID
      for _ in $(seq 120); do
        grep -qE "server: IPv4 enabled|server: serving on" "$out/$target.log" && break
        kill -0 "$pid" 2>/dev/null || { cat "$out/$target.log"; exit 1; }
        sleep 0.5
      done
      sleep 2  # the DPDK lcore announces itself (gratuitous ARP) and settles
      run_gen "$target"
      if [ "$target" = dpdk ] && command -v dpdk-telemetry.py >/dev/null; then
        # The lcore's own RX-to-TX histogram, over every rate of the run.
        echo /wiretime/server | timeout 20 dpdk-telemetry.py -f "wt-$WT_TAG" >"$out/dpdk-telemetry.json" 2>/dev/null || true
      fi
      wt_lab_stop "$pid"
      grep -E "server|latency|dataplane: rx" "$out/$target.log" | sed 's/^/   | /' || true
      rm -rf "/run/dpdk/wt-$WT_TAG"
      ;;
    chronyd)
      kernel_address
      cat >"$WT_DIR/chronyd.conf" <<CONF
local stratum 8
allow 198.18.0.0/15
port 123
bindaddress $srv_ip
cmdport 0
clientloglimit 1000000000
pidfile $WT_DIR/bench-chronyd.pid
driftfile $WT_DIR/bench-chronyd.drift
CONF
      start_bg "$out/chronyd.log" chronyd -f "$WT_DIR/chronyd.conf" -u root -x -d
      pid=$WT_LAST_PID
      wait_udp123 || { cat "$out/chronyd.log"; exit 1; }
      sleep 1
      run_gen chronyd
      wt_lab_stop "$pid"
      ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done
echo "== summary (load average: $(cut -d' ' -f1-3 /proc/loadavg); priority: ${WT_LAB_RT:-normal})"
python3 "$here/summarise.py" "$out" | tee "$out/summary.md"
echo "results in $out"

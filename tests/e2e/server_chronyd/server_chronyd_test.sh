#!/usr/bin/env bash
# e2e (issue 9): chronyd as a CLIENT of wiretime. wiretimed (DPDK net_af_packet, or the kernel
# socket backend) syncs its virtual clock to an upstream chronyd, and serves it on 198.18.0.2
# (`undo ntp server disable` + `ntp server source-interface GE1/0/1`, in its YAML). A second
# chronyd -x (its own config, `server 198.18.0.2 iburst minpoll 0 maxpoll 0 [xleave]`) in the
# other namespace must select wiretime (`chronyc sources`: ^*) and measure offsets within
# 20 us (90 % of the samples; the host's CLOCK_REALTIME is the truth for both
# sides); `chronyd -Q` gets one answer;
# wiretimed counts the served requests and exits cleanly on SIGTERM.
# With `xleave` the client runs in interleaved mode (RFC 9769): 80 % of its samples must be
# interleaved, and wiretimed's count of interleaved replies must show it.
# With `ipv6` the client reaches wiretime over IPv6 (2001:db8::1 -> 2001:db8::2; wiretime still
# syncs to its upstream over IPv4) and the server is turned on the way an operator does it:
# through wiretime-cli on the running daemon (`undo ntp ipv6 server disable`, `ntp ipv6 server
# source-address 2001:db8::2`, `commit`; on DPDK the same commit gives GE1/0/1 its IPv6 address,
# which reaches the running dataplane); every request it serves is then an IPv6 one (IPv4
# serving stays off).
# With `vlan` (DPDK only) the client sits behind VLAN 100 and wiretime serves sub-interface
# GE1/0/1.100 (198.18.100.2; the sub-interface, its address and `ntp server source-interface
# GE1/0/1.100` committed through wiretime-cli, 6th argument, into the running daemon); the lab kernel has no
# VLAN devices, so tests/e2e/wiretimed_l3's userspace tagger (5th argument) carries the VLAN in
# the client's namespace. Its wake-ups add tens of us of asymmetric delay (up to ~100 us,
# wiretimed_l3's comment), so this variant's offset rule is 100 us (80 %) / 200 us (90 %), not
# 20/40: it proves tagged requests are answered tagged, not the accuracy.
# Usage: server_chronyd_test.sh WIRETIMED dpdk|socket [basic|xleave]
#   [ipv4 | ipv6 WIRETIME_CLI | vlan VLAN_TAGGER WIRETIME_CLI].
# ~45 s (up to ~90 s under heavy load). Exit 77 without root, `ip netns` or chronyd.
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed dpdk|socket [basic|xleave] [ipv4|ipv6 PATH/TO/wiretime-cli]}
backend=${2:-dpdk}
mode=${3:-basic}
family=${4:-ipv4}
cli_bin=${5:-}
vlan_cli=${6:-}  # vlan: wiretime-cli (argument 5 is the tagger)
[ "$family" = ipv4 ] || [ -x "$cli_bin" ] || { echo "FAIL: the $family variant needs its helper"; exit 1; }
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
# 90 % of the samples within 20 us (a sample whose round trip took over 1 ms counts as a miss)
# and 90 % within 40 us on both backends. Socket backend: T2 is the kernel's RX stamp, T3 read
# right before sendto; a fresh-clone CI run here saw one sample of 23.3 us in 21 (mean -0.7 us)
# while builds shared the CPUs. On DPDK's net_af_packet, T2 is the kernel's RX stamp too (the
# lcore reads it from its packet ring), T3 the TSC before the PMD's sendto moved by its median
# lag behind the kernel's TX stamps (the packet-socket tap), and interleaved replies carry the
# kernel's TX stamp; what remains in basic mode is that lag's spread (docs/operations.md,
# "Server accuracy in the lab"). A NIC with RX/TX stamps has no such term.
limit_us=20
hard_us=40

sync_setup "v$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd upstream "$WT_SERVER_IP"

# The address the client chronyd asks (wiretime's), and the one it asks from.
served_ip=$WT_CLIENT_IP
interfaces=()
if [ "$family" = ipv6 ]; then
  served_ip=2001:db8::2
  # IPv6 on the link (the lab turns it off): the client's address in the server namespace; on
  # the socket backend, wiretime's in the kernel of its own namespace (on DPDK wiretimed owns
  # it and answers neighbour discovery itself).
  ip netns exec "$WT_NS_SRV" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
    "net.ipv6.conf.$WT_VETH_SRV.disable_ipv6=0"
  ip -n "$WT_NS_SRV" addr add 2001:db8::1/64 dev "$WT_VETH_SRV" nodad
  if [ "$backend" = socket ]; then
    ip netns exec "$WT_NS_CLI" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
      "net.ipv6.conf.$WT_VETH_CLI.disable_ipv6=0"
    ip -n "$WT_NS_CLI" addr add "$served_ip/64" dev "$WT_VETH_CLI" nodad
  fi
  # DPDK: the IPv6 address is committed with the server commands below, into the running
  # dataplane (issue 10 item 3); the socket backend listens on the file's IPv6 addresses.
  if [ "$backend" = socket ]; then
    interfaces=(interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0
    ipv4: $WT_CLIENT_IP/$WT_PREFIX_LEN
    ipv6: [$served_ip/64]")
  fi
fi

if [ "$family" = vlan ]; then
  [ "$backend" = dpdk ] || fail "the vlan variant needs the DPDK backend (sub-interfaces)"
  tagger=$cli_bin
  served_ip=198.18.100.2
  # As tests/e2e/wiretimed_l3 (vlan), the client's 198.18.100.1 behind the lab's tagger.
  sync_vlan100_upstream_link "$tagger"
  # The sub-interface and its serving come through wiretime-cli on the running daemon (below).
  limit_us=100
  hard_us=200
fi

{
  wt_lab_wiretimed_yaml backend="$backend" measurements="$WT_DIR/measurements.log" \
    tracking="$WT_DIR/tracking.log" "${interfaces[@]}"
  cat <<YAML
  unicast-servers:
    - address: $WT_SERVER_IP
      minpoll: -1
      maxpoll: 0
      interleaved: true
YAML
  case $family in
    ipv4) printf '  server-disable: false\n  server-source-interfaces: [GE1/0/1]\n' ;;
    vlan) printf '  server-disable: false\n' ;;
  esac
} >"$WT_DIR/wiretimed.yaml"

echo "== $backend backend, chronyd client in $mode mode over $family"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait_synchronized
# The first clock updates still move the clock by tens of us: serve a settled clock.
sleep 10

if [ "$family" = ipv6 ]; then
  # The operator's way: commit the IPv6 server on the running daemon.
  commands="system-view; undo ntp ipv6 server disable; ntp ipv6 server source-address $served_ip; commit"
  [ "$backend" = dpdk ] && commands="system-view; interface GE1/0/1; ipv6 enable; ipv6 address $served_ip 64; quit; ${commands#system-view; }"
  echo "   wiretime-cli: $commands"
  "$cli_bin" --socket "$WT_DIR/wiretimed.sock" -c "$commands" >"$WT_DIR/cli.out" 2>&1 ||
    { cat "$WT_DIR/cli.out"; fail "wiretime-cli refused the IPv6 server commands"; }
  # DPDK: the publisher's log line; socket: the IPv6 socket opened.
  listening=0
  for _ in $(seq 20); do
    if grep -qE "server: IPv4 .*; IPv6 enabled, listening on 1 address|server: serving on \[$served_ip\]:123" \
      "$WT_DIR/wiretimed.out"; then listening=1; break; fi
    sleep 0.5
  done
  grep "server:" "$WT_DIR/wiretimed.out" | sed 's/^/   | /'
  [ "$listening" = 1 ] || fail "the committed IPv6 server did not start listening"
fi

if [ "$family" = vlan ]; then
  # The sub-interface committed into the running dataplane (issue 10 item 3), then served.
  commands="system-view; interface GE1/0/1.100; dot1q termination vid 100; ip address $served_ip 24; quit; ntp server source-interface GE1/0/1.100; commit"
  echo "   wiretime-cli: $commands"
  "$vlan_cli" --socket "$WT_DIR/wiretimed.sock" -c "$commands" >"$WT_DIR/cli.out" 2>&1 ||
    { cat "$WT_DIR/cli.out"; fail "wiretime-cli refused the sub-interface commands"; }
  for _ in $(seq 20); do
    grep -q "L3 tables replaced" "$WT_DIR/wiretimed.out" && break
    sleep 0.5
  done
  grep -q "L3 tables replaced" "$WT_DIR/wiretimed.out" || fail "the sub-interface did not reach the dataplane"
fi

# The client: chronyd -x (never touches the clock), its own files, command socket in WT_DIR.
xleave=
[ "$mode" = xleave ] && xleave=xleave
mkdir -p "$WT_DIR/client-logs"
cat >"$WT_DIR/client.conf" <<CONF
server $served_ip iburst minpoll 0 maxpoll 0 $xleave
port 0
bindcmdaddress $WT_DIR/client.sock
pidfile $WT_DIR/client.pid
driftfile $WT_DIR/client.drift
logdir $WT_DIR/client-logs
log measurements rawmeasurements
CONF
rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
ip netns exec "$WT_NS_SRV" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
  chronyd -f "$WT_DIR/client.conf" -u root -x -d >"$WT_DIR/client.log" 2>&1 &
WT_PIDS+=($!)
client_pid=$!

# chronyc's answer (a few tries: under load one has failed with "506 Cannot talk to daemon").
sources() {
  local out i
  for i in 1 2 3 4 5; do
    out=$(ip netns exec "$WT_NS_SRV" chronyc -h "$WT_DIR/client.sock" -n sources 2>/dev/null) &&
      [ -n "$out" ] && { echo "$out"; return 0; }
    sleep 0.5
  done
  return 0
}
selected=0
for _ in $(seq 40); do
  kill -0 "$client_pid" 2>/dev/null || { cat "$WT_DIR/client.log"; fail "client chronyd exited"; }
  if sources | grep -q "^\^\* *$served_ip "; then selected=1; break; fi
  sleep 0.5
done
sources | sed 's/^/   | /'
[ "$selected" = 1 ] || { cat "$WT_DIR/client.log"; sync_show; fail "chronyd did not select wiretime"; }
sleep 3  # chronyd's first samples after selecting a source still come from its burst
select_time=$(date -u +%H:%M:%S)
echo "   selected; samples from $select_time on: 20 s of 1 s polls"
sleep 20
sources | sed 's/^/   | /'
sources | grep -q "^\^\* *$served_ip " || fail "chronyd dropped wiretime"

# chronyd's measurements log: one line per sample, offset and peer delay in fields 12 and 13.
# Lines before the selection were taken while the client was still settling. A sample whose
# round trip took over 1 ms met a scheduling hiccup of this loaded 2-CPU machine (seen: 30 and
# 51 ms); chronyd's own filter discards those, and so does this check, counting them: at least
# 80 % of the samples must be kept, and every kept one within the limit.
log="$WT_DIR/client-logs/measurements.log"
[ -s "$log" ] || fail "no client measurements"
python3 - "$log" "$select_time" "$limit_us" "$hard_us" "$mode" <<'PY' || fail "client offsets"
import sys
path, since, limit_us, hard_us = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
mode = sys.argv[5]
offsets, slow, total, interleaved = [], 0, 0, 0
for line in open(path):
    f = line.split()
    if len(f) < 13 or not f[0][:1].isdigit() or f[1] < since:
        continue
    total += 1
    # MTxRx: version and B(asic)/I(nterleaved), then the TX and RX stamp sources.
    if len(f) >= 20 and f[17].endswith("I"):
        interleaved += 1
    if float(f[12]) > 1e-3:
        slow += 1
        continue
    offsets.append(float(f[11]))
worst = max((abs(o) for o in offsets), default=float("nan"))
mean = sum(offsets) / len(offsets) if offsets else float("nan")
within = sum(1 for o in offsets if abs(o) <= limit_us * 1e-6)
print(f"   client samples since selection: {total}, {slow} with a round trip over 1 ms left out; "
      f"{within} within {limit_us:g} us, worst |offset| {worst * 1e6:.1f} us (limit {hard_us:g} us), "
      f"mean {mean * 1e6:+.1f} us")
print("   offsets (us):", " ".join(f"{o * 1e6:+.1f}" for o in offsets))
print(f"   interleaved samples: {interleaved} of {total}")
if mode == "xleave" and interleaved * 10 < total * 8:
    sys.exit(1)
within_hard = sum(1 for o in offsets if abs(o) <= hard_us * 1e-6)
share = 8 if limit_us > 20 else 9  # the VLAN tagger's variant: 80 % within its 100 us
ok = (total >= 10 and len(offsets) * 10 >= total * 8 and within * 10 >= total * share
      and (within_hard == len(offsets) if hard_us == limit_us else within_hard * 10 >= total * 9))
sys.exit(0 if ok else 1)
PY

# chronyd -Q: one query, nothing set. Its answer rests on a handful of samples; one delayed by
# this loaded machine's scheduling can move it by milliseconds (2.6 ms seen once while the
# client above had 22/22 samples within 10.5 us), so up to three tries, one within 1 ms.
q_ok=0
for _ in 1 2 3; do
  q=$(ip netns exec "$WT_NS_SRV" timeout 20 chronyd -Q -u root -t 15 "pidfile $WT_DIR/q.pid" \
    "server $served_ip iburst" 2>&1 || true)
  echo "   chronyd -Q: $(grep -o 'System clock wrong by [-0-9.e]* seconds' <<<"$q" || echo "$q")"
  wrong=$(sed -n 's/.*System clock wrong by \([-0-9.e]*\) seconds.*/\1/p' <<<"$q")
  [ -n "$wrong" ] || fail "chronyd -Q got no answer"
  if python3 -c "import sys; sys.exit(0 if abs(float('$wrong')) < 1e-3 else 1)"; then
    q_ok=1
    break
  fi
done
[ "$q_ok" = 1 ] || fail "chronyd -Q offsets over 1 ms"

sync_stop_daemon
line=$(grep "server: served" "$WT_DIR/wiretimed.out" | tail -1 || true)
basic=$(sed -n 's/.*served basic \([0-9]*\).*/\1/p' <<<"$line")
inter=$(sed -n 's/.*served interleaved \([0-9]*\).*/\1/p' <<<"$line")
served=$(( ${basic:-0} + ${inter:-0} ))
grep "server:" "$WT_DIR/wiretimed.out" | sed 's/^/   | /'
[ "$served" -ge 20 ] || fail "wiretimed served $served requests"
if [ "$family" = ipv6 ]; then
  # IPv4 serving listens on no interface here: what was served came over IPv6 (the socket
  # backend also says so by family).
  grep -qE "server: IPv4 enabled, listening on GE|server: serving on GE" "$WT_DIR/wiretimed.out" &&
    fail "IPv4 serving was on: the served count does not prove IPv6"
  if [ "$backend" = socket ]; then
    v6part=${line#*of which IPv6:}
    v6=$(sed -n 's/.* served basic \([0-9]*\);.*/\1/p' <<<" $v6part")
    v6i=$(sed -n 's/.* served interleaved \([0-9]*\);.*/\1/p' <<<" $v6part")
    [ "$v6part" != "$line" ] || fail "the socket backend's server line has no IPv6 share"
    [ $(( ${v6:-0} + ${v6i:-0} )) -ge 20 ] || fail "the socket backend served ${v6:-no} IPv6 requests in basic mode, ${v6i:-no} interleaved"
  fi
fi
if [ "$mode" = xleave ]; then
  [ "${inter:-0}" -ge 15 ] || fail "wiretimed answered ${inter:-no} requests in interleaved mode"
fi
# DPDK over net_af_packet: the requests and replies were dated by the kernel's stamps, behind
# the VLAN tagger too (the kernel takes the tag off before the taps see a request).
[ "$backend" = dpdk ] && sync_check_served_stamps "$mode"
echo PASS

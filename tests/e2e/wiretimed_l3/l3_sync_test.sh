#!/usr/bin/env bash
# e2e d/e/f through wiretimed (DPDK backend, routed dataplane): the virtual clock starts +5 ms
# and +20 ppm off and is disciplined against chronyd (serving the host clock, the truth). The
# daemon starts from the inventory (ports) and its servers; the L3 side (addresses, the
# sub-interface, VRF bindings) is committed through wiretime-cli into the live daemon (issue 10
# item 3), and the 100 s run starts at that commit:
#   ipv6: one server at 2001:db8::1 (neighbour discovery both ways; the server's kernel also
#         gets an answer to an ICMPv6 echo)
#   vlan: the server behind VLAN 100, reached through sub-interface GE1/0/1.100 (the lab kernel
#         has no VLAN devices: vlan_tagger.cpp tags and untags in the server namespace)
#   vrf:  vpn-instances red and blue on two links, each with a chronyd at 198.18.1.1 (red at
#         stratum 1, blue at stratum 2): two distinct sessions, both measured and used
# Pass criteria of e2e a on DPDK: |error| < 100 us within 60 s, then below sync_steady_limit
# (20 us; vlan: 100 us, see the end) to the end of the 100 s run, in interleaved mode with the
# kernel's stamps (ipv6, vlan; vrf: its sessions show kernel stamps); SIGTERM gives a clean exit, every frame the dataplane
# received is in exactly one counter, and the lab is torn down. Exit 77 (skip) without root,
# `ip netns` or chronyd. With WIRETIME_CLI, the vrf run also asks the daemon's management
# socket: `display ntp sessions` lists the two sessions, `display ntp sessions verbose` their
# timestamp source, `display interface brief` both interfaces up; then a live commit moves
# GE1/0/2 (blue) to another address while GE1/0/1 (red) keeps synchronising: red's samples
# keep their pace (no gap beyond two poll intervals), blue's resume from the new address.
# Usage: l3_sync_test.sh WIRETIMED ipv6|vlan|vrf VLAN_TAGGER WIRETIME_CLI
# (VLAN_TAGGER: the vlan_tagger helper built from this folder; the vlan run needs it.)
set -euo pipefail
usage="usage: $0 PATH/TO/wiretimed ipv6|vlan|vrf PATH/TO/vlan_tagger PATH/TO/wiretime-cli"
binary=${1:?$usage}
scenario=${2:?$usage}
tagger=${3:-}
cli=${4:?$usage}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../wiretimed_sync/sync_lib.sh"

tag="l$$"
ns_blue="wt-sr2-$tag"
# The second server namespace (vrf) goes with the rest of the lab on any exit.
l3_cleanup() {
  set +e
  wt_lab_cleanup
  for pid in $(ip netns pids "$ns_blue" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns_blue" 2>/dev/null
  return 0
}
sync_setup "$tag"
trap l3_cleanup EXIT

# l3_chronyd NS NAME STRATUM ADDR: chronyd -x serving the host clock on ADDR in NS.
l3_chronyd() {
  wt_lab_chronyd "$2" "$4" ns="$1" stratum="$3" || fail "chronyd $2 did not start"
}

vdevs="\"--vdev\", \"net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0\""
reference=""
vpns=""
case $scenario in
  ipv6)
    ip netns exec "$WT_NS_SRV" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
      "net.ipv6.conf.$WT_VETH_SRV.disable_ipv6=0"
    ip -n "$WT_NS_SRV" addr add 2001:db8::1/64 dev "$WT_VETH_SRV" nodad
    l3_chronyd "$WT_NS_SRV" chronyd 1 2001:db8::1
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0"
    l3_lines=("interface GE1/0/1" "ipv6 enable" "ipv6 address 2001:db8::2 64" "quit")
    servers="
    - address: 2001:db8::1"
    reference=2001:db8::1
    ;;
  vlan)
    [ -x "$tagger" ] || fail "the vlan run needs the vlan_tagger helper (argument 3)"
    sync_vlan100_upstream_link "$tagger"
    l3_chronyd "$WT_NS_SRV" chronyd 1 198.18.100.1
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0"
    l3_lines=("interface GE1/0/1" "ip address 198.18.0.2 24" "quit"
      "interface GE1/0/1.100" "dot1q termination vid 100" "ip address 198.18.100.2 24" "quit")
    # Reached through the sub-interface's connected route (a source-interface naming it would
    # need the sub-interface in the start-up file).
    servers="
    - address: 198.18.100.1"
    reference=198.18.100.1
    ;;
  vrf)
    ip netns add "$ns_blue"
    ip -n "$ns_blue" link set lo up
    ip netns exec "$ns_blue" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    wt_lab_add_link "$ns_blue" "wsb$tag" "wcb$tag"
    ip netns exec "$ns_blue" sysctl -qw "net.ipv4.conf.wsb$tag.arp_accept=1"
    ip -n "$WT_NS_SRV" addr add 198.18.1.1/24 dev "$WT_VETH_SRV"
    ip -n "$ns_blue" addr add 198.18.1.1/24 dev "wsb$tag"
    l3_chronyd "$WT_NS_SRV" red 1 198.18.1.1
    l3_chronyd "$ns_blue" blue 2 198.18.1.1
    vdevs="$vdevs, \"--vdev\", \"net_af_packet1,iface=wcb$tag,qdisc_bypass=0\""
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0
  - name: GE1/0/2
    devargs: net_af_packet1,iface=wcb$tag,qdisc_bypass=0"
    # The VPN instances are defined in the file (its servers name them); the bindings and
    # addresses come through the CLI.
    vpns="
  vpn-instances:
    - name: red
      ipv4-family: true
    - name: blue
      ipv4-family: true"
    l3_lines=("interface GE1/0/1" "ip binding vpn-instance red" "ip address 198.18.1.2 24" "quit"
      "interface GE1/0/2" "ip binding vpn-instance blue" "ip address 198.18.1.2 24" "quit")
    servers="
    - address: 198.18.1.1
      vpn-instance: red
    - address: 198.18.1.1
      vpn-instance: blue"
    reference=198.18.1.1
    ;;
  *) fail "unknown scenario $scenario" ;;
esac
# Poll every 1..4 s in interleaved mode, as the single-server test does. IPv4 servers say
# version 4 (interleaved mode is NTPv4's, VRP's default version is 3); IPv6 ones are NTPv4 and
# take no version.
servers=$(printf '%s\n' "$servers" |
  sed -e 's/^\(    - address: [0-9.]*\)$/\1\n      version: 4/' \
      -e 's/^\(    - address: .*\)$/\1\n      minpoll: 0\n      maxpoll: 2\n      interleaved: true/')

{
  wt_lab_wiretimed_yaml vdevs="$vdevs" interfaces="$interfaces" offset=5000000 frequency=20000 \
    measurements="$WT_DIR/measurements.log" tracking="$WT_DIR/tracking.log"
  [ -z "$vpns" ] || echo "$vpns"
  echo "  unicast-servers:$servers"
} >"$WT_DIR/wiretimed.yaml"
grep -Eq "ipv4:|ipv6:|ipv4-addresses|ipv6-addresses|dot1q|vlan:" "$WT_DIR/wiretimed.yaml" && fail "the start-up file carries L3"

echo "== $scenario: wiretimed (DPDK backend) against chronyd, 100 s"
# As sync_start_daemon, with a management socket of this lab's own.
sock="$WT_DIR/mgmt.sock"
wt_lab_spawn "$WT_DIR/wiretimed.out" "${SYNC_RT[@]}" "$binary" --config "$WT_DIR/wiretimed.yaml" \
  --mgmt-socket "$sock"
SYNC_DAEMON_PID=$WT_LAST_PID
cli() { "$cli" --socket "$sock" "$@"; }
# EAL start-up can take a minute on a loaded machine.
for i in $(seq 1200); do
  [ -S "$sock" ] && cli -c "display current-configuration" >/dev/null 2>&1 && break
  kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
  sleep 0.1
done
printf '%s\n' system-view "${l3_lines[@]}" commit | sed 's/^/   > /'
printf '%s\n' system-view "${l3_lines[@]}" commit | cli - >"$WT_DIR/cli.out" 2>&1 ||
  { cat "$WT_DIR/cli.out"; fail "wiretime-cli refused the L3 lines"; }
SYNC_START=$(date +%s.%N)
grep -q "L3 tables replaced" "$WT_DIR/wiretimed.out" || sleep 0.5
grep -q "L3 tables replaced" "$WT_DIR/wiretimed.out" || { cat "$WT_DIR/wiretimed.out"; fail "the commit did not reach the dataplane"; }
if [ "$scenario" = vrf ]; then
  sync_wait 70
  "$cli" --socket "$sock" -c "display ntp sessions" >"$WT_DIR/sessions.txt" || fail "display ntp sessions"
  "$cli" --socket "$sock" -c "display ntp sessions verbose" >"$WT_DIR/verbose.txt" || fail "display ntp sessions verbose"
  "$cli" --socket "$sock" -c "display interface brief" >"$WT_DIR/interfaces.txt" || fail "display interface brief"
  sed 's/^/   | /' "$WT_DIR/sessions.txt" "$WT_DIR/interfaces.txt"
  n=$(grep -c "clock source: 198.18.1.1\$" "$WT_DIR/sessions.txt" || true)
  [ "$n" = 2 ] || fail "display ntp sessions shows $n sessions for 198.18.1.1, not 2"
  n=$(grep -c "clock status: .*master\|clock status: .*selected" "$WT_DIR/sessions.txt" || true)
  [ "$n" = 2 ] || fail "display ntp sessions: $n of the 2 sessions used"
  n=$(grep -c "vpn-instance" "$WT_DIR/sessions.txt" || true)
  [ "$n" = 2 ] || fail "display ntp sessions: $n sessions flagged vpn-instance"
  # The lab's vdevs have qdisc_bypass=0: both sessions' samples carry the kernel's stamps.
  n=$(grep -c "timestamp source: kernel" "$WT_DIR/verbose.txt" || true)
  [ "$n" = 2 ] || fail "display ntp sessions verbose: $n sessions with kernel timestamps"
  for itf in GE1/0/1 GE1/0/2; do
    grep -Eq "^$itf +up +up" "$WT_DIR/interfaces.txt" || fail "display interface brief: $itf not up/up"
  done
  # Live L3 change on GE1/0/2 only: GE1/0/1's neighbour and its session are not disturbed.
  # Seconds into the UTC day, as the measurements log's time column counts them.
  change_s=$(date -u +%H:%M:%S.%N | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }')
  cli -c "system-view; interface GE1/0/2; ip address 198.18.1.3 24; quit; commit" >"$WT_DIR/change.out" 2>&1 ||
    { cat "$WT_DIR/change.out"; fail "the live change of GE1/0/2 was refused"; }
  echo "   committed: GE1/0/2 198.18.1.2 -> 198.18.1.3 (GE1/0/1 untouched)"
  sync_wait 30
elif [ "$scenario" = ipv6 ]; then
  sync_wait 20
  ip netns exec "$WT_NS_SRV" python3 "$here/icmpv6_echo.py" 2001:db8::2 || fail "no ICMPv6 echo reply"
  echo "   ICMPv6 echo from the server answered"
  sync_wait 80
else
  sync_wait 100
fi
sync_stop_daemon
sync_show
grep -q "synchronized to $reference" "$WT_DIR/wiretimed.out" || fail "never synchronized"
if [ "$scenario" = vrf ]; then
  # Two sessions for one address, told apart by VRF: each answered (its own stratum), each
  # accepted samples and took part in selection.
  for v in "1 1" "2 2"; do
    read -r vrf stratum <<<"$v"
    n=$(awk -v s="198.18.1.1:123@vrf$vrf" -v st="$stratum" \
      '$3 == s && $4 == st && $7 == "ok" { n++ } END { print n + 0 }' "$WT_DIR/measurements.log")
    echo "   vrf $vrf (stratum $stratum): $n accepted samples"
    [ "$n" -ge 10 ] || fail "too few samples from 198.18.1.1 in vrf $vrf"
    bad=$(awk -v s="198.18.1.1:123@vrf$vrf" -v st="$stratum" '$3 == s && $4 != st' \
      "$WT_DIR/measurements.log" | wc -l)
    [ "$bad" = 0 ] || fail "$bad replies of the other VRF's server delivered to vrf $vrf"
  done
  sessions=$(grep -cE "session 198\.18\.1\.1 vpn-instance (red|blue) .*: (system peer|selected)," \
    "$WT_DIR/wiretimed.out" || true)
  [ "$sessions" = 2 ] || fail "expected two used sessions for 198.18.1.1, got $sessions"
  # Around the live change: red's accepted samples keep their pace (polls every 1..4 s: no gap
  # above 8 s from 10 s before to 20 s after the commit), blue answers again afterwards.
  read -r red_gap red_n blue_after < <(awk -v t="$change_s" '
    /^#/ { next }
    { split($2, hms, ":"); s = hms[1] * 3600 + hms[2] * 60 + hms[3] }
    $3 == "198.18.1.1:123@vrf1" && $7 == "ok" && s > t - 10 && s < t + 20 {
      if (last) { g = s - last; if (g > gap) gap = g } last = s; n++ }
    $3 == "198.18.1.1:123@vrf2" && $7 == "ok" && s > t { b++ }
    END { printf "%.1f %d %d\n", gap, n, b }' "$WT_DIR/measurements.log")
  echo "   live change: red $red_n samples around it, largest gap $red_gap s; blue $blue_after samples after it"
  [ "$red_n" -ge 5 ] || fail "red's session paused around the live change ($red_n samples)"
  awk -v g="$red_gap" 'BEGIN { exit !(g <= 8) }' || fail "red's samples paused $red_gap s around the live change"
  [ "$blue_after" -ge 3 ] || fail "blue did not resume after its address changed ($blue_after samples)"
fi
read -r rx accounted < <(sed -n 's/.*dataplane: rx \([0-9]*\) accounted \([0-9]*\).*/\1 \2/p' "$WT_DIR/wiretimed.out")
[ -n "$rx" ] && [ "$rx" -gt 0 ] && [ "$rx" = "$accounted" ] ||
  fail "dataplane received ${rx:-?} frames, accounted for ${accounted:-?}"
# The VLAN run has a lab artefact in its path: the kernel here has no VLAN devices, so userspace
# taggers forward every frame, one scheduler wake-up each way. However the taggers are placed,
# their wake-ups differ from exchange to exchange by up to ~100 us (two delay modes, ~70 and
# ~190 us, measured with kernel stamps and interleaved mode, which leave nothing else
# asymmetric): the error swings by tens of us (max |error| 29.5, 31.3, 44.9, 23.8 us in four
# runs here, 70.7 us once in a CI run). What this run proves is the sub-interface (tagging both
# ways, ARP and NTP over VLAN 100, synchronisation through it); its steady bound is the
# convergence bound, 100 us. Every other run has sync_steady_limit's 20 us.
# Convergence (< 100 us within 60 s) is the same for every run.
[ "$scenario" = vrf ] || sync_check_stamps dpdk "$reference"
steady=(--steady-limit "$(sync_steady_limit dpdk)")
[ "$scenario" = vlan ] && steady=(--steady-limit 100e-6)
sync_check "${steady[@]}" || fail "accuracy limits"
echo PASS

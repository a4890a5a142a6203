#!/usr/bin/env bash
# End to end: the routed dataplane (Dataplane facade, DPDK net_af_packet on veths) measures
# chronyd servers in network namespaces. Ground truth: every process uses this host's
# CLOCK_REALTIME, so the true offset is 0.
#   ipv6: one server at 2001:db8::1 (neighbour discovery both ways, ICMPv6 echo)
#   vlan: the server behind VLAN 100 on the link, reached through sub-interface GE1/0/1.100
#   vrf:  two links in vpn-instances red and blue, each with a chronyd at 198.18.1.1 (red at
#         stratum 1, blue at stratum 3, so each sample shows which server answered)
# Each: >= 5 samples per server in 12 s at 1 s polling, |offset| and delay < 1 ms, replies
# demultiplexed to the right VRF and interface, every received frame in exactly one counter,
# and nothing left behind. Exit 77 (skip) without root, `ip netns` or chronyd.
set -euo pipefail
probe=${1:?usage: $0 PATH/TO/dataplane_probe ipv6|vlan|vrf}
scenario=${2:?usage: $0 PATH/TO/dataplane_probe ipv6|vlan|vrf}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"  # wt_lab_require, wt_lab_stop, CPU helpers, WT_LAB_RT

if ! why=$(wt_lab_require); then echo "SKIP: $why"; exit 77; fi
[ -x "$probe" ] || { echo "FAIL: $probe is not executable"; exit 1; }

tag="d$$"
ns_cli="wt-cli-$tag"
ns_red="wt-srv-$tag"
ns_blue="wt-sr2-$tag"
dir=$(mktemp -d "/tmp/wiretime-dp-$tag.XXXXXX")
pids=()
rt=()
if [ -n "$WT_LAB_RT" ] && $WT_LAB_RT true 2>/dev/null; then read -r -a rt <<<"$WT_LAB_RT"; fi

cleanup() {
  set +e
  trap '' INT TERM
  local pid ns
  for pid in "${pids[@]}"; do wt_lab_stop "$pid"; done
  for ns in "$ns_cli" "$ns_red" "$ns_blue"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ "${WT_KEEP_DIR:-0}" = 1 ] || rm -rf "$dir"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "FAIL: $*"; [ -f "$dir/probe.out" ] && sed 's/^/   probe: /' "$dir/probe.out"; exit 1; }

# link SERVER_NS CLIENT_DEV SERVER_DEV: a veth from the client namespace to a server namespace,
# checksums computed in full (wiretime verifies them), VLAN tags in the frame data.
link() {
  ip link add "$2" type veth peer name "$3"
  ip link set "$2" netns "$ns_cli"
  ip link set "$3" netns "$1"
  ip netns exec "$ns_cli" ethtool -K "$2" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
  ip netns exec "$1" ethtool -K "$3" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
  ip -n "$ns_cli" link set "$2" up
  ip -n "$1" link set "$3" up
}

# chronyd NS STRATUM ADDR...: a local chronyd serving the host clock, bound to the addresses.
chronyd_in() {
  local ns=$1 stratum=$2 conf="$dir/chrony-$1.conf" a
  shift 2
  {
    echo "local stratum $stratum"
    echo "allow 198.18.0.0/15"
    echo "allow 2001:db8::/32"
    echo "port 123"
    echo "cmdport 0"
    echo "pidfile $dir/chronyd-$ns.pid"
    echo "driftfile $dir/chrony-$ns.drift"
    for a in "$@"; do echo "bindaddress $a"; done
  } >"$conf"
  ip netns exec "$ns" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
    chronyd -f "$conf" -u root -x -d >"$dir/chronyd-$ns.log" 2>&1 &
  pids+=($!)
  local i
  for i in $(seq 50); do
    if ip netns exec "$ns" ss -Hlun "sport = :123" | grep -q .; then return 0; fi
    sleep 0.1
  done
  cat "$dir/chronyd-$ns.log"
  fail "chronyd in $ns did not start"
}

ip netns add "$ns_cli"
ip netns add "$ns_red"
for ns in "$ns_cli" "$ns_red"; do
  ip -n "$ns" link set lo up
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
link "$ns_red" "wca$tag" "wsa$tag"
ip netns exec "$ns_red" sysctl -qw "net.ipv4.conf.wsa$tag.arp_accept=1"

limit_ns=1000000
lcores=0
[ "$(nproc)" -gt 1 ] && lcores="0,$(wt_lab_dataplane_cpu)"
vdevs="\"--vdev\", \"net_af_packet0,iface=wca$tag\""
servers=""
case $scenario in
  ipv6)
    ip netns exec "$ns_red" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 "net.ipv6.conf.wsa$tag.disable_ipv6=0"
    ip -n "$ns_red" addr add 2001:db8::1/64 dev "wsa$tag" nodad
    chronyd_in "$ns_red" 1 2001:db8::1
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=wca$tag
    ipv6: [2001:db8::2/64]"
    servers="
    - address: 2001:db8::1
      minpoll: 0"
    expect="2001:db8::1 - GE1/0/1 1"
    ;;
  vlan)
    # The server's interface on VLAN 100: a kernel VLAN device where the kernel has 8021q,
    # else a userspace access port (vlan_tagger.py) between the trunk and a second veth pair.
    if ip -n "$ns_red" link add link "wsa$tag" name "wsv$tag" type vlan id 100 2>/dev/null; then
      vlan_dev="wsv$tag"
    else
      ip -n "$ns_red" link add "wsi$tag" type veth peer name "wsv$tag"
      ip netns exec "$ns_red" ethtool -K "wsi$tag" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
      ip -n "$ns_red" link set "wsi$tag" up
      vlan_dev="wsv$tag"
      ip netns exec "$ns_red" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
        python3 "$(dirname "$0")/vlan_tagger.py" "wsa$tag" "wsi$tag" 100 \
        >"$dir/tagger.log" 2>&1 &
      pids+=($!)
      # A Python hop in each direction adds up to tens of milliseconds of (asymmetric) delay
      # on a loaded machine: the limits below are about delivery, not accuracy, here.
      limit_ns=50000000
      echo "   no kernel VLAN devices: userspace 802.1Q access port in the server namespace"
    fi
    ip netns exec "$ns_red" ethtool -K "$vlan_dev" tx off rx off >/dev/null 2>&1 || true
    ip -n "$ns_red" link set "$vlan_dev" up
    ip -n "$ns_red" addr add 198.18.100.1/24 dev "$vlan_dev"
    ip netns exec "$ns_red" sysctl -qw "net.ipv4.conf.$vlan_dev.arp_accept=1"
    chronyd_in "$ns_red" 1 198.18.100.1
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=wca$tag
    ipv4: 198.18.0.2/24
  - name: GE1/0/1.100
    parent: GE1/0/1
    vlan: 100
    ipv4: 198.18.100.2/24"
    servers="
    - address: 198.18.100.1
      source-interface: GE1/0/1.100
      minpoll: 0"
    expect="198.18.100.1 - GE1/0/1.100 1"
    ;;
  vrf)
    ip netns add "$ns_blue"
    ip -n "$ns_blue" link set lo up
    ip netns exec "$ns_blue" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    link "$ns_blue" "wcb$tag" "wsb$tag"
    ip netns exec "$ns_blue" sysctl -qw "net.ipv4.conf.wsb$tag.arp_accept=1"
    ip -n "$ns_red" addr add 198.18.1.1/24 dev "wsa$tag"
    ip -n "$ns_blue" addr add 198.18.1.1/24 dev "wsb$tag"
    chronyd_in "$ns_red" 1 198.18.1.1
    chronyd_in "$ns_blue" 3 198.18.1.1
    vdevs="$vdevs, \"--vdev\", \"net_af_packet1,iface=wcb$tag\""
    interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=wca$tag
    vpn-instance: red
    ipv4: 198.18.1.2/24
  - name: GE1/0/2
    devargs: net_af_packet1,iface=wcb$tag
    vpn-instance: blue
    ipv4: 198.18.1.2/24"
    servers="
    - address: 198.18.1.1
      vpn-instance: red
      minpoll: 0
    - address: 198.18.1.1
      vpn-instance: blue
      minpoll: 0"
    expect="198.18.1.1 red GE1/0/1 1
198.18.1.1 blue GE1/0/2 3"
    ;;
  *) fail "unknown scenario $scenario" ;;
esac

cat >"$dir/probe.yaml" <<YAML
dataplane:
  eal: ["--no-huge", "--no-pci", "-m", "64", "-l", "$lcores", "--file-prefix", "wt-$tag",
        $vdevs]
  idle-sleep-us: 20
interfaces:$interfaces
ntp:
  unicast-servers:$servers
YAML

echo "== $scenario: probe for 12 s"
ip netns exec "$ns_cli" "${rt[@]}" "$probe" "$dir/probe.yaml" "$dir/samples.log" >"$dir/probe.out" 2>&1 &
probe_pid=$!
pids+=("$probe_pid")
if [ "$scenario" = ipv6 ]; then
  # The server's kernel resolves us by neighbour discovery and gets an echo reply.
  sleep 3
  ip netns exec "$ns_red" python3 "$(dirname "$0")/icmpv6_echo.py" 2001:db8::2 || fail "no ICMPv6 echo reply"
  echo "   ICMPv6 echo from the server answered"
  sleep 9
else
  sleep 12
fi
kill -0 "$probe_pid" 2>/dev/null || fail "the probe exited early"
kill -TERM "$probe_pid"
status=0
wait "$probe_pid" || status=$?
sed 's/^/   probe: /' "$dir/probe.out"
[ "$status" = 0 ] || fail "probe exit status $status (counters must account for every frame)"
sed 's/^/   /' "$dir/samples.log" | tail -n 6

while read -r address vrf itf stratum; do
  read -r count bad < <(awk -v lim="$limit_ns" -v a="$address" -v v="$vrf" -v i="$itf" -v s="$stratum" '
    $3 == "server=" a && $4 == "vrf=" v {
      n++
      o = substr($8, 11) + 0; d = substr($9, 10) + 0
      if ($5 != "interface=" i || $6 != "stratum=" s || o >= lim || o <= -lim || d >= lim || d < 0) {
        bad++; print "   out of limits or misdelivered: " $0 > "/dev/stderr"
      }
    }
    END { printf "%d %d\n", n, bad + 0 }' "$dir/samples.log")
  echo "   server $address vrf $vrf via $itf (stratum $stratum): $count samples, $bad outside +-$limit_ns ns"
  [ "$count" -ge 5 ] || fail "only $count samples from $address in $vrf"
  [ "$bad" = 0 ] || fail "$bad samples from $address in $vrf out of limits or misdelivered"
done <<<"$expect"

cleanup
trap - EXIT
for ns in "$ns_cli" "$ns_red" "$ns_blue"; do
  if ip netns list | grep -qw -- "$ns"; then echo "FAIL: namespace $ns left behind"; exit 1; fi
done
[ ! -d "$dir" ] || { echo "FAIL: $dir left behind"; exit 1; }
echo "PASS"

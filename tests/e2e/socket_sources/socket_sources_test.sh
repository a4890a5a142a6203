#!/usr/bin/env bash
# Socket backend parity, client side (issue 10 item 5), all through wiretime-cli on a live
# socket-backend daemon started without servers:
#   1. ipv6: `ntp unicast-server ipv6 2001:db8::1`: the daemon synchronises to chronyd on
#      2001:db8::1 (master, clock synchronized, the 5 ms initial offset below 1 ms) from an
#      AF_INET6 client socket;
#   2. source interface: a second veth pair, GE1/0/2 = 198.18.1.2, chronyd on 198.18.1.1
#      answering 198.18.1.2 only (the default socket, bound to GE1/0/1's 198.18.0.2, would be
#      ignored): `ntp unicast-server 198.18.1.1 source-interface GE1/0/2` synchronises, the
#      requests captured at the server come from 198.18.1.2, the session's peer interface is
#      GE1/0/2;
#   3. no address: the IPv6 server moved to `source-interface GE1/0/2` (IPv6 enabled, no
#      address): the commit is taken, the log names the server, it stays unreachable (reach 0),
#      the daemon runs on;
#   4. vpn-instance: refused at commit with the socket backend's words, and a file holding one
#      refused by `wiretimed --check-config`.
# Usage: socket_sources_test.sh WIRETIMED WIRETIME_CLI
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI}
SYNC_CLI=${2:?}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "p$$"
# The second link: GE1/0/2 (client) <-> the server namespace, 198.18.1.0/24.
veth2_srv="wtx$WT_TAG" veth2_cli="wty$WT_TAG"
wt_lab_add_link "$WT_NS_SRV" "$veth2_srv" "$veth2_cli"
ip -n "$WT_NS_SRV" addr add 198.18.1.1/24 dev "$veth2_srv"
ip -n "$WT_NS_CLI" addr add 198.18.1.2/24 dev "$veth2_cli"
# IPv6 on the first link (the lab turns it off): the kernel owns the addresses the socket
# backend sends from.
ipv6_on() {  # NS DEV ADDR
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 "net.ipv6.conf.$2.disable_ipv6=0"
  ip -n "$1" addr add "$3/64" dev "$2" nodad
}
ipv6_on "$WT_NS_SRV" "$WT_VETH_SRV" 2001:db8::1
ipv6_on "$WT_NS_CLI" "$WT_VETH_CLI" 2001:db8::2
wt_lab_kernel_address

wt_lab_chronyd six 2001:db8::1 || fail "chronyd on 2001:db8::1 did not start"
wt_lab_chronyd two 198.18.1.1 allow=198.18.1.2 || fail "chronyd on 198.18.1.1 did not start"

interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI
    ipv4: $WT_CLIENT_IP/$WT_PREFIX_LEN
  - name: GE1/0/2
    devargs: net_af_packet1,iface=$veth2_cli"
wt_lab_wiretimed_yaml backend=socket offset=5000000 frequency=20000 interfaces="$interfaces" \
  measurements="$WT_DIR/measurements.log" tracking="$WT_DIR/tracking.log" >"$WT_DIR/wiretimed.yaml"
sync_start_daemon "$daemon" "$WT_DIR/wiretimed.yaml"
out=$WT_DIR/wiretimed.out
cli() { sync_cli "$@"; }
sync_wait_mgmt 60

echo "== ipv6: ntp unicast-server ipv6 2001:db8::1"
cli -c "system-view; interface GE1/0/1; ipv6 enable; ipv6 address 2001:db8::2 64; quit
ntp unicast-server ipv6 2001:db8::1 minpoll 3 iburst; commit" ||
  { cat "$out"; fail "commit refused"; }
sync_wait_master 2001:db8::1 90
sync_wait_offset 120  # the virtual clock started 5 ms off: it follows 2001:db8::1
grep -q "client sockets: .*default ::" "$out" || fail "no IPv6 client socket in the log"

echo "== source interface: ntp unicast-server 198.18.1.1 source-interface GE1/0/2"
cli -c "system-view; interface GE1/0/2; ip address 198.18.1.2 24; ipv6 enable; quit
undo ntp unicast-server ipv6 2001:db8::1
ntp unicast-server 198.18.1.1 source-interface GE1/0/2 minpoll 3 iburst; commit" ||
  { cat "$out"; fail "commit refused"; }
grep -q "client sockets: .*GE1/0/2 198.18.1.2" "$out" || { cat "$out"; fail "no socket on 198.18.1.2"; }
ip netns exec "$WT_NS_SRV" tshark -q -i "$veth2_srv" -a duration:12 -w "$WT_DIR/two.pcap" \
  -f "udp port 123" >/dev/null 2>&1 &
capture=$!
sync_wait_master 198.18.1.1 90
cli -c "display ntp sessions verbose" | grep -q "peer interface: GE1/0/2" ||
  fail "display ntp sessions verbose does not show the replies arriving on GE1/0/2"
wait "$capture" || true
if command -v tshark >/dev/null; then
  sources=$(tshark -r "$WT_DIR/two.pcap" -Y "ntp.flags.mode == 3" -T fields -e ip.src 2>/dev/null | sort -u)
  echo "   requests to 198.18.1.1 from: $sources"
  [ "$sources" = 198.18.1.2 ] || fail "requests not from GE1/0/2's 198.18.1.2: $sources"
fi

echo "== no address: the IPv6 server from GE1/0/2, which has no IPv6 address"
cli -c "system-view; ntp unicast-server ipv6 2001:db8::1 source-interface GE1/0/2 minpoll 3 iburst; commit" ||
  { cat "$out"; fail "commit refused"; }
for i in $(seq 20); do grep -q "server 2001:db8::1: source-interface GE1/0/2 has no IPv6 address" "$out" && break; sleep 0.2; done
grep -q "server 2001:db8::1: source-interface GE1/0/2 has no IPv6 address" "$out" ||
  { cat "$out"; fail "no log line for the server without an address"; }
sync_wait 12
r=$(sync_reach 2001:db8::1)
[ "${r:-x}" = 0 ] || fail "2001:db8::1 from GE1/0/2: reach '${r:-}' (expected 0)"
r=$(sync_reach 198.18.1.1)
[ "${r:-0}" != 0 ] || fail "198.18.1.1 stopped answering (reach ${r:-none})"
echo "   reach 0, daemon up"

echo "== vpn-instance: refused at commit and by --check-config"
refused=$(cli -c "system-view; ip vpn-instance red; ipv4-family; quit; quit
ntp unicast-server 198.18.1.1 vpn-instance red; commit" 2>&1) && fail "vpn-instance commit accepted"
echo "   $refused" | grep -i "vpn" | head -2
grep -q "the socket backend sends in the host's routing table only" <<<"$refused" ||
  fail "refusal does not give the socket backend's reason: $refused"
cli -c "display current-configuration" | grep -q "vpn-instance red" && fail "the refused commit changed the configuration"
{
  wt_lab_wiretimed_yaml backend=socket interfaces="$interfaces"
  printf '  vpn-instances:\n    - name: red\n      ipv4-family: true\n'
  printf '  unicast-servers:\n    - address: 198.18.1.1\n      vpn-instance: red\n'
} >"$WT_DIR/vpn.yaml"
status=0
"$daemon" --config "$WT_DIR/vpn.yaml" --check-config >"$WT_DIR/check.out" 2>&1 || status=$?
cat "$WT_DIR/check.out" | sed 's/^/   | /'
[ "$status" != 0 ] || fail "--check-config accepted a vpn-instance on the socket backend"
grep -q "vpn-instance red: the socket backend" "$WT_DIR/check.out" || fail "--check-config did not say why"

sync_stop_daemon
echo PASS

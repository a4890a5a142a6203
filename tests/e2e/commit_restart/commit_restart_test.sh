#!/usr/bin/env bash
# Issue 10 item 2, "an accepted commit always restarts", on a live daemon: wiretimed (socket or
# DPDK backend) starts from an inventory-only file (a port, no address, no `ntp:` entries);
# wiretime-cli commits a VPN instance, the port's address, a static route and two servers -
# one reachable (chronyd -x in the server namespace), one with no route (accepted, shown
# unreachable, as VRP does). The daemon is killed with SIGKILL and started again from the file
# the commit wrote: `display current-configuration` must be identical and both associations
# back, the reachable one answering again. On DPDK the committed address and route reach the
# running dataplane (issue 10 item 3: the association comes up without a restart) and, after the
# SIGKILL, the start-up tables; a later commit binding the port to a VPN together with a server
# in it logs no 'no route' for that server, one for a server in a VPN without an interface.
# Usage: commit_restart_test.sh WIRETIMED WIRETIME_CLI [socket|dpdk]
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI [socket|dpdk]}
cli=${2:?}
backend=${3:-socket}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "k$$"
# socket: the kernel owns the client address; dpdk: the dataplane, from the commit.
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd chronyd "$WT_SERVER_IP"
yaml=$WT_DIR/wiretimed.yaml
sock=$WT_DIR/wiretimed.sock
# EAL start-up takes up to a minute on a loaded machine.
limit=60
[ "$backend" = dpdk ] && limit=180
wt_lab_wiretimed_yaml backend="$backend" interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0" >"$yaml"
grep -q "ipv4" "$yaml" && fail "the start-up file is not inventory-only"

cli() { "$cli" --socket "$sock" "$@"; }
start_daemon() {
  wt_lab_spawn "$WT_DIR/$1" "$daemon" --config "$yaml" --mgmt-socket "$sock"
  DAEMON_PID=$WT_LAST_PID
  DAEMON_OUT=$WT_DIR/$1
  local i
  for i in $(seq $((limit * 10))); do
    # A SIGKILLed daemon leaves its socket file behind: wait for an answer, not for the file.
    [ -S "$sock" ] && cli -c "display current-configuration" >/dev/null 2>&1 && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$DAEMON_OUT"
  fail "wiretimed did not open its management socket"
}
# wait_answering LIMIT_S: until the reachable server's session has received replies.
wait_answering() {
  local end=$((SECONDS + $1)) sessions
  while [ $SECONDS -lt "$end" ]; do
    kill -0 "$DAEMON_PID" 2>/dev/null || { cat "$DAEMON_OUT"; fail "wiretimed exited"; }
    sessions=$(cli -c "display ntp sessions") || fail "display ntp sessions failed"
    if awk -v s="$WT_SERVER_IP" 'index($0, "clock source: " s) { f = 1; next }
           /clock source: / { f = 0 } f && /^ *reach: / { r = $2 } END { exit !(r + 0 > 0) }' \
      <<<"$sessions"; then
      return 0
    fi
    sleep 1
  done
  echo "$sessions"; cat "$DAEMON_OUT"
  fail "no reply from $WT_SERVER_IP within $1 s"
}

lines=(
  "system-view"
  "ip vpn-instance blue"
  "ipv4-family"
  "quit"
  "quit"
  "interface GE1/0/1"
  "ip address $WT_CLIENT_IP $WT_PREFIX_LEN"
  "quit"
  "ip route-static 203.0.113.0 24 $WT_SERVER_IP"
  "ntp unicast-server $WT_SERVER_IP minpoll 3 iburst"
  "ntp unicast-server 192.0.2.77 minpoll 3"
  "ntp max-distance 3"
  "commit"
)
echo "== commit through the live daemon"
start_daemon wiretimed.out
printf '%s\n' "${lines[@]}" | sed 's/^/   > /'
printf '%s\n' "${lines[@]}" | cli - >"$WT_DIR/cli.out" 2>&1 || {
  cat "$WT_DIR/cli.out"; fail "wiretime-cli refused the lines"; }
before=$(cli -c "display current-configuration")
for want in "ip vpn-instance blue" "ip address $WT_CLIENT_IP" "ip route-static 203.0.113.0" \
  "ntp unicast-server $WT_SERVER_IP" "ntp unicast-server 192.0.2.77"; do
  grep -q "$want" <<<"$before" || { echo "$before"; fail "'$want' not in the running configuration"; }
done
wait_answering "$limit"
cli -c "display ntp sessions" | grep -q "192.0.2.77" || fail "the unroutable server is not listed"

echo "== SIGKILL, then start again from the file the commit wrote"
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
"$daemon" --config "$yaml" --check-config >/dev/null || fail "the committed file does not load"
start_daemon wiretimed-restart.out
after=$(cli -c "display current-configuration")
[ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after"); fail "configuration differs after the restart"; }
echo "$after" | sed 's/^/   | /'
sessions=$(cli -c "display ntp sessions")
for s in "$WT_SERVER_IP" 192.0.2.77; do
  grep -q "$s" <<<"$sessions" || { echo "$sessions"; fail "association $s not back"; }
done
wait_answering "$limit"
grep -q "source $WT_SERVER_IP:123" "$DAEMON_OUT" || fail "the start-up commit did not log the source"
if [ "$backend" = dpdk ]; then
  grep -q "L3 tables replaced" "$WT_DIR/wiretimed.out" || fail "the live commit did not reach the dataplane"
  grep -q "interface GE1/0/1: $WT_CLIENT_IP/$WT_PREFIX_LEN" "$DAEMON_OUT" ||
    fail "the restarted dataplane did not build GE1/0/1's address from the file"
  echo "== one commit binds GE1/0/1 to blue and adds a server in blue: no 'no route' line"
  cli -c "system-view; interface GE1/0/1; ip binding vpn-instance blue; \
ip address $WT_CLIENT_IP $WT_PREFIX_LEN; quit; ntp unicast-server $WT_SERVER_IP vpn-instance blue; \
ip vpn-instance dark; ipv4-family; quit; quit; ntp unicast-server 198.18.3.1 vpn-instance dark; \
commit" >/dev/null || fail "the VPN commit was refused"
  cli -c "system-view; ip route-static vpn-instance blue 203.0.113.0 24 $WT_SERVER_IP; commit" \
    >/dev/null || fail "the route commit was refused"
  sleep 0.5
  grep "it has no route" "$DAEMON_OUT" | sed 's/^/   | /' || true
  # Only the server in the VPN without an interface, once (not again at the second commit).
  [ "$(grep -c "it has no route" "$DAEMON_OUT")" = 1 ] &&
    grep -q "server 198.18.3.1: vpn-instance 'dark' has no interface; it has no route" "$DAEMON_OUT" ||
    fail "expected one no-route warning, for 198.18.3.1 only"
else
  grep -q "L3 change of the commit not applied: the socket backend" "$WT_DIR/wiretimed.out" ||
    fail "the socket backend did not say that it leaves L3 to the kernel"
fi
kill -TERM "$DAEMON_PID"
status=0
wait "$DAEMON_PID" || status=$?
[ "$status" = 0 ] || { cat "$DAEMON_OUT"; fail "wiretimed exit status $status after SIGTERM"; }
echo PASS

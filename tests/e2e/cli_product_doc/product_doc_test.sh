#!/usr/bin/env bash
# Issue 5, end to end: the product document's "Configuring the NTP Client/Server Mode"
# procedure, typed as written (lab address and interface name filled in) into wiretime-cli on
# stdin against a running wiretimed that starts from an inventory-only file (the port, no
# address, no NTP configuration), after the section-12 lines for its interface (`interface
# GE1/0/1`, `ip address ...`: on DPDK they reach the running dataplane, issue 10 item 3; the
# socket backend leaves the address to the kernel and says so in its log); chronyd -x serves
# the host clock in the server namespace. Passes when `display ntp sessions` shows the server
# as master and `display ntp status` says synchronized (within 120 s), a line naming an
# interface outside the inventory is refused, and - restart check - wiretimed stopped and
# started again from the YAML file commit rewrote comes up with the committed configuration
# and synchronises again; wiretimed killed (SIGKILL) while a shell commits in a loop leaves
# the old or the new file, and starts from it. The virtual clock starts 5 ms off; the offset
# shown must fall below 1 ms.
# Usage: product_doc_test.sh WIRETIMED WIRETIME_CLI socket|dpdk PRODUCT_DOC
# (dpdk: wiretimed owns the client address through net_af_packet; socket: the kernel does)
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI socket|dpdk PRODUCT_DOC}
cli=${2:?}
backend=${3:?}
doc=${4:?}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"
[ -r "$doc" ] || { echo "SKIP: no product document at $doc"; exit 77; }

# The procedure's lines, in the document's order. The document gives each step's command as
# a link whose text is the command's fixed keywords, followed by its parameters; the test
# types those keywords with the parameters filled in for the lab.
procedure=(
  "system-view"
  "ntp unsync max-poll-interval 7 dec-step 6"
  "ntp source-interface GE 1/0/1"
  "ntp unicast-server $WT_SERVER_IP minpoll 3 iburst"
  "commit"
)
mapfile -t doc_commands < <(grep -o '\[[a-z][a-z -]*\](cmdqueryname=' "$doc" | sed 's/^\[\(.*\)\](.*/\1/')
[ "${#doc_commands[@]}" = "${#procedure[@]}" ] ||
  fail "the document has ${#doc_commands[@]} procedure commands (${doc_commands[*]}), the test types ${#procedure[@]}"
for i in "${!procedure[@]}"; do
  case "${procedure[$i]}" in
    "${doc_commands[$i]}" | "${doc_commands[$i]} "*) ;;
    *) fail "step $((i + 1)): the document says '${doc_commands[$i]}', the test types '${procedure[$i]}'" ;;
  esac
done

# The section-12 lines for the procedure's interface, typed in the same session before it.
l3_lines=("interface GE1/0/1" "ip address $WT_CLIENT_IP $WT_PREFIX_LEN" "quit")

sync_setup "p$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd chronyd "$WT_SERVER_IP"
# Inventory only: no address, no server (the CLI adds both).
wt_lab_wiretimed_yaml backend="$backend" offset=5000000 frequency=20000 \
  measurements="$WT_DIR/measurements.log" tracking="$WT_DIR/tracking.log" interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0" >"$WT_DIR/wiretimed.yaml"
grep -Eq "ipv4|ipv6" "$WT_DIR/wiretimed.yaml" && fail "the start-up file is not inventory-only"
sock=$WT_DIR/wiretimed.sock

# start_daemon LOG: wiretimed with its management socket, in the client namespace.
start_daemon() {
  wt_lab_spawn "$WT_DIR/$1" "${SYNC_RT[@]}" "$daemon" --config "$WT_DIR/wiretimed.yaml" \
    --mgmt-socket "$sock"
  SYNC_DAEMON_PID=$WT_LAST_PID
  DAEMON_OUT=$WT_DIR/$1
  local i
  # EAL start-up can take a minute on a loaded machine.
  for i in $(seq 1800); do
    # A SIGKILLed daemon leaves its socket file behind: wait for an answer, not for the file.
    [ -S "$sock" ] && cli -c "display current-configuration" >/dev/null 2>&1 && return 0
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$DAEMON_OUT"
  fail "wiretimed did not open its management socket"
}
cli() { "$cli" --socket "$sock" "$@"; }
SYNC_CLI=$cli

# SIGTERM must end the daemon cleanly (exit status 0) and take its socket away.
stop_daemon() {
  kill -TERM "$SYNC_DAEMON_PID"
  local status=0
  wait "$SYNC_DAEMON_PID" || status=$?
  [ "$status" = 0 ] || { cat "$DAEMON_OUT"; fail "wiretimed exit status $status after SIGTERM"; }
}

# wait_master LIMIT_S: until the server is master and the clock synchronized.
wait_master() { SYNC_OUT=$DAEMON_OUT sync_wait_master "$WT_SERVER_IP" "$1"; }

echo "== $backend backend: the interface's section-12 lines and the product document's procedure on stdin"
start_daemon wiretimed.out
typed=("${procedure[0]}" "${l3_lines[@]}" "${procedure[@]:1}")
printf '%s\n' "${typed[@]}" | sed 's/^/   > /'
printf '%s\n' "${typed[@]}" | cli - >"$WT_DIR/cli.out" 2>&1 || {
  cat "$WT_DIR/cli.out"; fail "wiretime-cli refused the procedure"; }
grep -q "unsync-max-poll-interval" "$WT_DIR/wiretimed.yaml" || fail "commit did not rewrite the file"
grep -q "ipv4-addresses" "$WT_DIR/wiretimed.yaml" || fail "commit did not save the interface address"
# The control thread answers the commit, then hands the tables over: give it a moment.
l3_said="L3 change of the commit not applied: the socket backend"
[ "$backend" = dpdk ] && l3_said="L3 tables replaced"
for i in $(seq 50); do grep -q "$l3_said" "$DAEMON_OUT" && break; sleep 0.1; done
grep -q "$l3_said" "$DAEMON_OUT" || { cat "$DAEMON_OUT"; fail "no '$l3_said' in the daemon's log"; }
cp "$WT_DIR/wiretimed.yaml" "$WT_DIR/committed.yaml"
wait_master 120

# wait_offset LIMIT_S: the clock offset below 1 ms (the virtual clock started 5 ms off).
wait_offset() { SYNC_OUT=$DAEMON_OUT sync_wait_offset "$1"; }
wait_offset 120

echo "== an interface outside the inventory is refused, running unchanged"
before=$(cli -c "display current-configuration")
if out=$(cli -c "system-view; ntp source-interface GE 1/0/9; commit" 2>&1); then
  fail "GE1/0/9 accepted: $out"
fi
grep -q "Error: The interface does not exist." <<<"$out" || fail "unexpected refusal: $out"
[ "$(cli -c "display current-configuration")" = "$before" ] || fail "running changed"
grep -q "ntp source-interface GE1/0/1" <<<"$before" || fail "no source-interface line: $before"

echo "== restart from the file commit wrote"
stop_daemon
start_daemon wiretimed-restart.out
after=$(cli -c "display current-configuration")
[ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after"); fail "configuration after restart differs"; }
echo "$after" | grep ntp | sed 's/^/   | /'
cli -c "display ntp sessions" | grep -q "$WT_SERVER_IP" || fail "session not listed after restart"
wait_master 120

echo "== SIGKILL during a commit loop: the file holds the old or the new configuration"
yaml=$WT_DIR/wiretimed.yaml
(
  for i in $(seq 500); do
    cli -c "system-view; ntp max-distance 3; commit" && echo 3 >>"$WT_DIR/commits" || exit 0
    cli -c "system-view; undo ntp max-distance; commit" && echo 1 >>"$WT_DIR/commits" || exit 0
  done
) >/dev/null 2>&1 &
committer=$!
WT_PIDS+=("$committer")
for i in $(seq 100); do
  [ -f "$WT_DIR/commits" ] && [ "$(wc -l <"$WT_DIR/commits")" -ge 2 ] && break
  sleep 0.1
done
sleep "0.$((RANDOM % 10))"
kill -KILL "$SYNC_DAEMON_PID"
wait "$SYNC_DAEMON_PID" 2>/dev/null || true
wait "$committer" 2>/dev/null || true
"$daemon" --config "$yaml" --check-config >/dev/null || fail "the file does not load after the kill"
grep -v "max-distance: 3" "$yaml" | cmp -s - <(grep -v "max-distance" "$WT_DIR/committed.yaml") ||
  { diff "$WT_DIR/committed.yaml" "$yaml"; fail "the file is neither the old nor the new configuration"; }
echo "   killed after $(wc -l <"$WT_DIR/commits") commits; the file has" \
  "$(grep -c "max-distance: 3" "$yaml" || true) max-distance line(s)"
[ "$(wc -l <"$WT_DIR/commits")" -ge 2 ] || fail "the commit loop did not commit"
start_daemon wiretimed-after-kill.out
cli -c "display ntp sessions" | grep -q "$WT_SERVER_IP" || fail "session not listed after the kill"
stop_daemon
ls "$WT_DIR" | grep -q '\.tmp' && fail "temporaries left next to the running file"
echo PASS

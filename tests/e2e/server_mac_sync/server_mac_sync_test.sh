#!/usr/bin/env bash
# e2e (issue 9 items 6 and 7): chronyd clients SYNCHRONISE continuously to wiretime's NTP server
# with every MAC algorithm chronyd has (MD5 SHA1 SHA256 SHA384 SHA512 AES128 AES256), each in
# basic and in interleaved (`xleave`) mode: 14 chronyd -x clients at once, each with its own
# source address in the server namespace (`bindacqaddress`), its own key file holding its key,
# `server 198.18.0.2 key N minpoll 0 maxpoll 0`. Every one must select wiretime (^*) and keep
# it, its samples after the selection within the offset rule below, the xleave ones mostly
# interleaved. A 15th client has key 2 with a wrong secret: it must never get a reply, and
# wiretime must count its requests as authentication failures.
# Then (all clients stopped) `display ntp statistics packet` and `... interface GE1/0/1` must
# agree with the daemon's own per-outcome counts (its shutdown line): Processed = served basic
# + interleaved, Authentication failures = authentication failed, Received = Processed +
# Dropped; `... peer 198.18.0.1` shows the upstream's exchanges.
# A control group runs alongside: chronyd serving the host clock from wiretime's namespace and
# link, asked by two unauthenticated clients (basic, xleave); its figures are printed next to
# wiretime's (what the lab and chronyd's own measurement contribute), not judged.
# Offset rule (docs/operations.md, "Server accuracy in the lab", where the figures are): samples
# after the selection; those whose round trip took over 1 ms (a scheduling hiccup of this 2-CPU
# machine) are left out (socket: at most 20 % per client) and count as misses in the per-client
# rule.
#   socket: per client >= 90 % within 20 us; over all 14 clients >= 98 % within 20 us, median
#           |offset| <= 5 us, interleaved clients' median <= 2 us. (Not "all": a single client
#           once saw +378 us, a ~0.75 ms scheduling stall on one leg of the exchange.)
#   dpdk (net_af_packet: T2 is the kernel's RX stamp of the request, read by the lcore from its
#         packet ring; an interleaved reply's TX the kernel's own stamp of the earlier reply;
#         a basic reply's T3 a TSC read before the PMD's sendto moved by its median lag behind
#         the kernel's TX stamps, whose spread is what is left): per client >= 70 % within
#         20 us; over all >= 95 % within 20 us, >= 98 % within 50 us, median |offset| <= 4 us;
#         the interleaved clients' median <= 2 us; 19 in 20 requests dated by the kernel's
#         stamp, the interleaved store took 9 in 10 of the replies' kernel TX stamps, and
#         interleaved replies carried them (sync_check_served_stamps).
# Usage: server_mac_sync_test.sh WIRETIMED dpdk|socket WIRETIME-CLI. ~45-60 s. Exit 77 without
# root, `ip netns` or chronyd.
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed dpdk|socket PATH/TO/wiretime-cli}
backend=${2:-socket}
cli_bin=${3:?usage: $0 PATH/TO/wiretimed dpdk|socket PATH/TO/wiretime-cli}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "m$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_start_chronyd upstream "$WT_SERVER_IP"

types=("${sync_key_types[@]}")
sync_chrony_keys "$WT_DIR/server.keys"

{
  wt_lab_wiretimed_yaml backend="$backend" measurements="$WT_DIR/measurements.log" \
    tracking="$WT_DIR/tracking.log"
  cat <<YAML
  key-file: $WT_DIR/server.keys
  unicast-servers:
    - address: $WT_SERVER_IP
      minpoll: -1
      maxpoll: 0
      interleaved: true
  server-disable: false
  server-source-interfaces: [GE1/0/1]
YAML
} >"$WT_DIR/wiretimed.yaml"

echo "== $backend backend: 14 keyed chronyd clients (7 MACs x basic/xleave) and a wrong key"
sync_start_daemon "$binary" "$WT_DIR/wiretimed.yaml"
sync_wait_synchronized
# The first clock updates still move the clock by tens of us: serve a settled clock.
sleep 8

# The control group: chronyd serving the host clock from wiretime's namespace and link
# (198.18.0.3, a kernel address on the same veth; on DPDK the lcore sees and drops its frames),
# asked by two unauthenticated clients (basic, xleave) alongside: what the lab and chronyd's
# own measurement give a kernel NTP server that is exact by construction.
control_ip=198.18.0.3
ip -n "$WT_NS_CLI" addr add "$control_ip/$WT_PREFIX_LEN" dev "$WT_VETH_CLI"
wt_lab_chronyd control "$control_ip" ns="$WT_NS_CLI" || fail "the control chronyd did not start"

# client NAME ADDR SERVER KEYLINE KEYID MODE: chronyd -x in the server namespace asking SERVER
# from ADDR with key KEYID (KEYLINE its only key; none when KEYID is empty); command socket and
# logs in WT_DIR/NAME.
rt=()
[ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
names=()
client() {
  local name=$1 addr=$2 server=$3 keyline=$4 id=$5 mode=$6 dir="$WT_DIR/$1"
  mkdir -m 700 -p "$dir" "$dir/logs"  # chronyd refuses a command socket in an open folder
  echo "$keyline" >"$dir/keys"
  sync_add_server_address "$addr"
  cat >"$dir/chrony.conf" <<CONF
server $server iburst minpoll 0 maxpoll 0 ${id:+key $id} $mode
bindacqaddress $addr
keyfile $dir/keys
port 0
bindcmdaddress $dir/cmd.sock
pidfile $dir/chronyd.pid
driftfile $dir/drift
logdir $dir/logs
log measurements
CONF
  ip netns exec "$WT_NS_SRV" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
    chronyd -f "$dir/chrony.conf" -u root -x -d >"$dir/chronyd.log" 2>&1 &
  WT_PIDS+=($!)
  names+=("$name")
}
n=10
for i in "${!types[@]}"; do
  line=$(sed -n "$((i + 1))p" "$WT_DIR/server.keys")
  for mode in basic xleave; do
    n=$((n + 1))
    client "${types[$i]}-$mode" "198.18.0.$n" "$WT_CLIENT_IP" "$line" $((i + 1)) \
      "$([ $mode = xleave ] && echo xleave)"
  done
done
wrong_line="2 SHA1 HEX:$(python3 -c "import secrets; print(secrets.token_hex(20))")"
client wrongkey 198.18.0.40 "$WT_CLIENT_IP" "$wrong_line" 2 ""
client control-basic 198.18.0.41 "$control_ip" "" "" ""
client control-xleave 198.18.0.42 "$control_ip" "" "" xleave
keyed=("${names[@]:0:14}")

# chronyc's sources line of its server for client NAME ("" when chronyc cannot tell yet).
source_line() {
  ip netns exec "$WT_NS_SRV" chronyc -h "$WT_DIR/$1/cmd.sock" -n sources 2>/dev/null |
    grep -E " ($WT_CLIENT_IP|$control_ip) " || true
}
pending=("${keyed[@]}" control-basic control-xleave)
for _ in $(seq 60); do
  left=()
  for c in "${pending[@]}"; do
    [[ $(source_line "$c") == "^*"* ]] || left+=("$c")
  done
  pending=("${left[@]}")
  [ ${#pending[@]} = 0 ] && break
  sleep 0.5
done
[ ${#pending[@]} = 0 ] ||
  { for c in "${pending[@]}"; do echo "   $c: $(source_line "$c")"; sed 's/^/   | /' "$WT_DIR/$c/chronyd.log"; done
    fail "not selected: ${pending[*]}"; }
sleep 3  # the first samples after the selection still come from the iburst
select_time=$(date -u +%H:%M:%S)
echo "   all 14 keyed clients selected wiretime (and the control clients theirs); samples from $select_time on: 25 s of 1 s polls"
sync_wait 25
for c in "${keyed[@]}" wrongkey control-basic control-xleave; do echo "   $c: $(source_line "$c")"; done
for c in "${keyed[@]}"; do
  [[ $(source_line "$c") == "^*"* ]] || fail "$c dropped wiretime"
done
# The wrong key: never a valid reply (reach 0), so never selectable.
wrong=$(source_line wrongkey)
read -r _ _ _ _ reach _ <<<"$wrong"
[ "$reach" = 0 ] || fail "the wrong-key client got replies (reach $reach)"
wrong_sent=$(ip netns exec "$WT_NS_SRV" chronyc -h "$WT_DIR/wrongkey/cmd.sock" -n ntpdata "$WT_CLIENT_IP" 2>/dev/null |
  sed -n 's/^Total TX *: *\([0-9]*\).*/\1/p')
echo "   wrong-key client: ${wrong_sent:-?} requests sent"

# All clients stop: the counters then stand still for the displays and the shutdown line.
for pid in "${WT_PIDS[@]}"; do
  [ "$pid" = "$SYNC_DAEMON_PID" ] || [ "$pid" = "$SYNC_PID" ] || wt_lab_stop "$pid"
done

python3 - "$WT_DIR" "$select_time" "$backend" "${keyed[@]}" control-basic control-xleave <<'PY' || fail "client offsets"
import os, statistics, sys
root, since, backend, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
ok = True
groups = {}  # (server, mode) -> [(|offset| us, delay us)]
def summary(what, samples):
    a = sorted(o for o, _ in samples)
    q = lambda p: a[min(len(a) - 1, int(p * len(a)))]
    print(f"   {what}: {len(a)} samples, |offset| median {statistics.median(a):.1f} us, "
          f"p90 {q(0.9):.1f} us, p99 {q(0.99):.1f} us, max {a[-1]:.1f} us, "
          f"{sum(1 for o in a if o > 20)} over 20 us; delay median "
          f"{statistics.median(d for _, d in samples):.1f} us")
    return a
for name in names:
    kept, slow, total, inter = [], 0, 0, 0
    for line in open(os.path.join(root, name, "logs", "measurements.log")):
        f = line.split()
        if len(f) < 13 or not f[0][:1].isdigit() or f[1] < since:
            continue
        total += 1
        if len(f) >= 18 and f[17].endswith("I"):  # MTxRx: version, B(asic)/I(nterleaved)
            inter += 1
        if float(f[12]) > 1e-3:
            slow += 1
            continue
        kept.append((abs(float(f[11])) * 1e6, float(f[12]) * 1e6))
    a = sorted(o for o, _ in kept)
    within20 = sum(1 for o in a if o <= 20)
    good = total >= 15 and (
        len(a) * 10 >= total * 8 and within20 * 10 >= total * 9 if backend == "socket"
        else within20 * 10 >= total * 7)
    if name.endswith("xleave") and inter * 10 < total * 8:
        good = False
    control = name.startswith("control")
    if not control:
        ok &= good
    groups.setdefault(("control" if control else "wiretime",
                       "xleave" if name.endswith("xleave") else "basic"), []).extend(kept)
    print(f"   {name:15s} {total:3d} samples ({inter} interleaved, {slow} over 1 ms left out), "
          f"|offset| median {statistics.median(a) if a else float('nan'):5.1f} us, "
          f"max {max(a, default=float('nan')):6.1f} us, {within20} within 20 us"
          f"{'' if good or control else '  <-- FAIL'}")
if len(groups) != 4:
    sys.exit(1)
for (server, mode), samples in sorted(groups.items(), reverse=True):
    summary(f"{server} {mode}", samples)
every = summary("wiretime, all 14 clients", groups[("wiretime", "basic")] + groups[("wiretime", "xleave")])
n = len(every)
within = lambda us: sum(1 for o in every if o <= us)
xleave = sorted(o for o, _ in groups[("wiretime", "xleave")])
if backend == "socket":
    rule = (within(20) * 100 >= n * 98 and statistics.median(every) <= 5
            and statistics.median(xleave) <= 2)
else:
    rule = (within(20) * 100 >= n * 95 and within(50) * 100 >= n * 98
            and statistics.median(every) <= 4 and statistics.median(xleave) <= 2)
print(f"   rule ({backend}): {'met' if rule else 'NOT met'}; per client: {'met' if ok else 'NOT met'}")
sys.exit(0 if ok and rule else 1)
PY

# display ntp statistics packet through wiretime-cli: a VRP row's value.
display() {
  "$cli_bin" --socket "$WT_DIR/wiretimed.sock" -c "display ntp statistics packet $1" \
    >"$WT_DIR/display.out" 2>&1 || { cat "$WT_DIR/display.out"; fail "display ntp statistics packet $1"; }
  sed 's/^/   | /' "$WT_DIR/display.out"
}
row() { sed -n "0,/^ *$1 *:/s/^ *$1 *: *\([0-9]*\).*/\1/p" "$WT_DIR/display.out" | head -1; }
# Refused requests of two more kinds, sent by hand: 3 datagrams to port 123 too short to be NTP
# (malformed: Invalid packets) and, on DPDK, 2 client requests from port 123 to port 124 (the
# lcore decodes them as NTP; not listening: Interface disabled; a kernel socket never sees them).
ip netns exec "$WT_NS_SRV" python3 - "$WT_CLIENT_IP" "$backend" <<'PY'
import socket, sys, time
server, backend = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.0.40", 123))
for _ in range(3):
    s.sendto(b"\x23" + bytes(9), (server, 123))
    time.sleep(0.05)
if backend == "dpdk":
    for _ in range(2):
        s.sendto(b"\x23" + bytes(47), (server, 124))
        time.sleep(0.05)
PY
sleep 0.5
# The upstream's block first: wiretimed still polls it, so the global block taken after it
# holds at least its replies.
display "peer $WT_SERVER_IP"
peer_sent=$(row Sent)
peer_processed=$(row Processed)
display "interface GE1/0/1"
grep -q "GE1/0/1" "$WT_DIR/display.out" || fail "the interface display does not name GE1/0/1"
itf_processed=$(row Processed)
itf_auth=$(row "Authentication failures")
itf_received=$(row Received)
itf_dropped=$(row Dropped)
itf_not_listening=$(row "Interface disabled")
itf_invalid=$(row "Invalid packets")
display ""
all_received=$(row Received)
all_processed=$(row Processed)
all_dropped=$(row Dropped)
all_auth=$(row "Authentication failures")
all_invalid=$(row "Invalid packets")

sync_stop_daemon
line=$(grep "server: " "$WT_DIR/wiretimed.out" | tail -1 || true)
echo "   | $line"
grep "server latency" "$WT_DIR/wiretimed.out" | sed 's/^/   | /' || true  # DPDK only
[ "$backend" = socket ] || sync_check_served_stamps xleave
basic=$(sed -n 's/.*served basic \([0-9]*\).*/\1/p' <<<"$line")
inter=$(sed -n 's/.*served interleaved \([0-9]*\).*/\1/p' <<<"$line")
failed=$(sed -n 's/.*authentication failed \([0-9]*\).*/\1/p' <<<"$line")
authenticated=$(sed -n 's/.*of which authenticated \([0-9]*\).*/\1/p' <<<"$line")
served=$(( ${basic:-0} + ${inter:-0} ))
echo "   served $served (interleaved ${inter:-0}, signed ${authenticated:-0}), authentication failed ${failed:-0}"
[ "${authenticated:-0}" = "$served" ] || fail "not every served reply was signed"
[ "$backend" = socket ] || [ "${inter:-0}" -ge 7 ] || fail "no interleaved replies"
# Each wrong-key request is refused and counted, nothing else failed authentication.
[ -n "$wrong_sent" ] && [ "${failed:-0}" -ge "$wrong_sent" ] && [ "${failed:-0}" -le $((wrong_sent + 2)) ] ||
  fail "authentication failures ${failed:-0}, wrong-key requests ${wrong_sent:-?}"
[ "$itf_processed" = "$served" ] || fail "interface Processed $itf_processed, served $served"
[ "$itf_auth" = "$failed" ] || fail "interface Authentication failures $itf_auth, counted $failed"
[ "$itf_received" = $((itf_processed + itf_dropped)) ] || fail "interface Received != Processed + Dropped"
[ "$all_received" = $((all_processed + all_dropped)) ] || fail "Received != Processed + Dropped"
[ "$all_auth" = "$failed" ] || fail "Authentication failures $all_auth, counted $failed"
[ "$all_invalid" -ge 3 ] || fail "Invalid packets $all_invalid, 3 malformed requests sent"
[ "$itf_invalid" = 3 ] || fail "interface Invalid packets $itf_invalid, 3 malformed requests sent"
if [ "$backend" = dpdk ]; then
  [ "$itf_not_listening" = 2 ] || fail "interface Interface disabled $itf_not_listening, 2 sent to port 124"
fi
# The global block holds the served requests and the upstream's replies.
[ "$all_processed" -ge $((served + peer_processed)) ] || fail "Processed $all_processed < $served + $peer_processed"
[ "${peer_sent:-0}" -ge 10 ] && [ "${peer_processed:-0}" -ge 10 ] || fail "peer $WT_SERVER_IP: sent ${peer_sent:-?}, processed ${peer_processed:-?}"
echo PASS

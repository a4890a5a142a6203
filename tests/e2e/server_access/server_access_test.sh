#!/usr/bin/env bash
# e2e (issue 9 items 4 and 7): access and rate control of wiretime's NTP server, configured
# through wiretime-cli on the live daemon. wiretimed serves its local clock (`refclock-master`,
# stratum 8) on 198.18.0.2; clients in the other namespace:
#   198.18.0.1  permitted by `ntp access server 2000` (chronyd -Q and a raw client)
#   198.18.0.3  not in any ACL: denied. No reply; with `ntp kod-enable` one DENY KoD, then no
#               further KoD within the 2 s min-interval (clients that retry harder on DENY)
#   198.18.0.4  permitted and in the `limited` ACL: a burst of 400 requests in 2 s gets RATE
#               KoDs (at most one per 2 s) and, of the rest, the 4-request burst and about a
#               quarter leaked (chrony's leak), while 198.18.0.1 keeps being served
# `display ntp statistics packet` counts Access denied / Rate-limited; wiretimed's shutdown line
# counts each outcome. Usage: server_access_test.sh WIRETIMED WIRETIME_CLI dpdk|socket. ~30 s.
set -euo pipefail
daemon=${1:?usage: $0 WIRETIMED WIRETIME_CLI dpdk|socket}
cli_bin=${2:?}
backend=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../wiretimed_sync/sync_lib.sh"
DENIED_IP=198.18.0.3
FLOOD_IP=198.18.0.4
started=$SECONDS

sync_setup "a$$"
[ "$backend" = socket ] && wt_lab_kernel_address
sync_add_server_address "$DENIED_IP"
sync_add_server_address "$FLOOD_IP"

{
  wt_lab_wiretimed_yaml backend="$backend"
  cat <<YAML
  refclock-master:
    stratum: 8
  server-disable: false
  server-source-interfaces: [GE1/0/1]
YAML
} >"$WT_DIR/wiretimed.yaml"

echo "== $backend backend"
sync_start_daemon "$daemon" "$WT_DIR/wiretimed.yaml"
sock=$WT_DIR/wiretimed.sock
cli() { "$cli_bin" --socket "$sock" "$@"; }
probe() { ip netns exec "$WT_NS_SRV" timeout 30 python3 "$here/ntp_probe.py" "$WT_CLIENT_IP" "$@"; }

# The management socket appears once the backend is up (DPDK's EAL start-up took over a
# minute here under a load of 16), then the server answers before any access control.
for _ in $(seq 240); do
  kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
  [ -S "$sock" ] && break
  sleep 0.5
done
up=0
for _ in $(seq 20); do
  if [ "$(sync_json "$(probe single "$WT_SERVER_IP" 1 0.2)" "d.get('time', 0)")" = 1 ]; then
    up=1
    break
  fi
  sleep 0.5
done
[ "$up" = 1 ] || { cat "$WT_DIR/wiretimed.out"; probe single "$WT_SERVER_IP" 1 0.5 || true; fail "no answer from wiretimed"; }
echo "   serving after $((SECONDS - started)) s"

cli -c "system-view; acl number 2000; rule 5 permit source $WT_SERVER_IP 0; \
rule 10 permit source $FLOOD_IP 0; quit; acl number 2001; rule permit source $FLOOD_IP 0; quit; \
ntp access server 2000; ntp access limited 2001; commit" >/dev/null || fail "wiretime-cli commit"
cli -c "display current-configuration" | grep -E "^acl|^ rule|ntp access" | sed 's/^/   | /'
sleep 0.5  # the publisher compiles within one 100 ms period

# KoD off: the denied client gets nothing, the permitted one is served.
r=$(probe single "$DENIED_IP" 3 0.3); echo "   denied, kod off:  $r"
[ "$(sync_json "$r" "d['none']")" = 3 ] || fail "denied client got replies: $r"
r=$(probe single "$WT_SERVER_IP" 3 0.3); echo "   permitted:        $r"
[ "$(sync_json "$r" "d.get('time', 0)")" = 3 ] || fail "permitted client not served: $r"
q=$(ip netns exec "$WT_NS_SRV" timeout 25 chronyd -Q -u root -t 20 "pidfile $WT_DIR/q.pid" \
  "server $WT_CLIENT_IP iburst" 2>&1 || true)
echo "   chronyd -Q (permitted): $(grep -o 'System clock wrong by [-0-9.e]* seconds' <<<"$q" || echo "$q")"
grep -q "System clock wrong by" <<<"$q" || fail "chronyd -Q from the permitted address got no answer"
q=$(ip netns exec "$WT_NS_SRV" timeout 10 chronyd -Q -u root -t 3 "pidfile $WT_DIR/q2.pid" \
  "bindacqaddress $DENIED_IP" "server $WT_CLIENT_IP iburst" 2>&1 || true)
echo "   chronyd -Q (denied): $(tail -1 <<<"$q")"
grep -q "System clock wrong by" <<<"$q" && fail "chronyd -Q from the denied address got an answer"

cli -c "system-view; ntp kod-enable; commit" >/dev/null || { tail -20 "$WT_DIR/wiretimed.out"; fail "wiretime-cli commit kod-enable"; }
sleep 0.5
# KoD on: one DENY, then nothing within the min-interval (2 s).
r=$(probe single "$DENIED_IP" 3 0.2); echo "   denied, kod on:   $r"
[ "$(sync_json "$r" "d.get('DENY', 0)")" = 1 ] && [ "$(sync_json "$r" "d['none']")" = 2 ] ||
  fail "expected one DENY KoD and two unanswered: $r"

# The flood: 400 requests in 2 s from the limited address, the permitted client meanwhile.
r=$(probe flood "$FLOOD_IP" "$WT_SERVER_IP" 400 2); echo "   flood: $r"
python3 - "$r" <<'PY' || fail "rate limiting"
import json, sys
d = json.loads(sys.argv[1])
f, o = d["flood"], d["other"]
ok = (f.get("RATE", 0) >= 1 and f.get("RATE", 0) <= 2   # one KoD per 2 s min-interval
      and f.get("time", 0) >= 4 and f.get("time", 0) <= d["flood_sent"] // 2  # burst + leak
      and o.get("time", 0) == d["other_sent"] and d["other_sent"] >= 6)
sys.exit(0 if ok else 1)
PY

stats=$(cli -c "display ntp statistics packet")
row() { awk -v label="$1" 'index($0, label) { sub(/.*: */, ""); print; exit }' <<<"$stats"; }
denied=$(row "Access denied"); limited=$(row "Rate-limited")
echo "   display ntp statistics packet (IPv4): Access denied $denied, Rate-limited $limited"
[ "${denied:-0}" -ge 5 ] || fail "Access denied counted ${denied:-none}"
[ "${limited:-0}" -ge 200 ] || fail "Rate-limited counted ${limited:-none}"

sync_stop_daemon
grep "server:" "$WT_DIR/wiretimed.out" | sed 's/^/   | /'
grep -q "denied (ACL) [0-9]" "$WT_DIR/wiretimed.out" || fail "no denied count"
grep -q "DENY KoD sent 1;" "$WT_DIR/wiretimed.out" || fail "DENY KoD count"
grep -q "rate limited (KoD sent) [12];" "$WT_DIR/wiretimed.out" || fail "RATE KoD count"
grep -q "rate limited (dropped) [0-9]" "$WT_DIR/wiretimed.out" || fail "rate-dropped count"
echo "PASS ($((SECONDS - started)) s)"

#!/usr/bin/env bash
# control/resolver against the real system resolver in a network namespace whose /etc/hosts
# (and resolv.conf) `ip netns exec` replaces by bind-mounting /etc/netns/<ns>/<file>:
#   1. a name in the namespace's hosts file resolves (both families; IPv6 only when asked),
#      and does not resolve outside the namespace;
#   2. a name missing at start fails, is retried with back-off, and resolves once it is added
#      to the hosts file - with the worker thread and in the synchronous mode.
# Exit 77 (skip) without root or `ip netns`. The namespace and /etc/netns/<ns> are removed on
# any exit.
set -euo pipefail
probe=${1:?usage: $0 PATH/TO/resolve_probe}
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root"; exit 77; fi
if ! ip netns list >/dev/null 2>&1; then echo "SKIP: 'ip netns' is unavailable"; exit 77; fi
fail() { echo "FAIL: $*"; exit 1; }

ns="wt-res-$$"
etc="/etc/netns/$ns"
out=$(mktemp -d "/tmp/wiretime-resolver-$$.XXXXXX")
cleanup() {
  set +e
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  rm -rf "$etc" "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
mkdir -p "$etc"
cat >"$etc/hosts" <<HOSTS
127.0.0.1 localhost
198.18.0.7 ntp1.wiretime.test
2001:db8::7 ntp1.wiretime.test
HOSTS
# No DNS in the lab: a refused query on loopback fails at once instead of timing out.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$etc/resolv.conf"

run() { ip netns exec "$ns" "$probe" "$@"; }

echo "== 1. name from the namespace's hosts file"
line=$(run worker ntp1.wiretime.test any 5 200); echo "   $line"
grep -q "^event ok .*198\.18\.0\.7" <<<"$line" || fail "IPv4 address not resolved"
grep -q "2001:db8::7" <<<"$line" || fail "IPv6 address not resolved"
line=$(run sync ntp1.wiretime.test ipv6 5 200); echo "   $line"
grep -q "^event ok failures=0 addresses=2001:db8::7$" <<<"$line" || fail "IPv6-only lookup"
if getent hosts ntp1.wiretime.test >/dev/null; then fail "name resolves outside the namespace"; fi

for mode in worker sync; do
  echo "== 2. ($mode) name added after failures"
  name="late-$mode.wiretime.test"
  ip netns exec "$ns" "$probe" "$mode" "$name" ipv4 20 300 >"$out/$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do grep -q "^event fail" "$out/$mode.log" && break; sleep 0.1; done
  grep -q "^event fail" "$out/$mode.log" || { kill "$pid"; fail "no failure reported"; }
  sleep 0.5  # at least one retry fails too (300 ms back-off)
  echo "198.18.0.8 $name" >>"$etc/hosts"
  status=0
  wait "$pid" || status=$?
  sed 's/^/   /' "$out/$mode.log"
  [ "$status" = 0 ] || fail "$mode: the name was not resolved after it was added"
  fails=$(grep -c "^event fail" "$out/$mode.log")
  [ "$fails" -ge 2 ] || fail "$mode: only $fails failed attempt(s) before success (want retries)"
  grep -q "^event fail failures=2 " "$out/$mode.log" || fail "$mode: failure count not increasing"
  tail -n 1 "$out/$mode.log" | grep -q "^event ok failures=0 addresses=198\.18\.0\.8$" ||
    fail "$mode: wrong final answer"
done

echo "== 3. clean-up"
cleanup
trap - EXIT
ip netns list | grep -qw -- "$ns" && fail "namespace left behind"
[ -e "$etc" ] && fail "$etc left behind"
echo "PASS"

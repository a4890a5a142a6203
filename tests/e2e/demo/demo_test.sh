#!/usr/bin/env bash
# The README's first command as a user runs it: `scripts/demo.sh --duration 15 --plot DIR`
# (as root, on the built wiretimed, so nothing is rebuilt). It must exit 0 and show a
# synchronised clock: accepted samples, and the true error at the last clock update under
# 1 ms (it starts 5 ms off); wiretime-cli's view must say synchronized; --plot must leave a PNG
# and the logs. Afterwards nothing of the run may remain: its namespaces, links, processes
# (chronyd, wiretimed, the log tail) or /tmp/wiretime-lab-TAG.* files.
#   demo_test.sh REPO WIRETIMED
# Exit 77 (skip) without root, `ip netns` or chronyd.
set -euo pipefail
repo=${1:?usage: $0 REPO WIRETIMED}
binary=${2:?usage: $0 REPO WIRETIMED}
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"
if ! why=$(wt_lab_require); then echo "SKIP: $why"; exit 77; fi
fail() { echo "FAIL: $*"; exit 1; }

out=$(mktemp -d /tmp/wiretime-demo-test.XXXXXX)
trap 'rm -rf "$out"' EXIT
status=0
# WIRETIME_SKIP_BUILD: should a tool be missing, setup.sh installs it but does not rebuild.
WIRETIME_SKIP_BUILD=1 timeout 200 "$repo/scripts/demo.sh" --duration 15 --binary "$binary" --plot "$out/plot" \
  >"$out/demo.out" 2>&1 || status=$?
cat "$out/demo.out"
echo "---- checks"
[ "$status" = 0 ] || fail "scripts/demo.sh exited with status $status"

# The lab's tag names its namespaces: "... in wt-srv-TAG; wiretimed ... in wt-cli-TAG".
tag=$(sed -n 's/^== chronyd .* in wt-srv-\([^;]*\);.*/\1/p' "$out/demo.out")
[ -n "$tag" ] || fail "no '== chronyd ... in wt-srv-TAG' line in the demo's output"

samples=$(sed -n 's/^== \([0-9]*\) samples;.*/\1/p' "$out/demo.out")
[ -n "$samples" ] && [ "$samples" -gt 0 ] || fail "no accepted samples ('== N samples' says '$samples')"
error_us=$(sed -n 's/^== clock error against the host clock at the last update: \(-\{0,1\}[0-9.]*\) us.*/\1/p' \
  "$out/demo.out")
[ -n "$error_us" ] || fail "no final clock error line in the demo's output"
awk -v e="$error_us" 'BEGIN { exit !(e < 1000 && e > -1000) }' ||
  fail "final clock error $error_us us is not under 1 ms"
grep -q "clock status: synchronized" "$out/demo.out" ||
  fail "wiretime-cli's 'display ntp status' does not say synchronized"
echo "ok: $samples samples, final error $error_us us, synchronized"

for f in demo.png tracking.log measurements.log; do
  [ -s "$out/plot/$f" ] || fail "--plot left no $f"
done
[ "$(head -c 8 "$out/plot/demo.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "--plot's demo.png is not a PNG"
echo "ok: --plot wrote demo.png and the logs"

# Nothing left behind (the demo's clean-up runs from its EXIT trap, before it returns).
left=()
for ns in "wt-srv-$tag" "wt-cli-$tag"; do
  ip netns list | grep -qw -- "$ns" && left+=("namespace $ns")
done
ip link show "wts$tag" >/dev/null 2>&1 && left+=("link wts$tag")
pgrep -f -- "wiretime-lab-$tag\." >/dev/null && left+=("process of /tmp/wiretime-lab-$tag.*")
pgrep -f -- "wt-$tag" >/dev/null && left+=("process with EAL prefix wt-$tag")
compgen -G "/tmp/wiretime-lab-$tag.*" >/dev/null && left+=("files /tmp/wiretime-lab-$tag.*")
compgen -G "/run/dpdk/wt-$tag" >/dev/null && left+=("DPDK runtime directory /run/dpdk/wt-$tag")
((${#left[@]} == 0)) || fail "left behind: ${left[*]}"
echo "ok: no namespace, link, process or file of lab $tag left"
echo PASS

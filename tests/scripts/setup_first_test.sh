#!/usr/bin/env bash
# scripts/demo.sh and scripts/test.sh on a fresh machine: each must reach scripts/setup.sh
# before it checks for (or uses) any tool that setup installs. Each script runs from a copy of
# the repository whose scripts/setup.sh is a stand-in that records that it ran and exits 42,
# with a PATH that mirrors /usr/bin and /usr/sbin minus every tool setup.sh provides (and an
# `id` that says root, so the test needs no root). Pass: the stand-in ran and the script
# stopped with its status 42. Moving a tool check (or use) before the set-up step makes the
# script exit some other way before the stand-in runs, and this test fail.
#   setup_first_test.sh REPO
set -euo pipefail
repo=${1:?usage: $0 REPO}
fail() { echo "FAIL: $*"; exit 1; }

tmp=$(mktemp -d /tmp/wiretime-setup-first.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The tools scripts/setup.sh installs (its package list) that the scripts could look for.
tools=(chronyd chronyc ip tshark cmake ctest cpack ninja gnuplot g++ c++ clang clang++ clang-format
       ethtool pkg-config pgrep pkill killall dpdk-devbind.py dpdk-hugepages.py)
declare -A is_tool
for t in "${tools[@]}"; do is_tool[$t]=1; done
mkdir -p "$tmp/bin"
declare -A seen
links=()
for dir in /usr/sbin /usr/bin /sbin /bin; do
  [ -d "$dir" ] || continue
  for f in "$dir"/*; do
    name=${f##*/}
    [ -n "${is_tool[$name]:-}" ] || [ -n "${seen[$name]:-}" ] || { seen[$name]=1; links+=("$f"); }
  done
done
ln -s "${links[@]}" "$tmp/bin/"   # one process: thousands of forks take seconds on a busy machine
rm -f "$tmp/bin/id"
printf '#!/bin/sh\n[ "$1" = -u ] && { echo 0; exit 0; }\nexec /usr/bin/id "$@"\n' >"$tmp/bin/id"
chmod +x "$tmp/bin/id"
for t in "${tools[@]}"; do
  PATH=$tmp/bin command -v "$t" >/dev/null && fail "the stripped PATH still has $t"
done

# A fresh checkout: the scripts and their library, no build directory.
mkdir -p "$tmp/repo/scripts/lib"
cp "$repo/scripts/demo.sh" "$repo/scripts/test.sh" "$tmp/repo/scripts/"
cp "$repo/scripts/lib/netns.sh" "$tmp/repo/scripts/lib/"
cp "$repo/scripts/check_layering.sh" "$tmp/repo/scripts/" 2>/dev/null || true
cat >"$tmp/repo/scripts/setup.sh" <<'STUB'
#!/bin/sh
echo "setup ran" >"$(dirname "$0")/../setup-ran"
exit 42
STUB
chmod +x "$tmp/repo/scripts/setup.sh"

for script in demo.sh test.sh; do
  rm -f "$tmp/repo/setup-ran"
  status=0
  out=$(cd "$tmp" && PATH=$tmp/bin timeout 30 "$tmp/repo/scripts/$script" 2>&1) || status=$?
  [ -f "$tmp/repo/setup-ran" ] ||
    fail "$script exited ($status) before it ran scripts/setup.sh:"$'\n'"$out"
  [ "$status" = 42 ] ||
    fail "$script went on after scripts/setup.sh failed (status $status, expected 42):"$'\n'"$out"
  echo "ok: $script reaches scripts/setup.sh first (and stops when it fails)"
done
echo PASS

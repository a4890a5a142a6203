#!/usr/bin/env bash
# Lab set-up (wt_lab_init) removes the wt-* namespaces of labs whose owner is gone, with the
# processes left running in them, and leaves those of live labs alone. Fake labs (namespaces
# only, no links), each a server and a client namespace:
#   dead      its owner record names a pid that has exited; a process still runs inside;
#   legacy    no record, the tag's pid (as every script tags its lab with $$) has exited;
#   recycled  its record names a live pid whose start time differs (the pid was reused);
#   live      its record names a live process with its start time;
#   untagged  no record, the tag's pid is alive (a lab of an older checkout, still running).
# The first three must go (and the process, the record and the DPDK runtime directory), the
# last two stay. Exit 77 without root or `ip netns`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
ip netns list >/dev/null 2>&1 || { echo "SKIP: 'ip netns' is unavailable"; exit 77; }

bash -c 'exit 0' &
dead=$!
wait "$dead"
[ ! -d "/proc/$dead" ] || { echo "SKIP: pid $dead was reused at once"; exit 77; }
sleep 300 &
live=$!
tags=("f$dead" "g$dead" "h$$" "i$live" "j$live")
inside=
cleanup() {
  set +e
  local tag ns
  for tag in "${tags[@]}"; do
    for ns in "wt-srv-$tag" "wt-cli-$tag"; do
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
      ip netns del "$ns" 2>/dev/null
    done
    rm -rf "$WT_LAB_OWNERS/$tag" "/run/dpdk/wt-$tag"
  done
  kill -KILL "$live" ${inside:+"$inside"} 2>/dev/null
  wt_lab_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WT_LAB_OWNERS" "/run/dpdk/wt-f$dead"
for tag in "${tags[@]}"; do
  ip netns add "wt-srv-$tag"
  ip netns add "wt-cli-$tag"
done
echo "$dead 12345" >"$WT_LAB_OWNERS/f$dead"
echo "$live 1" >"$WT_LAB_OWNERS/h$$"
echo "$live $(wt_lab_start_time "$live")" >"$WT_LAB_OWNERS/i$live"
ip netns exec "wt-cli-f$dead" sleep 300 &
inside=$!
for _ in $(seq 50); do
  [ -n "$(ip netns pids "wt-cli-f$dead")" ] && break
  sleep 0.1
done
[ -n "$(ip netns pids "wt-cli-f$dead")" ] || fail "no process inside the dead lab's namespace"

wt_lab_init "t$$"
present() { ip netns list | awk '{ print $1 }' | grep -qx -- "$1"; }
for tag in "f$dead" "g$dead" "h$$"; do
  for ns in "wt-srv-$tag" "wt-cli-$tag"; do
    if present "$ns"; then fail "stale namespace $ns left"; else echo "   ok   $ns removed"; fi
  done
  [ ! -e "$WT_LAB_OWNERS/$tag" ] || fail "the owner record of stale lab $tag left"
done
for tag in "i$live" "j$live"; do
  for ns in "wt-srv-$tag" "wt-cli-$tag"; do
    if present "$ns"; then echo "   ok   $ns kept"; else fail "live namespace $ns removed"; fi
  done
done
[ -f "$WT_LAB_OWNERS/i$live" ] || fail "the live lab's owner record was removed"
# (Killed, it stays a zombie of this shell until waited for: that is not running.)
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}
for _ in $(seq 50); do
  running "$inside" || break
  sleep 0.1
done
if running "$inside"; then fail "the process in the stale namespace still runs"; fi
echo "   ok   the process left in the stale namespace was killed"
[ ! -d "/run/dpdk/wt-f$dead" ] || fail "the stale lab's DPDK runtime directory left"
read -r pid _ <"$WT_LAB_OWNERS/t$$" || fail "no owner record for this lab"
[ "$pid" = $$ ] || fail "this lab's owner record names $pid, not $$"
echo PASS

#!/usr/bin/env bash
# wiretimed (kernel-socket or DPDK backend) against four chronyd servers, each authenticating with one key
# type of chrony's key file: MD5, SHA1, SHA256, AES128. Run 1: the daemon has the same key
# file: every source's replies are authentic and accepted, and the daemon synchronises. Run 2:
# the daemon's file has the same ids and types with other secrets: replies are rejected (or
# none come), every rejected one is counted, nothing is accepted and the daemon never
# synchronises. With the DPDK backend control signs each request and verifies each reply's MAC
# carried through the dataplane's ring records. Usage: auth_test.sh PATH/TO/wiretimed [socket|dpdk]
set -euo pipefail
binary=${1:?usage: $0 PATH/TO/wiretimed [socket|dpdk]}
backend=${2:-socket}
source "$(dirname "$0")/../wiretimed_sync/sync_lib.sh"

sync_setup "u$$"
[ "$backend" = socket ] && wt_lab_kernel_address

types=(MD5 SHA1 SHA256 AES128)
bytes=(16 20 32 16)  # secret lengths (AES128 needs exactly 16)
addrs=(198.18.0.11 198.18.0.12 198.18.0.13 198.18.0.14)

# key_file FILE [FIRST_ID]: one key per type, ids FIRST_ID.. (1..4), random secrets.
key_file() {
  local i first=${2:-1}
  : >"$1"
  for i in "${!types[@]}"; do
    echo "$((i + first)) ${types[$i]} HEX:$(python3 -c "import secrets; print(secrets.token_hex(${bytes[$i]}))")" >>"$1"
  done
}
key_file "$WT_DIR/chrony.keys"
key_file "$WT_DIR/wrong.keys"
key_file "$WT_DIR/unknown.keys" 11

# start_keyed_chronyd NAME ADDR: as sync_start_chronyd, with the key file.
start_keyed_chronyd() {
  wt_lab_chronyd "$1" "$2" keyfile="$WT_DIR/chrony.keys" || fail "chronyd $1 did not start"
}

for i in "${!types[@]}"; do
  sync_add_server_address "${addrs[$i]}"
  start_keyed_chronyd "chronyd-${types[$i]}" "${addrs[$i]}"
done

# write_config FILE KEYFILE [FIRST_ID [ADDR...]]
write_config() {
  local i first=${3:-1} servers=("${addrs[@]}")
  [ $# -gt 3 ] && servers=("${@:4}")
  sync_write_config "$1" "$backend" 0 2
  # sync_write_config ends with "  unicast-servers:"; the keyed servers follow.
  sed -i "s|^ntp:\$|ntp:\n  key-file: $2|" "$1"
  for i in "${!servers[@]}"; do
    printf '    - address: %s\n      key-id: %s\n      minpoll: 0\n      maxpoll: 2\n' \
      "${servers[$i]}" "$((i % ${#types[@]} + first))" >>"$1"
  done
}

# status_of ADDR: the daemon's final status line of that source.
status_of() { grep "  source $1:" "$WT_DIR/wiretimed.out" | tail -1; }
accepted_of() { status_of "$1" | sed -n 's/.*accepted \([0-9]*\).*/\1/p'; }
received_of() { status_of "$1" | sed -n 's/.*received \([0-9]*\).*/\1/p'; }
failures() { sed -n 's/.*authentication failures \([0-9]*\).*/\1/p' "$WT_DIR/wiretimed.out" | tail -1; }

echo "== $backend backend, right keys (${types[*]}), 30 s"
write_config "$WT_DIR/right.yaml" "$WT_DIR/chrony.keys"
sync_start_daemon "$binary" "$WT_DIR/right.yaml"
sync_wait 30
sync_stop_daemon
sed 's/^/   | /' "$WT_DIR/wiretimed.out"
grep -q "synchronized to " "$WT_DIR/wiretimed.out" || fail "never synchronized with the right keys"
for i in "${!types[@]}"; do
  a=$(accepted_of "${addrs[$i]}")
  [ -n "$a" ] && [ "$a" -ge 5 ] || fail "${types[$i]} source ${addrs[$i]}: $a replies accepted"
  awk -v s="${addrs[$i]}:123" '$3 == s && $7 == "ok" {f = 1} END {exit !f}' "$WT_DIR/measurements.log" ||
    fail "${types[$i]}: no accepted measurement logged"
done
[ "$(failures)" = 0 ] || fail "authentication failures with the right keys: $(failures)"
mv "$WT_DIR/wiretimed.out" "$WT_DIR/right.out"
mv "$WT_DIR/measurements.log" "$WT_DIR/right-measurements.log"

# wrong_run TAG TITLE KEYFILE FIRST_ID [ADDR...]: the daemon must never synchronise, accept nothing, and
# reject and count every reply that comes (chronyd stays silent to a request it cannot
# authenticate, or answers with a crypto-NAK). Prints the number of rejected replies.
wrong_run() {
  local tag=$1 i a
  echo "== $2, 20 s" >&2
  write_config "$WT_DIR/$tag.yaml" "${@:3}"
  sync_start_daemon "$binary" "$WT_DIR/$tag.yaml"
  sync_wait 20
  sync_stop_daemon
  sed 's/^/   | /' "$WT_DIR/wiretimed.out" >&2
  if grep -q "synchronized to " "$WT_DIR/wiretimed.out"; then fail "$tag: synchronized"; fi
  a=$(grep -o 'accepted [0-9]*' "$WT_DIR/wiretimed.out" | grep -vc 'accepted 0$' || true)
  [ "$a" = 0 ] || fail "$tag: $a sources accepted replies"
  local logged rejected
  logged=$(grep -vc '^#' "$WT_DIR/measurements.log" || true)
  rejected=$(awk '!/^#/ && $7 == "authentication" {n++} END {print n + 0}' "$WT_DIR/measurements.log")
  echo "   $tag: replies logged $logged, rejected for authentication $rejected, counted $(failures)" >&2
  [ "$logged" = "$rejected" ] || fail "$tag: $((logged - rejected)) replies not rejected"
  [ "$(failures)" = "$rejected" ] || fail "$tag: counter $(failures) != rejected replies $rejected"
  mv "$WT_DIR/wiretimed.out" "$WT_DIR/$tag.out"
  mv "$WT_DIR/measurements.log" "$WT_DIR/$tag-measurements.log"
  echo "$rejected"
}
wrong_run wrong "wrong secrets (same ids and types)" "$WT_DIR/wrong.keys" 1 >/dev/null
wrong_run unknown "key ids chronyd does not have (11..14)" "$WT_DIR/unknown.keys" 11 >/dev/null
# A server that answers every request with the request's key id and a digest of the right length
# made with another secret: each reply reaches the daemon, is rejected and counted.
sync_add_server_address 198.18.0.15
ip netns exec "$WT_NS_SRV" python3 "$(dirname "$0")/bad_mac_server.py" --address 198.18.0.15 \
  >"$WT_DIR/bad_mac.log" 2>&1 &
WT_PIDS+=($!)
for i in $(seq 50); do
  ip netns exec "$WT_NS_SRV" ss -Hlun "src 198.18.0.15:123" | grep -q . && break
  sleep 0.1
done
n=$(wrong_run badmac "replies with a wrong MAC (MD5 key 1)" "$WT_DIR/chrony.keys" 1 198.18.0.15)
[ "$n" -ge 3 ] || fail "badmac: only $n replies rejected"
grep -q "failed authentication" "$WT_DIR/badmac.out" || fail "badmac: no warning logged"
echo PASS

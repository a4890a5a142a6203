# shellcheck shell=bash
# Helpers for the wiretimed synchronisation e2e tests, on top of scripts/lib/netns.sh: extra
# chronyd servers and the scripted falseticker in the server namespace, the daemon's YAML, and
# start/stop of the daemon with its exit status checked. Only 198.18.0.0/15 addresses.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
# shellcheck source=scripts/lib/netns.sh
source "$repo/scripts/lib/netns.sh"
SYNC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() { echo "FAIL: $*"; exit 1; }

# sync_setup TAG: namespaces and veth, cleaned up on any exit.
sync_setup() {
  wt_lab_setup "$1"
  SYNC_RT=()
  # (an if: a false `[ ]` as the last command would fail the caller under set -e)
  if [ -n "$WT_LAB_RT" ]; then read -r -a SYNC_RT <<<"$WT_LAB_RT"; fi
}

# sync_add_server_address ADDR: another address on the server's veth.
sync_add_server_address() {
  ip -n "$WT_NS_SRV" addr add "$1/$WT_PREFIX_LEN" dev "$WT_VETH_SRV"
}

# sync_vlan100_upstream_link TAGGER: 198.18.100.1 in the server namespace behind VLAN 100 of the
# lab veth. The lab kernel has no VLAN devices: a userspace 802.1Q access port (TAGGER,
# tests/e2e/wiretimed_l3/vlan_tagger.cpp, its delay small and the same both ways) between the
# trunk (the lab veth) and a second veth pair, wsi/wsv+TAG, whose far end carries VLAN 100
# untagged. One tagger per direction, each on the CPU its frames arrive on and one real-time
# level above the process it must preempt there (the lcore; chronyd): requests come out of the
# lcore's send on the dataplane CPU, replies out of chronyd's on the housekeeping CPU, so both
# directions cost one same-CPU wake-up. A single tagger woke through an IPI for one direction
# only: up to +40 us of bias with TSC stamps, +50..+73 us with kernel stamps and interleaved
# mode, which no longer hide it.
sync_vlan100_upstream_link() {
  local tagger=$1 dev tagger_rt=()
  ip -n "$WT_NS_SRV" link add "wsi$WT_TAG" type veth peer name "wsv$WT_TAG"
  for dev in "wsi$WT_TAG" "wsv$WT_TAG"; do
    ip netns exec "$WT_NS_SRV" ethtool -K "$dev" tx off rx off txvlan off rxvlan off >/dev/null 2>&1 || true
    ip -n "$WT_NS_SRV" link set "$dev" up
  done
  ip netns exec "$WT_NS_SRV" ethtool -K "$WT_VETH_SRV" txvlan off rxvlan off >/dev/null 2>&1 || true
  [ ${#SYNC_RT[@]} -gt 0 ] && tagger_rt=(chrt -f 20)
  ip netns exec "$WT_NS_SRV" "${tagger_rt[@]}" taskset -c "$(wt_lab_dataplane_cpu)" \
    "$tagger" "$WT_VETH_SRV" "wsi$WT_TAG" 100 down >"$WT_DIR/tagger-down.log" 2>&1 &
  WT_PIDS+=($!)
  ip netns exec "$WT_NS_SRV" "${tagger_rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
    "$tagger" "$WT_VETH_SRV" "wsi$WT_TAG" 100 up >"$WT_DIR/tagger-up.log" 2>&1 &
  WT_PIDS+=($!)
  ip -n "$WT_NS_SRV" addr add 198.18.100.1/24 dev "wsv$WT_TAG"
  ip netns exec "$WT_NS_SRV" sysctl -qw "net.ipv4.conf.wsv$WT_TAG.arp_accept=1"
}

# The key types chronyd offers (ids 1..7 in this order), and a key file of them in chronyd's
# format with fresh random secrets: sync_chrony_keys FILE.
sync_key_types=(MD5 SHA1 SHA256 SHA384 SHA512 AES128 AES256)
sync_chrony_keys() {
  local bytes=(20 20 32 32 32 16 32) i
  : >"$1"
  for i in "${!sync_key_types[@]}"; do
    echo "$((i + 1)) ${sync_key_types[$i]} HEX:$(python3 -c "import secrets; print(secrets.token_hex(${bytes[$i]}))")" >>"$1"
  done
}

# sync_start_chronyd NAME ADDR: chronyd -x serving the host clock as stratum 1 on ADDR; its pid
# in SYNC_PID. NAME keeps the files of several instances apart.
sync_start_chronyd() {
  wt_lab_chronyd "$1" "$2" || fail "chronyd $1 did not start"
  SYNC_PID=$WT_LAST_PID
}

# sync_start_falseticker ADDR OFFSET_S
sync_start_falseticker() {
  ip netns exec "$WT_NS_SRV" python3 "$SYNC_DIR/ntp_falseticker.py" --address "$1" \
    --offset "$2" >"$WT_DIR/falseticker.log" 2>&1 &
  WT_PIDS+=($!)
  local i
  for i in $(seq 50); do
    if ip netns exec "$WT_NS_SRV" ss -Hlun "src $1:123" | grep -q .; then return 0; fi
    sleep 0.1
  done
  fail "falseticker did not start"
}

# sync_write_config FILE BACKEND MINPOLL MAXPOLL SERVER...: the daemon's YAML with the injected
# error of the issue (+5 ms, +20 ppm) and both logs in WT_DIR. Every server NTPv4 (requests
# carry the configured version, VRP's default being 3) and in interleaved mode:
# chronyd then sends its true transmit time (its basic-mode T3 is read tens of us before the
# reply leaves); a server without it (the scripted falseticker) answers in basic mode.
sync_write_config() {
  local file=$1 backend=$2 minpoll=$3 maxpoll=$4 s
  shift 4
  {
    wt_lab_wiretimed_yaml backend="$backend" offset=5000000 frequency=20000 \
      measurements="$WT_DIR/measurements.log" tracking="$WT_DIR/tracking.log"
    echo "  unicast-servers:"
    for s in "$@"; do
      printf '    - address: %s\n      version: 4\n      minpoll: %s\n      maxpoll: %s\n      interleaved: true\n' \
        "$s" "$minpoll" "$maxpoll"
    done
  } >"$file"
}

# sync_start_daemon BINARY CONFIG: wiretimed in the client namespace; SYNC_DAEMON_PID, and
# SYNC_START (Unix seconds) for check_sync.py. The management socket is the lab's own, so
# daemons of concurrent labs (or one on the host) never compete for the default path.
sync_start_daemon() {
  SYNC_START=$(date +%s.%N)
  wt_lab_spawn "$WT_DIR/wiretimed.out" "${SYNC_RT[@]}" "$1" --config "$2" \
    --mgmt-socket "$WT_DIR/wiretimed.sock"
  SYNC_DAEMON_PID=$WT_LAST_PID
}

# sync_cli ARGS...: wiretime-cli (its binary in SYNC_CLI) on the daemon's management socket.
sync_cli() { "$SYNC_CLI" --socket "$WT_DIR/wiretimed.sock" "$@"; }

# sync_json JSON EXPR: EXPR (Python, the parsed JSON as `d`) evaluated and printed.
sync_json() { python3 -c "import json,sys; print(eval(sys.argv[2], {'d': json.loads(sys.argv[1])}))" "$1" "$2"; }

# sync_wait_mgmt LIMIT_S: until the daemon answers on its management socket (a socket file a
# killed daemon left behind does not count); fails if it exits first.
sync_wait_mgmt() {
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt "$end" ]; do
    sync_cli -c "display current-configuration" >/dev/null 2>&1 && return 0
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "${SYNC_OUT:-$WT_DIR/wiretimed.out}"; fail "wiretimed exited"; }
    sleep 0.1
  done
  cat "${SYNC_OUT:-$WT_DIR/wiretimed.out}"
  fail "wiretimed did not answer on its management socket within $1 s"
}

# sync_reach SERVER: its reach register as `display ntp sessions` shows it (empty: no session).
sync_reach() {
  { sync_cli -c "display ntp sessions" 2>/dev/null || true; } |
    awk -v s="$1" '$0 == " clock source: " s { f = 1; next } /clock source: / { f = 0 } f && /^ *reach: / { print $2 }'
}

# sync_wait_master SERVER LIMIT_S: until SERVER is master and the clock synchronized, as
# `display ntp sessions` and `display ntp status` say; fails with both and the daemon's log.
sync_wait_master() {
  local end=$((SECONDS + $2)) sessions status
  while [ $SECONDS -lt "$end" ]; do
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "${SYNC_OUT:-$WT_DIR/wiretimed.out}"; fail "wiretimed exited"; }
    sessions=$(sync_cli -c "display ntp sessions") || fail "display ntp sessions failed"
    status=$(sync_cli -c "display ntp status") || fail "display ntp status failed"
    if grep -qx " clock source: $1" <<<"$sessions" && grep -qw master <<<"$sessions" &&
      grep -q "clock status: synchronized" <<<"$status"; then
      echo "$sessions" | sed 's/^/   | /'
      echo "   $1 master, clock synchronized after $(($2 - end + SECONDS)) s"
      return 0
    fi
    sleep 2
  done
  echo "$sessions"; echo "$status"; sed 's/^/   | /' "${SYNC_OUT:-$WT_DIR/wiretimed.out}"
  fail "$1 not master / clock not synchronized within $2 s"
}

# sync_wait_offset LIMIT_S: until the clock offset `display ntp status` shows is below 1 ms.
sync_wait_offset() {
  local end=$((SECONDS + $1)) offset=
  while [ $SECONDS -lt "$end" ]; do
    offset=$(sync_cli -c "display ntp status" | sed -n 's/^ *clock offset: *\(-\{0,1\}[0-9.]*\) ms$/\1/p')
    if [ -n "$offset" ] && awk -v o="$offset" 'BEGIN { exit !(o < 1 && o > -1) }'; then
      echo "   clock offset $offset ms after $(($1 - end + SECONDS)) s"
      return 0
    fi
    sleep 2
  done
  fail "clock offset still '$offset' ms after $1 s"
}

# sync_wait SECONDS: the daemon must stay up all along.
sync_wait() {
  local end=$((SECONDS + $1))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
    sleep 0.5
  done
}

# sync_wait_log PATTERN SECONDS: returns once the daemon's log has a line matching PATTERN (grep),
# or 1 after SECONDS; fails at once, showing the log, when the daemon exits meanwhile.
sync_wait_log() {
  local i
  for i in $(seq $(($2 * 2))); do
    grep -q -- "$1" "$WT_DIR/wiretimed.out" && return 0
    kill -0 "$SYNC_DAEMON_PID" 2>/dev/null || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exited"; }
    sleep 0.5
  done
  grep -q -- "$1" "$WT_DIR/wiretimed.out"
}

# sync_wait_synchronized: the daemon must synchronise to the lab's chronyd within 90 s (the EAL's
# start-up alone has taken a minute here under load).
sync_wait_synchronized() {
  sync_wait_log "synchronized to $WT_SERVER_IP" 90 ||
    { sync_show; fail "wiretimed never synchronized to its upstream"; }
}

# sync_stop_daemon: SIGTERM must give exit status 0 and the clean shutdown message.
sync_stop_daemon() {
  kill -TERM "$SYNC_DAEMON_PID"
  local status=0
  wait "$SYNC_DAEMON_PID" || status=$?
  [ "$status" = 0 ] || { cat "$WT_DIR/wiretimed.out"; fail "wiretimed exit status $status after SIGTERM"; }
  grep -q "stopping" "$WT_DIR/wiretimed.out" || fail "no clean shutdown message"
}

# sync_steady_limit BACKEND: the steady |error| limit, the issue's 20 us for both backends: the
# socket backend's kernel timestamps, the DPDK backend's kernel stamps from its packet-socket
# taps (net_af_packet), and chronyd's true T3 in interleaved mode (docs/accuracy.md).
sync_steady_limit() { echo 20e-6; }

# sync_check_stamps BACKEND SOURCE: after the daemon stopped, SOURCE's replies were mostly
# interleaved (chronyd sent its true T3) and, on the DPDK backend, the exchanges took the
# kernel's stamps from the packet-socket tap (not the TSC around the PMD's system calls).
sync_check_stamps() {
  local backend=$1 source=$2 line accepted interleaved exchanges kept
  line=$(grep -F "  source $source:" "$WT_DIR/wiretimed.out" | tail -1)
  accepted=$(sed -n 's/.*accepted \([0-9]*\),.*/\1/p' <<<"$line")
  interleaved=$(sed -n 's/.*interleaved \([0-9]*\).*/\1/p' <<<"$line")
  echo "   $source: accepted ${accepted:-?}, interleaved ${interleaved:-?}"
  [ -n "$accepted" ] && [ -n "$interleaved" ] && [ $((interleaved * 10)) -ge $((accepted * 8)) ] ||
    fail "$source: ${interleaved:-?} of ${accepted:-?} replies interleaved"
  [ "$backend" = dpdk ] || return 0
  read -r exchanges kept < <(sed -n 's/.*kernel stamps: \([0-9]*\) exchanges, \([0-9]*\) replies.*/\1 \2/p' \
    "$WT_DIR/wiretimed.out")
  [ -n "$exchanges" ] && [ "$exchanges" -gt 0 ] && [ $((kept * 10)) -le "$exchanges" ] ||
    fail "kernel stamps on ${exchanges:-?} exchanges, TSC on ${kept:-?} replies"
}

# sync_check [check_sync.py options]: the accuracy limits on both logs.
sync_check() {
  python3 "$SYNC_DIR/check_sync.py" --start "$SYNC_START" "$@" \
    "$WT_DIR/measurements.log" "$WT_DIR/tracking.log"
}

# sync_show: the daemon's messages and the last log lines, for the test output.
sync_show() {
  sed 's/^/   | /' "$WT_DIR/wiretimed.out"
  # Diagnostics must not end a failing test early: an empty or missing log is shown as such.
  local log
  for log in tracking measurements; do
    echo "   $log (last 5):"
    { grep -v '^#' "$WT_DIR/$log.log" 2>/dev/null || echo "(no lines)"; } | tail -5 | sed 's/^/   | /'
  done
}

# sync_check_served_stamps [xleave]: after the daemon stopped (DPDK over net_af_packet), its
# server's kernel-stamp line: the packet-socket tap dated the replies, the lcore's interleaved
# store took at least 9 in 10 of their kernel TX stamps, and (xleave) the interleaved replies
# carried them (mean error within 2 us; a correction arrives within milliseconds of the reply,
# a poll before the client's next request names it).
sync_check_served_stamps() {
  local line stored sent mean t2 kernel tsc t2mean t2min
  line=$(grep "server kernel stamps on" "$WT_DIR/wiretimed.out" | tail -1 || true)
  echo "   | ${line#wiretimed: info: }"
  [ -n "$line" ] || fail "no server kernel stamps (packet-socket tap) line"
  read -r stored sent < <(sed -n 's/.*departures stored \([0-9]*\) of \([0-9]*\).*/\1 \2/p' <<<"$line")
  [ -n "$sent" ] && [ "$sent" -gt 0 ] && [ $((stored * 10)) -ge $((sent * 9)) ] ||
    fail "the interleaved store took ${stored:-?} of ${sent:-?} kernel TX stamps"
  # T2 from the lcore's packet ring: 19 in 20 requests dated by the kernel's RX stamp, and the
  # served T2s on the stamps control's tap saw: mean within 3 us, none over 5 us early (the two
  # map CLOCK_REALTIME onto the TSC apart; a request the ring missed is late, by the lcore's
  # polling gap).
  t2=$(grep "server T2: " "$WT_DIR/wiretimed.out" | tail -1 || true)
  echo "   | ${t2#wiretimed: info: }"
  read -r kernel tsc < <(sed -n 's/.*T2: \([0-9]*\) requests dated by the kernel.s RX stamp, \([0-9]*\) by the TSC.*/\1 \2/p' <<<"$t2")
  [ -n "$kernel" ] && [ "$kernel" -gt 0 ] && [ $((kernel * 20)) -ge $(((kernel + tsc) * 19)) ] ||
    fail "the server's T2 came from the kernel's stamps for ${kernel:-?} requests, the TSC for ${tsc:-?}"
  read -r t2mean t2min < <(sed -n 's/.*T2 - kernel RX mean \(-\{0,1\}[0-9.]*\) us, min \(-\{0,1\}[0-9.]*\) us.*/\1 \2/p' <<<"$line")
  [ -n "$t2min" ] && python3 -c "import sys; sys.exit(0 if abs($t2mean) <= 3 and $t2min >= -5 else 1)" ||
    fail "served T2 against the kernel's RX stamps: mean ${t2mean:-?} us, min ${t2min:-?} us"
  [ "${1:-}" = xleave ] || return 0
  mean=$(sed -n 's/.*, interleaved mean \(-\{0,1\}[0-9.]*\) us.*/\1/p' <<<"$line")
  [ -n "$mean" ] && python3 -c "import sys; sys.exit(0 if abs(float('$mean')) <= 2 else 1)" ||
    fail "interleaved replies' TX against the kernel's stamps: mean ${mean:-?} us"
}

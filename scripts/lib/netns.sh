# shellcheck shell=bash
# Network-namespace lab for wiretime: a "server" namespace with chronyd on 198.18.0.1 and a
# "client" namespace whose veth end has NO kernel address (wiretimed owns 198.18.0.2 on it
# through DPDK net_af_packet). Names carry a unique tag so concurrent runs never clash.
# Only 198.18.0.0/15 (RFC 2544 benchmarking) is ever used.
# A lab killed before its EXIT trap ran (ctest's timeout sends SIGKILL) leaves its namespaces
# and the processes in them: wt_lab_init removes such stale labs of any script (see
# wt_lab_reap_stale) and records this lab's owner so that later runs can tell it apart.
#
# Usage (sourced):
#   wt_lab_init [TAG]          # sets WT_TAG, WT_NS_SRV, WT_NS_CLI, WT_VETH_SRV, WT_VETH_CLI, WT_DIR
#   trap wt_lab_cleanup EXIT INT TERM
#   wt_lab_create_links
#   wt_lab_setup TAG           # a test's lab: skip (77) without the means, then the three above
#   wt_lab_start_chronyd       # chronyd -x as a local stratum-1 server in WT_NS_SRV
#   wt_lab_chronyd NAME ADDR [ns=|stratum=|keyfile=]   # another one, on ADDR
#   wt_lab_wiretimed_yaml [backend=|idle=|offset=|...] # wiretimed's YAML up to `ntp:`
#   wt_lab_spawn NAME CMD...   # run CMD in WT_NS_CLI in the background, tracked for cleanup
#   wt_lab_kernel_address      # wiretime's address (WT_CLIENT_IP) in its namespace's kernel
#   wt_lab_leftovers           # prints anything of this lab still present (empty: clean)
#   wt_lab_reap_stale          # removes the wt-* namespaces whose owner is gone (wt_lab_init does)

WT_SERVER_IP=198.18.0.1
WT_CLIENT_IP=198.18.0.2
WT_PREFIX_LEN=24
WT_PIDS=()
# Real-time priority for the lab's time-critical processes (chronyd, wiretimed) when they sleep
# between packets, so that other load on the machine (builds) cannot delay them by a time
# slice. Empty to run them at normal priority.
WT_LAB_RT=${WT_LAB_RT-chrt -f 10}
# Who owns each lab tag: a file per tag holding the owner's pid and start time (clock ticks
# after boot, /proc/PID/stat field 22), so a recycled pid is not taken for the owner.
WT_LAB_OWNERS=${WT_LAB_OWNERS:-/run/wiretime-lab}

wt_log() { echo "[lab $WT_TAG] $*" >&2; }

wt_lab_init() {
  # Interface names are limited to 15 characters: "wts" + tag must fit.
  WT_TAG=${1:-$$}
  WT_NS_SRV="wt-srv-$WT_TAG"
  WT_NS_CLI="wt-cli-$WT_TAG"
  WT_VETH_SRV="wts$WT_TAG"
  WT_VETH_CLI="wtc$WT_TAG"
  WT_DIR=$(mktemp -d "/tmp/wiretime-lab-$WT_TAG.XXXXXX")
  # Containers may forbid real-time scheduling: then run at normal priority.
  if [ -n "$WT_LAB_RT" ] && ! $WT_LAB_RT true 2>/dev/null; then WT_LAB_RT=; fi
  export WT_TAG WT_NS_SRV WT_NS_CLI WT_VETH_SRV WT_VETH_CLI WT_DIR
  # The record must exist before the lab's first namespace, or another run's reaper could take
  # the lab for stale. Namespaces with this very tag are a dead run's (its pid was recycled).
  if [ "$(id -u)" = 0 ] && mkdir -p "$WT_LAB_OWNERS" 2>/dev/null; then
    wt_lab_reap_stale "$WT_TAG"
    echo "$$ $(wt_lab_start_time $$)" >"$WT_LAB_OWNERS/$WT_TAG"
  fi
}

# wt_lab_start_time PID: the process's start time in clock ticks after boot; empty when gone.
wt_lab_start_time() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  # The command name (field 2) may hold spaces and parentheses: count from its closing one.
  read -r -a fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# wt_lab_owner_alive TAG: whether the run that made lab TAG is still running. Its record names
# the owner; without one (a lab of an older checkout, or a script that makes its own
# namespace) the tag's trailing digits are the owner's pid, since every script tags its lab
# with $$. A tag without digits has no known owner and counts as alive (never touched).
wt_lab_owner_alive() {
  local tag=$1 pid= start= record=$WT_LAB_OWNERS/$1
  if [ -f "$record" ]; then
    read -r pid start <"$record" || true
  elif [[ $tag =~ ([0-9]+)$ ]]; then
    pid=${BASH_REMATCH[1]}
  else
    return 0
  fi
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ -z "$start" ] || [ "$(wt_lab_start_time "$pid")" = "$start" ]
}

# wt_lab_reap_stale [NEW_TAG]: every wt-<role>-<tag> namespace whose owner is gone goes, with
# the processes still running in it (a daemon outlives the script that ctest killed), and the
# tag's owner record, DPDK runtime directory and /etc/netns entry (its /tmp directory stays, for
# the post-mortem). Namespaces of live labs (a run in another shell) are left alone; those
# tagged NEW_TAG, a lab about to be made, count as stale.
wt_lab_reap_stale() {
  local new=${1:-} ns tag pid
  local -A stale=()
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }'); do
    [[ $ns =~ ^wt-[a-z0-9]+-([A-Za-z0-9]+)$ ]] || continue
    tag=${BASH_REMATCH[1]}
    if [ -z "${stale[$tag]+x}" ]; then
      if [ "$tag" != "$new" ] && wt_lab_owner_alive "$tag"; then stale[$tag]=0; else stale[$tag]=1; fi
    fi
    [ "${stale[$tag]}" = 1 ] || continue
    wt_log "removing stale namespace $ns (its lab's owner is gone)"
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "/etc/netns/$ns"
  done
  for tag in "${!stale[@]}"; do
    [ "${stale[$tag]}" = 1 ] || continue
    rm -rf "$WT_LAB_OWNERS/$tag" "/run/dpdk/wt-$tag"
  done
  # Records of dead owners whose namespaces are gone already (killed before making them).
  for pid in "$WT_LAB_OWNERS"/*; do
    [ -f "$pid" ] || continue
    if ! wt_lab_owner_alive "${pid##*/}"; then rm -f "$pid"; fi
  done
  return 0
}

wt_lab_require() {
  if [ "$(id -u)" != 0 ]; then echo "needs root (network namespaces)"; return 1; fi
  if ! ip netns list >/dev/null 2>&1; then echo "'ip netns' is unavailable"; return 1; fi
  if ! command -v chronyd >/dev/null; then echo "chronyd is not installed"; return 1; fi
  return 0
}

# CPUs for everything but the dataplane lcore: all but the last one (all, on one CPU).
wt_lab_housekeeping_cpus() {
  local n
  n=$(nproc)
  if [ "$n" -gt 1 ]; then echo "0-$((n - 2))"; else echo 0; fi
}
# The dataplane lcore: the last CPU.
wt_lab_dataplane_cpu() { echo $(($(nproc) - 1)); }

# wiretime's address in the kernel of its namespace, on its veth: what the socket backend sends
# from and serves on (on DPDK the dataplane owns the address and the kernel must not).
wt_lab_kernel_address() {
  ip -n "$WT_NS_CLI" addr add "$WT_CLIENT_IP/$WT_PREFIX_LEN" dev "$WT_VETH_CLI"
}

# wt_lab_setup TAG: a test script's lab, removed on any exit: exits 77 (skip) with the reason
# when the machine lacks root, `ip netns` or chronyd.
wt_lab_setup() {
  local why
  if ! why=$(wt_lab_require); then echo "SKIP: $why"; exit 77; fi
  wt_lab_init "$1"
  trap wt_lab_cleanup EXIT
  trap 'exit 130' INT TERM
  wt_lab_create_links
}

wt_lab_create_links() {
  ip netns add "$WT_NS_SRV"
  ip netns add "$WT_NS_CLI"
  ip link add "$WT_VETH_SRV" type veth peer name "$WT_VETH_CLI"
  ip link set "$WT_VETH_SRV" netns "$WT_NS_SRV"
  ip link set "$WT_VETH_CLI" netns "$WT_NS_CLI"
  local ns dev
  for ns in "$WT_NS_SRV" "$WT_NS_CLI"; do
    ip -n "$ns" link set lo up
    # No IPv6: no DAD, router solicitations or MLD reports on the lab link.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip -n "$WT_NS_SRV" addr add "$WT_SERVER_IP/$WT_PREFIX_LEN" dev "$WT_VETH_SRV"
  # Learn our MAC from wiretimed's gratuitous ARP, so chronyd's first reply does not wait for
  # an ARP exchange (which would show as a one-off millisecond of return-path delay).
  ip netns exec "$WT_NS_SRV" sysctl -qw "net.ipv4.conf.$WT_VETH_SRV.arp_accept=1"
  # Veth hands partially checksummed skbs to af_packet on the peer; have the kernel compute
  # full checksums instead, so wiretimed can verify them.
  for dev in "$WT_NS_SRV:$WT_VETH_SRV" "$WT_NS_CLI:$WT_VETH_CLI"; do
    if command -v ethtool >/dev/null; then
      ip netns exec "${dev%%:*}" ethtool -K "${dev#*:}" tx off rx off >/dev/null 2>&1 || true
    fi
  done
  ip -n "$WT_NS_SRV" link set "$WT_VETH_SRV" up
  ip -n "$WT_NS_CLI" link set "$WT_VETH_CLI" up
}

# wt_lab_add_link NS SRV_DEV CLI_DEV: a further veth pair between namespace NS (its SRV_DEV end)
# and the client namespace (CLI_DEV), up, with full checksums as on the first link. Both ends go
# with their namespaces at clean-up.
wt_lab_add_link() {
  local ns=$1 srv=$2 cli=$3
  ip link add "$srv" type veth peer name "$cli"
  ip link set "$srv" netns "$ns"
  ip link set "$cli" netns "$WT_NS_CLI"
  if command -v ethtool >/dev/null; then
    ip netns exec "$ns" ethtool -K "$srv" tx off rx off >/dev/null 2>&1 || true
    ip netns exec "$WT_NS_CLI" ethtool -K "$cli" tx off rx off >/dev/null 2>&1 || true
  fi
  ip -n "$ns" link set "$srv" up
  ip -n "$WT_NS_CLI" link set "$cli" up
}

# wt_lab_options NAME=VALUE... : sets the caller's locals of those names (declared beforehand);
# an unknown name is an error, so a typo in a lab script fails loudly instead of being ignored.
wt_lab_options() {
  local known=$1 kv
  shift
  for kv; do
    if [[ " $known " != *" ${kv%%=*} "* ]] || [[ $kv != *=* ]]; then
      wt_log "unknown option '$kv' (known: $known)"
      return 1
    fi
    printf -v "${kv%%=*}" '%s' "${kv#*=}"
  done
}

# wt_lab_chronyd NAME ADDR [ns=NS] [stratum=N] [keyfile=FILE] [allow=CLIENT]: chronyd -x serving
# the host's clock (local stratum N, default 1) on ADDR in NS (default the server namespace) to
# CLIENT (an address or subnet; default the lab's 198.18.0.0/15 and 2001:db8::/32); files
# WT_DIR/NAME.{conf,log,pid,drift}, pid in WT_LAST_PID. Returns once it listens, or 1 with its log.
wt_lab_chronyd() {
  local name=$1 addr=$2 ns=$WT_NS_SRV stratum=1 keyfile= allow= i rt=()
  shift 2
  wt_lab_options "ns stratum keyfile allow" "$@" || return 1
  cat >"$WT_DIR/$name.conf" <<CONF
# Upstream for the wiretime lab: serves the host clock, never steers it.
local stratum $stratum
$(if [ -n "$allow" ]; then echo "allow $allow"; else printf 'allow 198.18.0.0/15\nallow 2001:db8::/32'; fi)
port 123
bindaddress $addr
cmdport 0
pidfile $WT_DIR/$name.pid
driftfile $WT_DIR/$name.drift
CONF
  [ -z "$keyfile" ] || echo "keyfile $keyfile" >>"$WT_DIR/$name.conf"
  [ -n "$WT_LAB_RT" ] && read -r -a rt <<<"$WT_LAB_RT"
  # Kept off the last CPU, where the dataplane lcore polls: if the scheduler put chronyd there,
  # the lcore would not run until chronyd sleeps again (~1 ms after its reply).
  ip netns exec "$ns" "${rt[@]}" taskset -c "$(wt_lab_housekeeping_cpus)" \
    chronyd -f "$WT_DIR/$name.conf" -u root -x -d >"$WT_DIR/$name.log" 2>&1 &
  WT_PIDS+=($!)
  WT_LAST_PID=$!
  for i in $(seq 50); do
    # ss shows IPv6 listeners as [addr]:123.
    ip netns exec "$ns" ss -Hlun "sport = :123" | grep -qF -e "$addr:123" -e "[$addr]:123" && return 0
    sleep 0.1
  done
  wt_log "chronyd $name did not start:"
  cat "$WT_DIR/$name.log" >&2
  return 1
}

# The lab's one upstream: chronyd on WT_SERVER_IP.
wt_lab_start_chronyd() { wt_lab_chronyd chronyd "$WT_SERVER_IP"; }

# wt_lab_wiretimed_yaml [backend=B] [idle=US] [offset=NS] [frequency=PPB] [measurements=FILE]
#   [tracking=FILE] [vdevs=EAL_ARGS] [interfaces=YAML]: prints wiretimed's start-up YAML for
# this lab up to its `ntp:` line (the caller appends the servers). Defaults: the DPDK backend on
# one net_af_packet port over the client veth, interface GE1/0/1 with WT_CLIENT_IP, a virtual
# clock without injected error, 5 us naps (the lcore never naps while a reply is awaited).
wt_lab_wiretimed_yaml() {
  local backend=dpdk idle=5 offset=0 frequency=0 measurements= tracking= lcores=0
  local vdevs="\"--vdev\", \"net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0\""
  local interfaces="
  - name: GE1/0/1
    devargs: net_af_packet0,iface=$WT_VETH_CLI,qdisc_bypass=0
    ipv4: $WT_CLIENT_IP/$WT_PREFIX_LEN"
  wt_lab_options "backend idle offset frequency measurements tracking vdevs interfaces" "$@" ||
    return 1
  [ "$(nproc)" -gt 1 ] && lcores="0,$(wt_lab_dataplane_cpu)"
  cat <<YAML
dataplane:
  backend: $backend
  eal: ["--no-huge", "--no-pci", "-m", "64", "-l", "$lcores", "--file-prefix", "wt-$WT_TAG",
        $vdevs]
  idle-sleep-us: $idle
interfaces:$interfaces
clock:
  driver: virtual
  test-initial-offset-ns: $offset
  test-initial-frequency-ppb: $frequency
log:
  level: info
YAML
  [ -z "$measurements" ] || echo "  measurements: $measurements"
  [ -z "$tracking" ] || echo "  tracking: $tracking"
  echo "ntp:"
}

# wt_lab_spawn LOGFILE CMD...: CMD in the client namespace, in the background.
wt_lab_spawn() {
  local log=$1; shift
  ip netns exec "$WT_NS_CLI" "$@" >"$log" 2>&1 &
  WT_PIDS+=($!)
  WT_LAST_PID=$!
}

# Stops a tracked process: SIGTERM, then SIGKILL after a grace period.
wt_lab_stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

wt_lab_cleanup() {
  # Runs from a trap, possibly under set -e: nothing here may abort the rest of the clean-up.
  set +e
  trap '' INT TERM
  local pid ns
  for pid in "${WT_PIDS[@]}"; do wt_lab_stop "$pid"; done
  WT_PIDS=()
  for ns in "$WT_NS_SRV" "$WT_NS_CLI"; do
    [ -n "$ns" ] || continue
    # Anything still running inside (e.g. a child the tracked pid left behind) goes too.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -n "${WT_DIR:-}" ] && [ -d "$WT_DIR" ] && [ "${WT_KEEP_DIR:-0}" != 1 ] && rm -rf "$WT_DIR"
  # The EAL's runtime directory of wt_lab_wiretimed_yaml's --file-prefix: rte_eal_cleanup leaves
  # it (about 1 MB of fbarray files in /run, a tmpfs) after every run.
  [ -n "${WT_TAG:-}" ] && rm -rf "/run/dpdk/wt-$WT_TAG" "$WT_LAB_OWNERS/$WT_TAG"
  return 0
}

wt_lab_leftovers() {
  local ns
  for ns in "$WT_NS_SRV" "$WT_NS_CLI"; do
    ip netns list 2>/dev/null | grep -qw -- "$ns" && echo "namespace $ns"
  done
  ip link show "$WT_VETH_SRV" >/dev/null 2>&1 && echo "link $WT_VETH_SRV"
  pgrep -f -- "$WT_DIR/chrony.conf" >/dev/null && echo "chronyd for $WT_DIR"
  pgrep -f -- "wt-$WT_TAG" >/dev/null && echo "process mentioning wt-$WT_TAG"
  [ -d "$WT_DIR" ] && echo "directory $WT_DIR"
  [ -d "/run/dpdk/wt-$WT_TAG" ] && echo "directory /run/dpdk/wt-$WT_TAG"
  [ -f "$WT_LAB_OWNERS/$WT_TAG" ] && echo "owner record $WT_LAB_OWNERS/$WT_TAG"
  return 0
}

#!/usr/bin/env bash
# Installs every Debian package wiretime needs and builds the release preset into build/.
# Idempotent: safe to run again; the only place in the project that installs anything.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  build-essential g++ clang libclang-rt-14-dev cmake ninja-build pkg-config clang-format
  # libraries
  libdpdk-dev dpdk libpcap-dev libyaml-cpp-dev libgtest-dev libgmock-dev googletest
  libbenchmark-dev libssl-dev libedit-dev
  # systemd readiness (sd_notify) for the wiretimed.service unit
  libsystemd-dev
  # test peers and tools: chronyd as the real upstream, tshark as the independent decoder
  chrony tshark iproute2 ethtool procps psmisc python3 gnuplot-nox
  # the .deb test: dpkg-shlibdeps (dpkg-dev) for its dependencies, systemd-analyze for the unit
  dpkg-dev systemd
  # telemetry clients: dpdk-telemetry.py and dpdk-dumpcap (dpdk-dev), the Prometheus text parser
  dpdk-dev python3-prometheus-client
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer once, non-interactively.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  # The chrony package may start a system chronyd; wiretime's tests must never touch the host
  # clock, so stop it if the package manager started one.
  if pgrep -x chronyd >/dev/null && [ -f /run/chrony/chronyd.pid ]; then
    kill "$(cat /run/chrony/chronyd.pid)" 2>/dev/null || true
  fi
fi

if [ "${WIRETIME_SKIP_BUILD:-0}" != 1 ]; then
  cmake --preset release
  cmake --build --preset release
fi

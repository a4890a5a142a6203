#!/usr/bin/env bash
# Fails when the pure layers reach for DPDK or the system: rte_* only under dataplane/dpdk/,
# clock reads and sockets only in the adapters and the daemon's composition root.
set -euo pipefail
cd "$(dirname "$0")/.."

pure_dirs=(dataplane/time dataplane/wire dataplane/clock dataplane/rcu dataplane/l3 dataplane/auth dataplane/server dataplane/rx control/engine control/clock control/runtime config/display)
status=0
# Comment lines may name what they must not call.
code_only() { grep -vE '^[^:]+:[0-9]+:\s*(//|\*)' || true; }

for d in "${pure_dirs[@]}"; do
  [ -d "$d" ] || continue
  if hits=$(grep -rnE '#include\s*[<"]rte_|\brte_[a-z_]+\(' "$d" | code_only); [ -n "$hits" ]; then
    echo "layering: DPDK used in pure layer $d:"; echo "$hits"; status=1
  fi
  if hits=$(grep -rnE '\b(clock_gettime|gettimeofday|time\(nullptr\)|std::chrono::(system|steady|high_resolution)_clock|rdtsc|socket\(|sendto|recvfrom|adjtimex|clock_adjtime|std::random_device|getenv|fopen|std::ifstream|std::ofstream)\b' "$d" | code_only); [ -n "$hits" ]; then
    echo "layering: system call or clock read in pure layer $d:"; echo "$hits"; status=1
  fi
done

# Dependencies point down: nothing under dataplane/ includes control/ or config/ (the MAC
# primitives both sides need live in dataplane/auth).
if hits=$(grep -rnE '#include\s*"(control|config)/' dataplane | code_only); [ -n "$hits" ]; then
  echo "layering: dataplane/ includes an upper layer:"; echo "$hits"; status=1
fi

# DPDK includes anywhere outside the adapter folder (and the tests and benchmarks of it).
if hits=$(grep -rlnE '#include\s*[<"]rte_' --include='*.hpp' --include='*.cpp' --include='*.h' . \
          | sed 's|^\./||' | grep -vE '^(build|dataplane/dpdk|tests|bench)/' || true); [ -n "$hits" ]; then
  echo "layering: rte_ includes outside dataplane/dpdk/, tests/ and bench/:"; echo "$hits"; status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status

#!/usr/bin/env bash
# Fails when an include breaks the direction table of docs/architecture.md, and when the pure
# layers reach for DPDK or the system: rte_* only under dataplane/dpdk/, clock reads and sockets
# only in the adapters and the daemon's composition root.
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

# Dependencies point down, as the direction table of docs/architecture.md ("Layers") says: a
# file may include its own folder and the folders its row lists (`layer/*`: any of that layer).
declare -A allowed=()
while IFS='|' read -r _ folder may _; do
  folder=$(echo "$folder" | xargs)
  [[ "$folder" =~ ^(config|control|dataplane)/ ]] || continue
  allowed[$folder]=$(echo "$may" | tr ',' ' ' | xargs)
done < <(sed -n '/<!-- layering-table: begin -->/,/<!-- layering-table: end -->/p' docs/architecture.md)
if [ ${#allowed[@]} -eq 0 ]; then
  echo "layering: no direction table in docs/architecture.md"; exit 1
fi
for layer in config control dataplane; do
  for dir in "$layer"/*/; do
    dir=${dir%/}
    if [ -z "${allowed[$dir]+set}" ]; then
      echo "layering: $dir has no row in the direction table of docs/architecture.md"; status=1
      continue
    fi
    while IFS= read -r hit; do
      [ -n "$hit" ] || continue
      target=$(echo "$hit" | sed -E 's|^[^:]+:[0-9]+:\s*#include\s*"(include/[a-z0-9_]+\|[a-z]+/[a-z0-9_]+)/.*|\1|')
      [ "$target" = "$dir" ] && continue
      ok=0
      for a in ${allowed[$dir]}; do
        if [ "$a" = "$target" ] || { [[ "$a" == */\* ]] && [[ "$target" == "${a%\*}"* ]]; }; then ok=1; break; fi
      done
      if [ $ok -eq 0 ]; then
        echo "layering: $dir may not include $target: $hit"; status=1
      fi
    done < <(grep -rnE '#include\s*"(config|control|dataplane|include)/[a-z0-9_]+/' "$dir" | code_only)
  done
done

# DPDK includes anywhere outside the adapter folder (and the tests and benchmarks of it).
if hits=$(grep -rlnE '#include\s*[<"]rte_' --include='*.hpp' --include='*.cpp' --include='*.h' . \
          | sed 's|^\./||' | grep -vE '^(build|dataplane/dpdk|tests|bench)/' || true); [ -n "$hits" ]; then
  echo "layering: rte_ includes outside dataplane/dpdk/, tests/ and bench/:"; echo "$hits"; status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status

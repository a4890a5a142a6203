#!/usr/bin/env bash
# Sets up if needed, then runs every test: release build (unit, sim, pcap, e2e when root),
# the same tests under ASan+UBSan (without e2e), a bounded fuzz run, and the layering check.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/check_layering.sh

echo "== release: all tests"
ctest --preset release -j2

echo "== asan+ubsan: unit, sim, pcap"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan -j2

echo "== fuzz: bounded libFuzzer runs"
cmake --preset fuzz
cmake --build --preset fuzz
ctest --preset fuzz

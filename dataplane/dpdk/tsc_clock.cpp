#include "dataplane/dpdk/tsc_clock.hpp"

#include <time.h>

#include <thread>

namespace wiretime::dpdk {
namespace {

struct Pair {
  uint64_t tick = 0;
  UnixNanos utc = 0;
  uint64_t bracket = 0;  // TSC ticks between the reads around clock_gettime
};

Pair tightest_pair() {
  Pair best{0, 0, UINT64_MAX};
  for (int i = 0; i < 64; ++i) {
    timespec ts{};
    const uint64_t before = rte_rdtsc_precise();
    clock_gettime(CLOCK_REALTIME, &ts);
    const uint64_t after = rte_rdtsc_precise();
    if (after - before < best.bracket) {
      best = {before + (after - before) / 2,
              static_cast<UnixNanos>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec, after - before};
    }
  }
  return best;
}

}  // namespace

TscCalibration calibrate_tsc(std::chrono::nanoseconds span) {
  const double nominal = static_cast<double>(rte_get_tsc_hz());
  const Pair start = tightest_pair();
  std::this_thread::sleep_for(span);
  const Pair end = tightest_pair();
  TscCalibration c;
  c.tick0 = start.tick;
  c.utc0 = start.utc;
  c.nominal_ticks_per_second = nominal;
  const double seconds = static_cast<double>(end.utc - start.utc) * 1e-9;
  c.ticks_per_second = seconds > 0 ? static_cast<double>(end.tick - start.tick) / seconds : nominal;
  c.pairing_uncertainty_ns =
      static_cast<int64_t>(static_cast<double>(start.bracket) / 2 / c.ticks_per_second * 1e9);
  return c;
}

}  // namespace wiretime::dpdk

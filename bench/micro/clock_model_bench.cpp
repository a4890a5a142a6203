// Per-packet cost of turning a burst tick into a timestamp: the dataplane pays this for every
// received and transmitted NTP packet.
#include <benchmark/benchmark.h>

#include "dataplane/clock/published_clock.hpp"

namespace wiretime::clock {
namespace {

constexpr UnixNanos kStart = 1'795'000'000LL * 1'000'000'000;

void BM_ClockModelNtp(benchmark::State& state) {
  const auto m = ClockModel::from_rate(0, kStart, 2.9e9).with_frequency(0, 12'345.0);
  uint64_t t = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.ntp(t));
    t += 2'900;
  }
}
BENCHMARK(BM_ClockModelNtp);

void BM_PublishedClockRead(benchmark::State& state) {
  PublishedClock pc(ClockModel::from_rate(0, kStart, 2.9e9));
  uint64_t t = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(pc.read().ntp(t));
    t += 2'900;
  }
}
BENCHMARK(BM_PublishedClockRead);

}  // namespace
}  // namespace wiretime::clock

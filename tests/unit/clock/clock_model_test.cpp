#include "dataplane/clock/clock_model.hpp"

#include <gtest/gtest.h>

namespace wiretime::clock {
namespace {

constexpr int64_t kNs = 1'000'000'000;
constexpr UnixNanos kStart = 1'795'000'000 * kNs;

TEST(ClockModel, MapsTicksAtNominalRate) {
  for (double hz : {1e9, 2.4e9, 3.123456789e9, 25e6, 1.0e6}) {
    const auto m = ClockModel::from_rate(1000, kStart, hz);
    EXPECT_EQ(m.utc_nanos(1000), kStart) << hz;
    const auto one_second = static_cast<uint64_t>(hz);
    EXPECT_NEAR(static_cast<double>(m.utc_nanos(1000 + one_second) - kStart), 1e9, 1.0) << hz;
    EXPECT_NEAR(m.nominal_ticks_per_second(), hz, hz * 1e-15) << hz;
  }
}

TEST(ClockModel, NtpTimestampAgreesWithUnixNanos) {
  const auto m = ClockModel::from_rate(0, kStart + 123'456'789, 2.5e9);
  for (uint64_t t : {uint64_t{0}, uint64_t{1}, uint64_t{2'500'000'000}, uint64_t{7'777'777'777}}) {
    const UnixNanos ns = m.utc_nanos(t);
    EXPECT_EQ(m.ntp(t).to_unix_nanos(ns), ns) << t;
  }
}

TEST(ClockModel, TicksBeforeTick0AndAcrossCounterWrap) {
  const uint64_t near_wrap = ~uint64_t{0} - 999;
  const auto m = ClockModel::from_rate(near_wrap, kStart, 1e9);
  EXPECT_EQ(m.utc_nanos(near_wrap - 500), kStart - 500);
  EXPECT_EQ(m.utc_nanos(near_wrap + 2000), kStart + 2000);  // wrapped past zero
  EXPECT_EQ(m.elapsed(near_wrap + 2000, near_wrap).to_nanos(), -2000);
}

TEST(ClockModel, StepMovesTimeAtOnce) {
  const auto m = ClockModel::from_rate(0, kStart, 1e9);
  const auto s = m.stepped(5'000, NtpDuration::from_nanos(-1'000'000));
  EXPECT_EQ(s.utc_nanos(5'000), kStart + 5'000 - 1'000'000);
  EXPECT_EQ(s.utc_nanos(6'000), kStart + 6'000 - 1'000'000);
}

TEST(ClockModel, FrequencyChangeIsContinuousAndExact) {
  const auto m = ClockModel::from_rate(0, kStart, 1e9);
  const uint64_t at = 10 * 1'000'000'000ULL;
  const auto f = m.with_frequency(at, 20'000.0);  // +20 ppm
  EXPECT_EQ(f.utc_nanos(at), m.utc_nanos(at));
  // After 100 s at +20 ppm the clock has gained 2 ms.
  const uint64_t later = at + 100 * 1'000'000'000ULL;
  EXPECT_EQ(f.utc_nanos(later) - m.utc_nanos(later), 2'000'000);
  // Frequencies are absolute, not cumulative.
  const auto g = f.with_frequency(later, -500'000.0);
  EXPECT_DOUBLE_EQ(g.frequency_ppb(), -500'000.0);
  EXPECT_EQ(g.utc_nanos(later + 1'000'000'000ULL) - g.utc_nanos(later), 999'500'000);
}

TEST(ClockModel, SubNanosecondStateSurvivesManyUpdates) {
  // Re-basing every second for a simulated day must not accumulate rounding error.
  const double hz = 2'999'999'999.7;
  auto m = ClockModel::from_rate(0, kStart, hz);
  const auto reference = m.with_frequency(0, 12'345.678);
  m = reference;
  uint64_t t = 0;
  for (int i = 0; i < 86'400; ++i) {
    t += 2'999'999'999 + (i % 3);
    m = m.with_frequency(t, 12'345.678);
  }
  EXPECT_NEAR(static_cast<double>(m.utc_nanos(t) - reference.utc_nanos(t)), 0.0, 1.0);
}

}  // namespace
}  // namespace wiretime::clock

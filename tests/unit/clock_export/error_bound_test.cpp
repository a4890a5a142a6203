// The bound's pure math (include/wiretime/clock_segment.h, control/clock/error_bound.*).
#include <gtest/gtest.h>

#include <random>

#include "control/clock/clock_segment_writer.hpp"
#include "control/clock/error_bound.hpp"
#include "control/engine/ntp_constants.hpp"

namespace wiretime::clock {
namespace {

wt_clock_data bound_data() {
  wt_clock_data d{};
  d.sync_state = WT_SYNC_SYNCHRONISED;
  d.ticks_per_second = 1e9;
  d.offset = -3e-6;
  d.root_delay = 40e-6;
  d.root_dispersion = 10e-6;
  d.error_estimate = 2e-6;
  d.max_frequency_error = 15e-6;
  d.free_run_after = 192.0;
  d.update_tick = 1'000'000'000;
  return d;
}

TEST(ErrorBound, HalfWidthIsOffsetDispersionHalfDelayEstimateAndGrowth) {
  const wt_clock_data d = bound_data();
  EXPECT_NEAR(wt_clock_half_width(&d, 0.0), 3e-6 + 10e-6 + 20e-6 + 2e-6, 1e-15);
  EXPECT_NEAR(wt_clock_half_width(&d, 10.0), 35e-6 + 150e-6, 1e-15);
  // Before the update (a reading raced it): no negative growth.
  EXPECT_NEAR(wt_clock_half_width(&d, -1.0), 35e-6, 1e-15);
}

TEST(ErrorBound, StatusFollowsStateAndSilence) {
  wt_clock_data d = bound_data();
  EXPECT_EQ(wt_clock_status_at(&d, 1.0), WT_STATUS_SYNCHRONISED);
  EXPECT_EQ(wt_clock_status_at(&d, 192.0), WT_STATUS_SYNCHRONISED);
  EXPECT_EQ(wt_clock_status_at(&d, 192.5), WT_STATUS_FREE_RUNNING);
  EXPECT_EQ(wt_clock_status_at(&d, -5.0), WT_STATUS_DISRUPTED);  // tick source went back
  d.sync_state = WT_SYNC_UNSYNCED;
  EXPECT_EQ(wt_clock_status_at(&d, 1.0), WT_STATUS_FREE_RUNNING);
  d.sync_state = WT_SYNC_DISRUPTED;
  EXPECT_EQ(wt_clock_status_at(&d, 1.0), WT_STATUS_DISRUPTED);
  d.sync_state = WT_SYNC_UNKNOWN;
  EXPECT_EQ(wt_clock_status_at(&d, 1.0), WT_STATUS_UNKNOWN);
}

TEST(ErrorBound, IntervalIsCentredOnTheModelAndNeverNarrowerThanTheBound) {
  wt_clock_segment segment{};
  ClockSegmentWriter writer(&segment, WT_TICKS_MONOTONIC, 1e9);
  wt_clock_data d = bound_data();
  const ClockModel m = ClockModel::from_rate(5'000'000'000, 1'800'000'000'000'000'000, 1e9)
                           .with_frequency(6'000'000'000, 12'345.0);
  writer.set_model(m);
  d.tick0 = writer.data().tick0;
  d.utc0_hi = writer.data().utc0_hi;
  d.utc0_lo = writer.data().utc0_lo;
  d.mult = writer.data().mult;
  d.shift = writer.data().shift;
  d.update_tick = 6'000'000'000;
  const wt_clock_interval r = wt_clock_interval_at(&d, 16'000'000'000);
  const int64_t mid = m.utc_nanos(16'000'000'000);
  EXPECT_EQ(r.status, WT_STATUS_SYNCHRONISED);
  EXPECT_EQ(r.earliest_ns + (r.latest_ns - r.earliest_ns) / 2, mid);
  EXPECT_GE(static_cast<double>(mid - r.earliest_ns), wt_clock_half_width(&d, 10.0) * 1e9);
  EXPECT_LE(static_cast<double>(mid - r.earliest_ns), wt_clock_half_width(&d, 10.0) * 1e9 + 2);
  // Unknown: no bound, the model's reading only.
  d.sync_state = WT_SYNC_UNKNOWN;
  const wt_clock_interval u = wt_clock_interval_at(&d, 16'000'000'000);
  EXPECT_EQ(u.status, WT_STATUS_UNKNOWN);
  EXPECT_EQ(u.earliest_ns, mid);
  EXPECT_EQ(u.latest_ns, mid);
}

// The C reader's conversion is the ClockModel's, bit for bit, on either side of tick0 and
// across a counter wrap.
TEST(ErrorBound, ReaderConversionMatchesClockModel) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const uint64_t tick0 = rng();
    const double hz = 1e8 + static_cast<double>(rng() % 4'000'000'000ULL);
    const int64_t utc0 = static_cast<int64_t>(rng() % 4'000'000'000'000'000'000ULL);
    ClockModel m = ClockModel::from_rate(tick0, utc0, hz);
    m = m.with_frequency(tick0 + rng() % 1'000'000, static_cast<double>(rng() % 1'000'000) - 5e5);
    if (i % 3 == 0) m = m.stepped(tick0 + 17, NtpDuration::from_nanos(-123'456'789));
    wt_clock_segment seg{};
    ClockSegmentWriter w(&seg, WT_TICKS_TSC, hz);
    w.set_model(m);
    for (int k = 0; k < 5; ++k) {
      const uint64_t t = tick0 + (rng() % 2'000'000'000'000ULL) - 1'000'000'000'000ULL;
      ASSERT_EQ(wt_clock_utc_ns(&w.data(), t), m.utc_nanos(t)) << "tick " << t;
    }
  }
}

TEST(ErrorBound, ParametersFromTheEngineAtAnUpdate) {
  engine::SystemStatus s;
  s.synchronized = true;
  s.root_delay = 100e-6;
  s.root_dispersion = 30e-6;
  s.jitter = 4e-6;
  s.wander = 2e-9;
  s.poll = 6;
  const ErrorBound b = error_bound(s, -7e-6);
  EXPECT_EQ(b.offset, -7e-6);
  EXPECT_EQ(b.root_delay, 100e-6);
  EXPECT_EQ(b.root_dispersion, 30e-6);
  EXPECT_EQ(b.error_estimate, 4e-6);
  EXPECT_NEAR(b.max_frequency_error, engine::kPhi + 2e-9, 1e-18);
  EXPECT_EQ(b.free_run_after, 192.0);  // three 64 s polls
  s.poll = 3;
  EXPECT_EQ(error_bound(s, 0).free_run_after, kMinFreeRunAfter);
}

TEST(ErrorBound, SyncStateMachine) {
  EXPECT_EQ(next_sync_state(WT_SYNC_UNKNOWN, false), WT_SYNC_UNKNOWN);
  EXPECT_EQ(next_sync_state(WT_SYNC_UNKNOWN, true), WT_SYNC_SYNCHRONISED);
  EXPECT_EQ(next_sync_state(WT_SYNC_SYNCHRONISED, false), WT_SYNC_UNSYNCED);
  EXPECT_EQ(next_sync_state(WT_SYNC_DISRUPTED, true), WT_SYNC_SYNCHRONISED);
  EXPECT_EQ(next_sync_state(WT_SYNC_DISRUPTED, false), WT_SYNC_UNSYNCED);
}

}  // namespace
}  // namespace wiretime::clock

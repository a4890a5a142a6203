#include "control/clock/disciplined_clock.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace wiretime::clock {
namespace {

constexpr double kHz = 1e9;  // 1 tick = 1 ns nominal
constexpr uint64_t kTick0 = 1'000'000'000'000;
// 2016-12-31T00:00:00Z: the last day of a month that really ended with a leap second.
constexpr UnixNanos kUtc0 = int64_t{1'483'142'400} * 1'000'000'000;
constexpr UnixNanos kMidnight = int64_t{1'483'228'800} * 1'000'000'000;
constexpr uint64_t kSecond = 1'000'000'000;

ClockModel nominal() {
  return ClockModel::from_rate(kTick0, kUtc0, kHz);
}

// Reading minus what an undisciplined nominal clock reads at the same tick, s.
double correction(const DisciplinedClock& c, uint64_t tick) {
  return static_cast<double>(c.model().utc_nanos(tick) - nominal().utc_nanos(tick)) * 1e-9;
}

TEST(DisciplinedClock, StepAppliesAtOnce) {
  DisciplinedClock c(nominal());
  const uint64_t at = kTick0 + 10 * kSecond;
  c.step(at, 0.25);
  EXPECT_NEAR(correction(c, at), 0.25, 1e-9);
  EXPECT_NEAR(correction(c, at + kSecond), 0.25, 1e-9);
  EXPECT_EQ(c.steps(), 1);
}

TEST(DisciplinedClock, SlewProceedsAtTheBoundedRateAndEndsExactly) {
  DisciplinedClock c(nominal());
  const uint64_t at = kTick0 + kSecond;
  c.slew(at, 0.001);  // 1 ms at 500 ppm: 2 s
  EXPECT_TRUE(c.slewing());
  EXPECT_NEAR(correction(c, at + kSecond), 0.0005, 1e-9);
  EXPECT_NEAR(c.slew_remaining(at + kSecond), 0.0005, 1e-9);
  ASSERT_TRUE(c.next_event(at).has_value());
  const uint64_t end = *c.next_event(at);
  EXPECT_EQ(end, at + 2 * kSecond);
  EXPECT_TRUE(c.advance(end));
  EXPECT_FALSE(c.slewing());
  EXPECT_NEAR(correction(c, end), 0.001, 1e-9);
  // Afterwards the clock runs at the nominal rate again.
  EXPECT_NEAR(correction(c, end + 100 * kSecond), 0.001, 1e-9);
  EXPECT_DOUBLE_EQ(c.overshoot(), 0.0);
  EXPECT_FALSE(c.next_event(end).has_value());
}

TEST(DisciplinedClock, NegativeSlewSlowsTheClock) {
  DisciplinedClock c(nominal());
  c.slew(kTick0, -0.002);
  EXPECT_NEAR(c.rate(), -500e-6, 1e-15);
  EXPECT_NEAR(correction(c, kTick0 + 2 * kSecond), -0.001, 1e-9);
  c.advance(kTick0 + 4 * kSecond);
  EXPECT_NEAR(correction(c, kTick0 + 10 * kSecond), -0.002, 1e-9);
}

TEST(DisciplinedClock, NewSlewAddsToTheRemainder) {
  DisciplinedClock c(nominal());
  c.slew(kTick0, 0.001);
  c.slew(kTick0 + kSecond, 0.001);  // 0.5 ms left + 1 ms
  EXPECT_NEAR(c.slew_remaining(kTick0 + kSecond), 0.0015, 1e-9);
  EXPECT_EQ(*c.next_event(kTick0 + kSecond), kTick0 + 4 * kSecond);
  // Opposite slews cancel.
  c.slew(kTick0 + 2 * kSecond, -0.001);
  EXPECT_FALSE(c.slewing());
  EXPECT_NEAR(correction(c, kTick0 + 9 * kSecond), 0.001, 1e-9);
}

TEST(DisciplinedClock, ReadingsStayMonotonicWhileSlewingBackAndEndingLate) {
  DisciplinedClock c(nominal());
  c.slew(kTick0, -0.010);  // 20 s at -500 ppm
  UnixNanos last = c.model().utc_nanos(kTick0);
  // The control thread looks in only every 0.7 s, so the slew's end is noticed late.
  for (uint64_t t = kTick0; t < kTick0 + 30 * kSecond; t += 1'000'000) {
    if ((t - kTick0) % 700'000'000 == 0) c.advance(t);
    const UnixNanos now = c.model().utc_nanos(t);
    ASSERT_GE(now, last) << "at tick " << t - kTick0;
    last = now;
  }
  EXPECT_FALSE(c.slewing());
  // Late by at most 0.7 s at 500 ppm: the extra correction is counted, not hidden.
  EXPECT_LT(c.overshoot(), 0.0);
  EXPECT_GE(c.overshoot(), -0.7 * 500e-6);
  EXPECT_NEAR(correction(c, kTick0 + 40 * kSecond), -0.010 + c.overshoot(), 1e-9);
}

TEST(DisciplinedClock, FrequencyIsAddedToTheOscillatorError) {
  // +20 ppm oscillator error, as the test knob injects it.
  const ClockModel fast = nominal().with_frequency(kTick0, 20'000);
  DisciplinedClock c(fast);
  EXPECT_NEAR(correction(c, kTick0 + kSecond), 20e-6, 1e-9);
  c.set_frequency(kTick0 + kSecond, -20e-6);
  EXPECT_NEAR(c.frequency(), -20e-6, 1e-18);
  EXPECT_NEAR(c.rate(), 0.0, 1e-15);
  EXPECT_NEAR(correction(c, kTick0 + 101 * kSecond), 20e-6, 1e-9);
  c.set_frequency(kTick0 + 101 * kSecond, 0.0);
  EXPECT_NEAR(correction(c, kTick0 + 201 * kSecond), 20e-6 + 100 * 20e-6, 1e-9);
}

TEST(DisciplinedClock, SlewRidesOnTopOfTheFrequency) {
  DisciplinedClock c(nominal());
  c.set_frequency(kTick0, 10e-6);
  c.slew(kTick0, 0.0005);  // 1 s
  c.advance(kTick0 + kSecond);
  EXPECT_NEAR(correction(c, kTick0 + 2 * kSecond), 0.0005 + 2 * 10e-6, 1e-9);
}

TEST(DisciplinedClock, ApplyDispatchesOnlyClockActions) {
  DisciplinedClock c(nominal());
  EXPECT_FALSE(c.apply(engine::SendRequest{}, kTick0));
  EXPECT_FALSE(c.apply(engine::Panic{1.0}, kTick0));
  EXPECT_TRUE(c.apply(engine::StepClock{-0.5}, kTick0));
  EXPECT_TRUE(c.apply(engine::SetFrequency{1e-6}, kTick0));
  EXPECT_TRUE(c.apply(engine::SlewClock{1e-4}, kTick0));
  EXPECT_NEAR(correction(c, kTick0), -0.5, 1e-9);
  EXPECT_NEAR(c.rate(), 501e-6, 1e-15);
}

TEST(DisciplinedClock, LeapInsertionStepsBackOneSecondAtMidnight) {
  DisciplinedClock c(nominal());
  c.schedule_leap(kTick0, {engine::LeapKind::kInsert, kMidnight, false});
  EXPECT_EQ(c.pending_leap(), engine::LeapKind::kInsert);
  const uint64_t midnight_tick = kTick0 + static_cast<uint64_t>(kMidnight - kUtc0);
  ASSERT_TRUE(c.next_event(kTick0).has_value());
  EXPECT_NEAR(static_cast<double>(*c.next_event(kTick0)), static_cast<double>(midnight_tick), 2);
  EXPECT_FALSE(c.advance(midnight_tick - 1000));
  EXPECT_EQ(c.model().utc_nanos(midnight_tick - 1000), kMidnight - 1000);
  // The control thread notices 300 ms late; the step still happens at midnight itself.
  EXPECT_TRUE(c.advance(midnight_tick + 300'000'000));
  EXPECT_EQ(c.leaps(), 1);
  EXPECT_EQ(c.pending_leap(), engine::LeapKind::kNone);
  EXPECT_NEAR(static_cast<double>(c.model().utc_nanos(midnight_tick) - kMidnight), -1e9, 1);
  EXPECT_NEAR(correction(c, midnight_tick + 5 * kSecond), -1.0, 1e-9);
  EXPECT_FALSE(c.advance(midnight_tick + 10 * kSecond));
  EXPECT_EQ(c.leaps(), 1);
}

TEST(DisciplinedClock, LeapDeletionStepsForward) {
  DisciplinedClock c(nominal());
  c.schedule_leap(kTick0, {engine::LeapKind::kDelete, kMidnight, false});
  const uint64_t after = kTick0 + static_cast<uint64_t>(kMidnight - kUtc0) + kSecond;
  c.advance(after);
  EXPECT_NEAR(correction(c, after), 1.0, 1e-9);
}

TEST(DisciplinedClock, CancelledLeapDoesNothing) {
  DisciplinedClock c(nominal());
  c.schedule_leap(kTick0, {engine::LeapKind::kInsert, kMidnight, false});
  c.schedule_leap(kTick0 + kSecond, {engine::LeapKind::kNone, 0, false});
  EXPECT_FALSE(c.next_event(kTick0 + kSecond).has_value());
  c.advance(kTick0 + 2 * 86400 * kSecond);
  EXPECT_EQ(c.leaps(), 0);
  EXPECT_NEAR(correction(c, kTick0 + 2 * 86400 * kSecond), 0.0, 1e-9);
}

TEST(DisciplinedClock, LeapSmearSpreadsTheSecondOverTheWindowMonotonically) {
  DisciplinedClock c(nominal());  // 24 h window: noon to noon
  c.schedule_leap(kTick0, {engine::LeapKind::kInsert, kMidnight, true});
  const uint64_t noon = kTick0 + 12 * 3600 * kSecond;
  const uint64_t midnight = kTick0 + 24 * 3600 * kSecond;
  const uint64_t next_noon = kTick0 + 36 * 3600 * kSecond;
  ASSERT_TRUE(c.next_event(kTick0).has_value());
  EXPECT_NEAR(static_cast<double>(*c.next_event(kTick0) - noon), 0.0, 2.0);
  UnixNanos last = c.model().utc_nanos(kTick0) - 1;
  for (uint64_t t = kTick0; t <= next_noon + 3600 * kSecond; t += 60 * kSecond) {
    const auto event = c.next_event(t);
    if (event && *event <= t) c.advance(t);
    const UnixNanos now = c.model().utc_nanos(t);
    ASSERT_GT(now, last);
    last = now;
    if (t == midnight) {
      EXPECT_TRUE(c.smearing());
      EXPECT_NEAR(correction(c, t), -0.5, 1e-6);
      EXPECT_NEAR(c.rate(), -1.0 / 86400, 1e-9);
    }
  }
  EXPECT_FALSE(c.smearing());
  EXPECT_EQ(c.leaps(), 1);
  EXPECT_EQ(c.steps(), 0);
  EXPECT_NEAR(correction(c, next_noon + 3600 * kSecond), -1.0, 1e-6);
  EXPECT_NEAR(c.rate(), 0.0, 1e-15);
}

TEST(DisciplinedClock, SmearAnnouncedInsideTheWindowUsesTheRestOfIt) {
  DisciplinedClock c(nominal());
  const uint64_t at = kTick0 + 18 * 3600 * kSecond;  // 18:00, six hours after the window opened
  c.schedule_leap(at, {engine::LeapKind::kDelete, kMidnight, true});
  EXPECT_TRUE(c.smearing());
  EXPECT_NEAR(c.rate(), 1.0 / (18 * 3600), 1e-12);
  const uint64_t end = kTick0 + 36 * 3600 * kSecond;
  c.advance(end);
  EXPECT_NEAR(correction(c, end + kSecond), 1.0, 1e-6);
}

// The kernel clamps frequency + slew at 500 ppm: with a -50 ppm correction a negative slew runs
// at 450 ppm, a positive one at the 500 ppm slew limit, and both end exactly (issue 13).
TEST(DisciplinedClock, TotalLimitSlowsTheSlewTowardTheFrequencyAndItLandsExactly) {
  DisciplinedClockConfig cfg;
  cfg.slew.total_limit = 500e-6;
  for (int sign : {-1, 1}) {
    SCOPED_TRACE(sign);
    DisciplinedClock c(nominal(), cfg);
    c.set_frequency(kTick0, -50e-6);
    const uint64_t at = kTick0 + kSecond;
    c.slew(at, sign * 0.009);
    const double rate = sign < 0 ? 450e-6 : 500e-6;
    EXPECT_NEAR(c.rate(), -50e-6 + sign * rate, 1e-12);
    EXPECT_GE(c.rate(), -500e-6);  // never more than the kernel takes
    const auto end = static_cast<uint64_t>(std::llround(0.009 / rate * kHz));
    ASSERT_TRUE(c.next_event(at));
    EXPECT_EQ(*c.next_event(at), at + end);
    c.advance(at + end);
    EXPECT_FALSE(c.slewing());
    // The frequency's own part over the slew plus exactly the slew.
    const double secs = static_cast<double>(end + kSecond) / kHz;
    EXPECT_NEAR(correction(c, at + end), sign * 0.009 - 50e-6 * secs, 2e-9);
  }
}

TEST(DisciplinedClock, FrequencyChangeMidSlewReplansTheRest) {
  DisciplinedClockConfig cfg;
  cfg.slew.total_limit = 500e-6;
  DisciplinedClock c(nominal(), cfg);
  const uint64_t at = kTick0 + kSecond;
  c.slew(at, -0.001);                      // 500 ppm: 2 s
  c.set_frequency(at + kSecond, -100e-6);  // 0.5 ms left, now at 400 ppm: 1.25 s
  EXPECT_NEAR(c.slew_remaining(at + kSecond), -0.0005, 1e-9);
  EXPECT_EQ(*c.next_event(at + kSecond), at + kSecond + 1'250'000'000);
}

}  // namespace
}  // namespace wiretime::clock

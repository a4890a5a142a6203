#include "control/engine/local_clock.hpp"

#include <gtest/gtest.h>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {
namespace {

ClockUpdate upd(double offset, double t, double freq = 0.0, bool freq_valid = false) {
  return ClockUpdate{offset, freq, freq_valid, t, std::nullopt};
}

TEST(LocalClock, FirstLargeOffsetStepsAtOnce) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  EXPECT_EQ(c.state(), ClockState::kNset);
  const auto cmd = c.update(upd(0.5, 0.0, 50e-6, true), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kStep);
  EXPECT_DOUBLE_EQ(cmd.step, 0.5);
  // The regression already has the frequency: no FREQ interval needed.
  EXPECT_EQ(c.state(), ClockState::kSync);
  EXPECT_DOUBLE_EQ(cmd.frequency, 50e-6);
}

TEST(LocalClock, StepWithoutFrequencyEntersFreq) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  EXPECT_EQ(c.update(upd(-0.2, 0.0), 6, 10).action, ClockAction::kStep);
  EXPECT_EQ(c.state(), ClockState::kFreq);
  EXPECT_FALSE(c.synchronized());
}

TEST(LocalClock, SmallOffsetSlewsAndFrequencyMakesSync) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  auto cmd = c.update(upd(0.001, 0.0), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kSlew);
  EXPECT_DOUBLE_EQ(cmd.slew, 0.001);
  EXPECT_EQ(c.state(), ClockState::kFreq);
  cmd = c.update(upd(1e-5, 64.0, 2e-6, true), 6, 10);
  EXPECT_EQ(c.state(), ClockState::kSync);
  EXPECT_DOUBLE_EQ(c.frequency(), 2e-6);
}

TEST(LocalClock, SpikeWaitsForStepoutThenSteps) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  c.update(upd(0.0, 0.0), 6, 10);
  c.update(upd(0.0, 64.0, 0.0, true), 6, 10);
  ASSERT_EQ(c.state(), ClockState::kSync);
  auto cmd = c.update(upd(0.2, 128.0), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kIgnore);
  EXPECT_EQ(c.state(), ClockState::kSpik);
  cmd = c.update(upd(0.2, 128.0 + kStepout - 1.0), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kIgnore);
  cmd = c.update(upd(0.2, 128.0 + kStepout), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kStep);
  EXPECT_EQ(c.state(), ClockState::kSync);
}

TEST(LocalClock, SpikeThatGoesAwayIsIgnored) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  c.update(upd(0.0, 0.0), 6, 10);
  c.update(upd(0.0, 64.0, 0.0, true), 6, 10);
  c.update(upd(0.3, 128.0), 6, 10);
  const auto cmd = c.update(upd(1e-5, 192.0), 6, 10);
  EXPECT_EQ(cmd.action, ClockAction::kSlew);
  EXPECT_EQ(c.state(), ClockState::kSync);
}

TEST(LocalClock, PanicAboveThousandSeconds) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  EXPECT_EQ(c.update(upd(1001.0, 0.0), 6, 10).action, ClockAction::kPanic);
  EXPECT_EQ(c.update(upd(-1001.0, 0.0), 6, 10).action, ClockAction::kPanic);
}

TEST(LocalClock, FrequencyClampedToMaxFreq) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, 0.0);  // FSET
  EXPECT_EQ(c.state(), ClockState::kFset);
  const auto cmd = c.update(upd(0.001, 0.0, 900e-6, true), 6, 10);
  EXPECT_DOUBLE_EQ(cmd.frequency, kMaxFreq);
  EXPECT_EQ(c.state(), ClockState::kSync);
}

TEST(LocalClock, PollScoreMovesTheExponentByItsWholePart) {
  LocalClock c(DisciplineMode::kRegression, 1e-7, std::nullopt);
  c.set_poll(6);
  int i = 0;
  auto update = [&](double score) {
    ClockUpdate u = upd(0.0, 64.0 * i++, 0.0, true);
    u.poll_score = score;
    c.update(u, 6, 10);
  };
  update(0.0);  // NSET -> FREQ, score 0
  update(0.4);
  update(0.4);
  EXPECT_EQ(c.poll(), 6);  // 0.8: not yet
  update(0.4);
  EXPECT_EQ(c.poll(), 7);  // 1.2: one up, 0.2 kept
  for (int k = 0; k < 20; ++k) update(0.9);
  EXPECT_EQ(c.poll(), 10);  // clamped at maxpoll
  update(-0.5);
  EXPECT_EQ(c.poll(), 10);  // at maxpoll the score restarts at 1: 0.5 left
  update(-0.6);
  EXPECT_EQ(c.poll(), 9);  // below 0: down one
  update(-3.0);
  EXPECT_EQ(c.poll(), 6);
  update(-2.0);
  EXPECT_EQ(c.poll(), 6);  // clamped at minpoll
}

TEST(LocalClock, RfcPollAdjustLengthensOnQuietOffsets) {
  LocalClock c(DisciplineMode::kRfcPllFll, 1e-7, 0.0);
  c.set_poll(6);
  for (int i = 0; i < 40; ++i) c.update(upd(0.0, 64.0 * i), 6, 10);
  EXPECT_GT(c.poll(), 6);  // offsets within PGATE jitters: the RFC counter lengthens the poll
}

TEST(LocalClock, RfcModeAmortizesPhaseInClockAdjust) {
  LocalClock c(DisciplineMode::kRfcPllFll, 1e-7, 0.0);
  c.set_poll(4);
  const auto cmd = c.update(upd(1e-3, 0.0), 4, 4);
  EXPECT_EQ(cmd.action, ClockAction::kSlew);
  EXPECT_DOUBLE_EQ(cmd.slew, 0.0);  // the RFC mode slews through clock_adjust
  const auto adj = c.adjust();
  EXPECT_EQ(adj.action, ClockAction::kSlew);
  EXPECT_NEAR(adj.slew, 1e-3 / (kPllGain * 16.0), 1e-12);
  c.update(upd(1e-3, 16.0), 4, 4);
  EXPECT_GT(c.frequency(), 0.0);  // the PLL integrates a persistent positive offset
}

}  // namespace
}  // namespace wiretime::engine

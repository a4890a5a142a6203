// The two discipline families behind one interface: what each does differently, and that the
// shared policy in LocalClock (step threshold, panic, spike) treats them alike.
#include "control/engine/discipline.hpp"

#include <gtest/gtest.h>

#include "control/engine/local_clock.hpp"
#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {
namespace {

ClockUpdate upd(double offset, double t, double freq = 0.0, bool valid = false) {
  return ClockUpdate{offset, freq, valid, t, std::nullopt};
}

TEST(Discipline, OneInstancePerFamily) {
  EXPECT_EQ(discipline_for(DisciplineMode::kRfcPllFll).mode(), DisciplineMode::kRfcPllFll);
  EXPECT_EQ(discipline_for(DisciplineMode::kRegression).mode(), DisciplineMode::kRegression);
  EXPECT_TRUE(discipline_for(DisciplineMode::kRfcPllFll).needs_adjust_timer());
  EXPECT_FALSE(discipline_for(DisciplineMode::kRegression).needs_adjust_timer());
}

TEST(Discipline, ReexpressionRules) {
  ClockCommand slew;
  slew.action = ClockAction::kSlew;
  slew.frequency_delta = 1e-7;
  ClockCommand step = slew;
  step.action = ClockAction::kStep;
  double f = -1.0;
  const Discipline& rfc = discipline_for(DisciplineMode::kRfcPllFll);
  EXPECT_FALSE(rfc.reexpress(slew, f));  // ntpd's filter keeps its samples through slews
  EXPECT_TRUE(rfc.reexpress(step, f));
  EXPECT_EQ(f, 0.0);
  const Discipline& reg = discipline_for(DisciplineMode::kRegression);
  EXPECT_TRUE(reg.reexpress(slew, f));
  EXPECT_EQ(f, 1e-7);
}

TEST(Discipline, RfcHoldsTheStepInFreqUntilTheStepout) {
  // Both start in NSET; a small first offset: the RFC family only records it (FREQ), the
  // regression slews it at once.
  LocalClock rfc(DisciplineMode::kRfcPllFll, 1e-7, std::nullopt);
  LocalClock reg(DisciplineMode::kRegression, 1e-7, std::nullopt);
  EXPECT_EQ(rfc.update(upd(1e-3, 0.0), 6, 10).action, ClockAction::kIgnore);
  EXPECT_EQ(rfc.state(), ClockState::kFreq);
  const ClockCommand c = reg.update(upd(1e-3, 0.0, 2e-6, true), 6, 10);
  EXPECT_EQ(c.action, ClockAction::kSlew);
  EXPECT_DOUBLE_EQ(c.slew, 1e-3);
  EXPECT_EQ(reg.state(), ClockState::kSync);  // the regression brought a frequency
  // A step-sized offset in FREQ: the RFC waits out the stepout, then steps with the drift.
  EXPECT_EQ(rfc.update(upd(0.2, 100.0), 6, 10).action, ClockAction::kIgnore);
  const ClockCommand s = rfc.update(upd(0.2, kStepout + 1.0), 6, 10);
  EXPECT_EQ(s.action, ClockAction::kStep);
  EXPECT_NEAR(s.frequency, (0.2 - 1e-3) / (kStepout + 1.0), 1e-9);
}

TEST(Discipline, SharedPolicyPanicAndSpikeAlikeForBothFamilies) {
  for (DisciplineMode m : {DisciplineMode::kRfcPllFll, DisciplineMode::kRegression}) {
    LocalClock c(m, 1e-7, 0.0);  // FSET
    EXPECT_EQ(c.update(upd(kPanicThreshold * 1.5, 0.0), 6, 10).action, ClockAction::kPanic);
    EXPECT_EQ(c.update(upd(1e-4, 0.0, 0.0, true), 6, 10).action, ClockAction::kSlew);
    EXPECT_EQ(c.state(), ClockState::kSync);
    // One large offset while in sync is a spike: held for the stepout, then stepped.
    EXPECT_EQ(c.update(upd(0.5, 64.0), 6, 10).action, ClockAction::kIgnore);
    EXPECT_EQ(c.state(), ClockState::kSpik);
    EXPECT_EQ(c.update(upd(0.5, 64.0 + kStepout + 1.0), 6, 10).action, ClockAction::kStep);
    EXPECT_EQ(c.state(), ClockState::kSync);
    EXPECT_EQ(c.poll(), 6);  // a step restarts the poll at minpoll
  }
}

}  // namespace
}  // namespace wiretime::engine

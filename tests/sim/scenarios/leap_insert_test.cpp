// The server announces a leap second during 2026-06-30; UTC repeats a second at midnight.
// The client arms the insertion from the majority of its survivors and steps back by one
// second at its own midnight, so the error stays at microseconds on both sides.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimLeapInsert, SteppedAtMidnight) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 11, 90000.0);
  s.warmup = 3600.0;
  s.duration = 100000.0;
  // utc_start is 2026-06-30T00:00:00Z, so midnight is 86400 s in.
  constexpr double kLeap = 86400.0;
  s.leap_insert_at = kLeap;
  s.servers.at(0).leap = wire::LeapIndicator::kInsertSecond;
  s.servers.at(0).leap_at = kLeap;
  double before = 0.0;
  double after = 0.0;
  s.observer = [&](double t, double e) {
    if (t > 3600.0 && t < kLeap) before = std::max(before, std::abs(e));
    if (t > kLeap) after = std::max(after, std::abs(e));
  };
  const auto r = run(s);
  EXPECT_LT(before, 15e-6);
  EXPECT_LT(after, 15e-6);
  EXPECT_EQ(r.leaps, 1);
  EXPECT_EQ(r.steps, 0);  // the clock starts on time: no discipline step
  EXPECT_EQ(r.system.leap, wire::LeapIndicator::kNoWarning);
}

}  // namespace
}  // namespace wiretime::sim

#include "control/engine/leap.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

constexpr UnixNanos kSec = 1'000'000'000;
constexpr UnixNanos k20260630 = 1'782'777'600 * kSec;  // 2026-06-30T00:00:00Z

TEST(Leap, MajorityVote) {
  using LI = wire::LeapIndicator;
  EXPECT_EQ(leap_vote(std::vector{LI::kInsertSecond, LI::kInsertSecond, LI::kNoWarning}),
            LeapKind::kInsert);
  EXPECT_EQ(leap_vote(std::vector{LI::kInsertSecond, LI::kNoWarning}), LeapKind::kNone);
  EXPECT_EQ(leap_vote(std::vector{LI::kDeleteSecond}), LeapKind::kDelete);
  EXPECT_EQ(leap_vote(std::vector<LI>{}), LeapKind::kNone);
}

TEST(Leap, NextMidnightAndMonthEnd) {
  EXPECT_EQ(next_utc_midnight(k20260630 + 5 * kSec), k20260630 + 86400 * kSec);
  EXPECT_EQ(next_utc_midnight(k20260630), k20260630 + 86400 * kSec);
  EXPECT_TRUE(ends_month(k20260630 + 3600 * kSec));
  EXPECT_FALSE(ends_month(k20260630 - 3600 * kSec));      // 2026-06-29
  EXPECT_TRUE(ends_month(1'798'761'600 * kSec - kSec));   // 2026-12-31T23:59:59Z
  EXPECT_FALSE(ends_month(1'798'675'200 * kSec - kSec));  // 2026-12-30T23:59:59Z
}

}  // namespace
}  // namespace wiretime::engine

#include "control/engine/clock_select.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

Candidate cand(int id, double offset, double distance) {
  Candidate c;
  c.id = id;
  c.offset = offset;
  c.distance = distance;
  return c;
}

TEST(ClockSelect, FalsetickerOutsideMajorityIntersection) {
  const std::vector<Candidate> c{cand(0, 0.000, 0.001), cand(1, 0.0005, 0.001),
                                 cand(2, 0.010, 0.001)};
  const auto r = clock_select(c);
  ASSERT_TRUE(r.majority);
  EXPECT_TRUE(r.truechimer[0]);
  EXPECT_TRUE(r.truechimer[1]);
  EXPECT_FALSE(r.truechimer[2]);
  EXPECT_EQ(r.allowed_falsetickers, 1);
  EXPECT_LE(r.low, 0.0);
  EXPECT_GE(r.high, 0.0005);
}

TEST(ClockSelect, AllAgreeNoFalsetickers) {
  const std::vector<Candidate> c{cand(0, 0.0, 0.01), cand(1, 0.001, 0.01), cand(2, -0.001, 0.01)};
  const auto r = clock_select(c);
  ASSERT_TRUE(r.majority);
  EXPECT_EQ(r.allowed_falsetickers, 0);
  for (bool t : r.truechimer) EXPECT_TRUE(t);
}

TEST(ClockSelect, NoMajorityWhenTwoDisagree) {
  const std::vector<Candidate> c{cand(0, 0.0, 0.001), cand(1, 0.1, 0.001)};
  EXPECT_FALSE(clock_select(c).majority);
}

TEST(ClockSelect, SingleSourceIsItsOwnMajority) {
  const std::vector<Candidate> c{cand(0, 0.3, 0.001)};
  const auto r = clock_select(c);
  ASSERT_TRUE(r.majority);
  EXPECT_TRUE(r.truechimer[0]);
}

}  // namespace
}  // namespace wiretime::engine

#include "control/engine/clock_select.hpp"

#include <gtest/gtest.h>

#include "control/engine/prng.hpp"

namespace wiretime::engine {
namespace {

Candidate cand(int id, double offset, double root_distance) {
  Candidate c;
  c.id = id;
  c.offset = offset;
  c.root_distance = root_distance;
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

namespace wiretime::engine {
namespace {

// Randomised: a strict majority of truechimers clustered near zero, falsetickers scattered
// far away with narrow intervals. Every falseticker must be flagged, every truechimer kept.
TEST(ClockSelect, RandomisedMajorityAlwaysFound) {
  const uint64_t seed = 20260630;
  SCOPED_TRACE(testing::Message() << "seed " << seed);
  Prng prng(seed);
  for (int round = 0; round < 500; ++round) {
    const int n = 3 + static_cast<int>(prng.next() % 8);
    const int false_count = (n - 1) / 2 > 0 ? static_cast<int>(prng.next() % ((n - 1) / 2 + 1)) : 0;
    std::vector<Candidate> c;
    for (int i = 0; i < n; ++i) {
      const bool liar = i < false_count;
      const double offset = liar ? (prng.uniform() < 0.5 ? -1.0 : 1.0) * (0.05 + prng.uniform())
                                 : (prng.uniform() - 0.5) * 1e-4;
      c.push_back(cand(i, offset, liar ? 1e-3 : 1e-3 + prng.uniform() * 1e-3));
    }
    const auto r = clock_select(c);
    ASSERT_TRUE(r.majority) << "round " << round;
    for (int i = 0; i < n; ++i) EXPECT_EQ(r.truechimer[i], i >= false_count) << "round " << round;
  }
}

}  // namespace
}  // namespace wiretime::engine

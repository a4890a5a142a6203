// `burst`: while the server is reachable every poll is eight packets two seconds apart.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimBurst, EightPacketsPerPollTwoSecondsApart) {
  Scenario s = anchor_s1_lan(AnchorPoll::kDefault, 17, 20000.0);
  s.association.burst = true;
  const auto r = run(s);
  const auto& t = r.polls.at(0).request_times;
  // First poll: unreachable, no iburst -> one packet. Then bursts of 8.
  ASSERT_GE(t.size(), 1u + 8u * 10u);
  EXPECT_GT(t[1] - t[0], 60.0);
  for (size_t burst = 0; burst < 10; ++burst) {
    const size_t base = 1 + 8 * burst;
    for (size_t i = 1; i < 8; ++i) EXPECT_NEAR(t[base + i] - t[base + i - 1], 2.0, 0.01);
    EXPECT_GT(t[base + 8] - t[base + 7], 40.0);
  }
  EXPECT_TRUE(r.system.synchronized);
  EXPECT_LT(r.rms, 10e-6);
}

}  // namespace
}  // namespace wiretime::sim

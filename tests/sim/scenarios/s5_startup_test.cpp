// anchors.md S5: the client starts 0.5 s off with iburst and default polling. It must be
// within 1 ms in under 11 s and stay there.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimS5Startup, WithinOneMillisecondBeforeElevenSecondsAndStays) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(seed);
    const auto r = run(anchor_s5_startup(seed, 86400.0));
    EXPECT_GE(r.converge_1ms, 0.0);
    EXPECT_LT(r.converge_1ms, 11.0);
    EXPECT_LT(r.max_abs, 1e-3);  // from 11 s to the end of the day
    // Issue 13's tighter figure: within 100 us to stay, chrony 11 s. Seed 2 drifted to 124 us
    // after its first 64 s poll while the regression trusted its iburst samples too much.
    EXPECT_GE(r.converge_100us, 0.0);
    EXPECT_LT(r.converge_100us, 11.0);
    EXPECT_EQ(r.steps, 1);  // 0.5 s is above the 128 ms step threshold: one step, no more
    EXPECT_TRUE(r.system.synchronized);
    // iburst: six requests two seconds apart at start-up.
    const auto& times = r.polls.at(0).request_times;
    ASSERT_GE(times.size(), 7u);
    for (size_t i = 1; i < 6; ++i) EXPECT_NEAR(times[i] - times[i - 1], 2.0, 0.01);
    EXPECT_GT(times[6] - times[5], 50.0);
  }
}

}  // namespace
}  // namespace wiretime::sim

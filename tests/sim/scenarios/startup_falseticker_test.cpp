// Issue 13 item 5: at start-up with several servers the first clock update waits for a
// majority of them, so a falseticker that answers first never moves the clock.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

Scenario falseticker_first(uint64_t seed) {
  Scenario s = anchor_s4_falseticker(AnchorPoll::kDefault, seed, 0.0);
  s.association.iburst = true;
  s.duration = 600.0;
  s.warmup = 0.0;
  // The falseticker (+10 ms) answers at once; the truechimers take 40 ms to answer (their
  // processing time: the round trip, and so their correctness interval, stays LAN-sized).
  for (int i = 0; i < 2; ++i) s.servers[i].processing = 40e-3;
  return s;
}

TEST(SimStartupFalseticker, FirstAnsweringFalsetickerNeverMovesTheClock) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(seed);
    Scenario s = falseticker_first(seed);
    double worst = 0.0;
    s.observer = [&](double t, double error) {
      worst = std::max(worst, std::abs(error));
      (void)t;
    };
    const auto r = run(s);
    EXPECT_LT(worst, 1e-3);  // never slewed toward the +10 ms falseticker
    EXPECT_TRUE(r.system.synchronized);
    EXPECT_EQ(r.associations.at(2).selection, engine::SelectionStatus::kFalseticker);
    EXPECT_EQ(r.selected_fraction.size(), 3u);
  }
}

TEST(SimStartupFalseticker, TwoSilentServersTimeOutAndTheOneLeftIsUsed) {
  // A majority that cannot answer only delays the first update by the start-up bound.
  Scenario s = falseticker_first(1);
  s.servers[2].offset = 0.0;
  s.servers[0].outages.push_back({0.0, 1e9});
  s.servers[1].outages.push_back({0.0, 1e9});
  double first_good = -1.0;
  s.initial_offset = 0.05;
  s.observer = [&](double t, double error) {
    if (first_good < 0.0 && std::abs(error) < 1e-3) first_good = t;
  };
  const auto r = run(s);
  EXPECT_TRUE(r.system.synchronized);
  EXPECT_GT(first_good, 0.0);
  // Without the bound the majority never comes and the clock is never set.
  EXPECT_LT(first_good, 300.0);
}

}  // namespace
}  // namespace wiretime::sim

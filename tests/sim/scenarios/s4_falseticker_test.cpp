// anchors.md S4: three servers, one 10 ms off. The falseticker must never be used.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

void expect_rejected(const SimResult& r) {
  ASSERT_EQ(r.selected_fraction.size(), 3u);
  EXPECT_EQ(r.selected_fraction[2], 0.0);
  EXPECT_GT(r.selected_fraction[0] + r.selected_fraction[1], 1.9);
  EXPECT_EQ(r.associations.at(2).selection, engine::SelectionStatus::kFalseticker);
}

TEST(SimS4Falseticker, Poll16sRejectedAlways) {
  const auto r = run(anchor_s4_falseticker(AnchorPoll::k16s, 1, 86400.0));
  expect_rejected(r);
  EXPECT_LT(r.rms, 2.5e-6);
}

TEST(SimS4Falseticker, DefaultPollRejectedAlways) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE(seed);
    const Scenario s = anchor_s4_falseticker(AnchorPoll::kDefault, seed, 86400.0);
    const auto r = run(s);
    expect_rejected(r);
    EXPECT_LT(r.rms, 25e-6);  // chrony 25 us; ntpd follows the falseticker
    // No more requests per server than chrony sends one server in S1 (~301 a day).
    for (size_t i = 0; i < 3; ++i) EXPECT_LT(requests_per_day(s, r, i), 301.0) << i;
  }
}

}  // namespace
}  // namespace wiretime::sim

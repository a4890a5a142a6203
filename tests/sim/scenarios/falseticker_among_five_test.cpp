// Five servers, one 3 ms off: the intersection must single it out every time.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimFalsetickerAmongFive, AlwaysRejected) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 7, 43200.0);
  const ServerSpec good = s.servers.at(0);
  s.servers.clear();
  for (int i = 0; i < 5; ++i) s.servers.push_back(good);
  s.servers[3].offset = -3e-3;
  const auto r = run(s);
  ASSERT_EQ(r.selected_fraction.size(), 5u);
  EXPECT_EQ(r.selected_fraction[3], 0.0);
  for (int i : {0, 1, 2, 4}) EXPECT_GT(r.selected_fraction[i], 0.9) << i;
  EXPECT_EQ(r.associations.at(3).selection, engine::SelectionStatus::kFalseticker);
  EXPECT_LT(r.rms, 2.0e-6);
}

}  // namespace
}  // namespace wiretime::sim

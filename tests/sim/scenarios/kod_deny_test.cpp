// One of two servers starts denying service: the client stops polling it, shows why, and
// keeps time from the other.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimKodDeny, StopsPollingDeniedServer) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 9, 20000.0);
  s.servers.push_back(s.servers.at(0));
  s.servers.at(1).kiss = KissMode::kDeny;
  s.servers.at(1).kiss_from = 3000.0;
  const auto r = run(s);
  EXPECT_EQ(r.server_kisses.at(1), 1u);
  const auto& times = r.polls.at(1).request_times;
  ASSERT_FALSE(times.empty());
  EXPECT_LT(times.back(), 3000.0 + 17.0);
  const auto& st = r.associations.at(1);
  EXPECT_EQ(st.selection, engine::SelectionStatus::kKissDenied);
  EXPECT_EQ(st.kiss, wire::KissCode::kDeny);
  EXPECT_EQ(r.associations.at(0).selection, engine::SelectionStatus::kSystemPeer);
  EXPECT_TRUE(r.system.synchronized);
  EXPECT_LT(r.rms, 2.5e-6);
}

}  // namespace
}  // namespace wiretime::sim

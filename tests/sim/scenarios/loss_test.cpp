// 30 % loss in each direction (about half of the exchanges fail), 16 s polling.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimLoss, ThirtyPercentEachWay) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 13, 43200.0);
  s.servers.at(0).up.loss = 0.3;
  s.servers.at(0).down.loss = 0.3;
  s.servers.at(0).down.duplicate = 0.05;
  s.servers.at(0).down.reorder = 0.05;
  const auto r = run(s);
  EXPECT_LT(r.rms, 3.0e-6);
  EXPECT_TRUE(r.system.synchronized);
  const auto& st = r.associations.at(0);
  // Duplicates are caught by the on-wire duplicate/unexpected checks, never used twice.
  const auto dup = st.on_wire[static_cast<size_t>(engine::OnWireReason::kDuplicate)] +
                   st.on_wire[static_cast<size_t>(engine::OnWireReason::kUnexpected)];
  EXPECT_GT(dup, 0u);
  EXPECT_EQ(st.accepted + dup + st.on_wire[static_cast<size_t>(engine::OnWireReason::kBogus)],
            st.received);
  EXPECT_NEAR(static_cast<double>(st.accepted) / static_cast<double>(st.sent), 0.49, 0.03);
}

}  // namespace
}  // namespace wiretime::sim

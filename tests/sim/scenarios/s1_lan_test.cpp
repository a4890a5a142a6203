// anchors.md S1: LAN, 100 us + exp(10 us) per direction, one perfect server, 16 s polling.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimS1Lan, Poll16sRmsBelowChronyAndNtpd) {
  const auto r = run(anchor_s1_lan(AnchorPoll::k16s, 1, 86400.0));
  RecordProperty("rms_us", std::to_string(r.rms * 1e6));
  EXPECT_LT(r.rms, 2.5e-6);
  EXPECT_LT(r.max_abs, 15e-6);
  EXPECT_EQ(r.panics, 0);
}

}  // namespace
}  // namespace wiretime::sim

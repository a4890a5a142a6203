// anchors.md S1: LAN, 100 us + exp(10 us) per direction, one perfect server.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimS1Lan, Poll16sBeatsChronyAndNtpd) {
  const auto r = run(anchor_s1_lan(AnchorPoll::k16s, 1, 86400.0));
  EXPECT_LT(r.rms, 2.5e-6);  // chrony 2.65 us, ntpd 2.50 us
  EXPECT_LT(r.max_abs, 12.8e-6);
  EXPECT_LT(std::abs(r.mean), 0.5e-6);
  EXPECT_EQ(r.panics, 0);
  EXPECT_TRUE(r.system.synchronized);
  EXPECT_EQ(r.system.stratum, 2);
}

TEST(SimS1Lan, DefaultPollBeatsChrony) {
  const auto r = run(anchor_s1_lan(AnchorPoll::kDefault, 1, 86400.0));
  EXPECT_LT(r.rms, 21e-6);  // chrony 21 us, ntpd 200 us
  EXPECT_GE(r.associations.at(0).current_poll, 64.0);
  EXPECT_LE(r.associations.at(0).current_poll, 1024.0);
}

}  // namespace
}  // namespace wiretime::sim

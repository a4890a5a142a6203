// anchors.md S2: WAN, 10 ms + exp(1 ms) per direction, default polling.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimS2Wan, DefaultPollBeatsNtpd) {
  const auto r = run(anchor_s2_wan(AnchorPoll::kDefault, 1, 86400.0));
  EXPECT_LT(r.rms, 423e-6);  // chrony 498 us, ntpd 423 us
  EXPECT_LT(r.max_abs, 2e-3);
  EXPECT_TRUE(r.system.synchronized);
}

}  // namespace
}  // namespace wiretime::sim

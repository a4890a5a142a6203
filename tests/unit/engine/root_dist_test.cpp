#include "control/engine/root_dist.hpp"

#include <gtest/gtest.h>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {
namespace {

TEST(RootDist, RfcFormula) {
  PeerDistance p{0.010, 0.002, 0.004, 0.001, 0.0005, 100.0};
  EXPECT_DOUBLE_EQ(root_dist(p), 0.014 / 2 + 0.002 + 0.001 + kPhi * 100.0 + 0.0005);
  PeerDistance small{0.0, 0.0, 0.0002, 0.0, 0.0, 0.0};
  EXPECT_DOUBLE_EQ(root_dist(small), kMinDisp / 2);  // delay floored at MINDISP
}

}  // namespace
}  // namespace wiretime::engine

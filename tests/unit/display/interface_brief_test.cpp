#include "config/display/interface_brief.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

TEST(InterfaceBrief, CeLayout) {
  const std::vector<InterfaceBrief> rows = {
      {"40GE1/0/1:1(10GE)", LinkState::kUp, LinkState::kUp, 18.83, 15.55, 0, 0},
      {"40GE1/0/1:3(10GE)", LinkState::kUp, LinkState::kUp, 15.94, 15.29, 80, 0},
      {"100GE1/0/2.100", LinkState::kAdminDown, LinkState::kDown, std::nullopt, std::nullopt, 0,
       1234567},
  };
  EXPECT_EQ(render_interface_brief(rows),
            "PHY: Physical\n"
            "*down: administratively down\n"
            "^down: standby\n"
            "(l): loopback\n"
            "(s): spoofing\n"
            "(b): BFD down\n"
            "(e): ETHOAM down\n"
            "(d): Dampening Suppressed\n"
            "(p): port alarm down\n"
            "(dl): DLDP down\n"
            "(c): CFM down\n"
            "InUti/OutUti: input utility rate/output utility rate\n"
            "Interface                  PHY      Protocol  InUti OutUti   inErrors  outErrors\n"
            "40GE1/0/1:1(10GE)          up       up       18.83% 15.55%          0          0\n"
            "40GE1/0/1:3(10GE)          up       up       15.94% 15.29%         80          0\n"
            "100GE1/0/2.100             *down    down         --     --          0    1234567\n");
}

}  // namespace
}  // namespace wiretime::display

#include "dataplane/l3/routing_table.hpp"

#include <gtest/gtest.h>

#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::l3 {
namespace {

using test::prefix;
using test::v4;
using test::v6;

const wire::MacAddress kMac{{0x02, 0, 0, 0, 0, 0x10}};

// Two VRFs with the same subnet 198.18.1.0/24 (and the same server address behind it).
struct Lab {
  InterfaceTable interfaces;
  RoutingTable routes;
  std::string error;
  explicit Lab(std::vector<StaticRouteSpec> statics = {}) {
    std::vector<InterfaceSpec> spec{
        {"GE1/0/1",
         "",
         kNoVlan,
         "",
         std::nullopt,
         {prefix(v4(198, 18, 0, 2), 24), prefix(v6(0, 2), 64)}},
        {"GE1/0/2", "", kNoVlan, "red", std::nullopt, {prefix(v4(198, 18, 1, 2), 24)}},
        {"GE1/0/3", "", kNoVlan, "blue", std::nullopt, {prefix(v4(198, 18, 1, 2), 24)}},
        {"GE1/0/3.7", "GE1/0/3", 7, "blue", std::nullopt, {prefix(v4(198, 19, 7, 2), 28)}},
    };
    error = interfaces.build(spec, {kMac, kMac, kMac});
    if (error.empty()) error = routes.build(interfaces, statics);
  }
  VrfId vrf(const std::string& name) const { return *interfaces.vrf_id(name); }
};

TEST(RoutingTable, ConnectedRoutesResolveOnLink) {
  Lab lab;
  ASSERT_EQ(lab.error, "");
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(198, 18, 0, 1)), (NextHop{0, v4(198, 18, 0, 1)}));
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v6(0, 1)), (NextHop{0, v6(0, 1)}));
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(8, 8, 8, 8)), std::nullopt);
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v6(1, 1)), std::nullopt);
}

TEST(RoutingTable, VrfsAreIsolatedAndMayOverlap) {
  Lab lab;
  ASSERT_EQ(lab.error, "");
  // The same server address in two VRFs leaves through each VRF's own interface.
  EXPECT_EQ(lab.routes.lookup(lab.vrf("red"), v4(198, 18, 1, 1)), (NextHop{1, v4(198, 18, 1, 1)}));
  EXPECT_EQ(lab.routes.lookup(lab.vrf("blue"), v4(198, 18, 1, 1)), (NextHop{2, v4(198, 18, 1, 1)}));
  // Neither sees the public network, nor the other's sub-interface.
  EXPECT_EQ(lab.routes.lookup(lab.vrf("red"), v4(198, 18, 0, 1)), std::nullopt);
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(198, 18, 1, 1)), std::nullopt);
  EXPECT_EQ(lab.routes.lookup(lab.vrf("red"), v4(198, 19, 7, 1)), std::nullopt);
  EXPECT_EQ(lab.routes.lookup(lab.vrf("blue"), v4(198, 19, 7, 1)), (NextHop{3, v4(198, 19, 7, 1)}));
}

TEST(RoutingTable, LongestPrefixWinsAndStaticRoutesUseTheirGateway) {
  Lab lab({{"", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 0, 254), ""},
           {"", prefix(v4(203, 0, 113, 0), 24), v4(198, 18, 0, 253), ""},
           {"", prefix(v4(203, 0, 113, 128), 25), v4(198, 18, 0, 252), "GE1/0/1"},
           {"red", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 1, 254), ""},
           {"", prefix(v6(0, 0), 0), v6(0, 0xfe), ""}});
  ASSERT_EQ(lab.error, "");
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(8, 8, 8, 8)), (NextHop{0, v4(198, 18, 0, 254)}));
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(203, 0, 113, 5)), (NextHop{0, v4(198, 18, 0, 253)}));
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(203, 0, 113, 200)),
            (NextHop{0, v4(198, 18, 0, 252)}));
  // Connected beats the default route.
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v4(198, 18, 0, 9)), (NextHop{0, v4(198, 18, 0, 9)}));
  EXPECT_EQ(lab.routes.lookup(lab.vrf("red"), v4(8, 8, 8, 8)), (NextHop{1, v4(198, 18, 1, 254)}));
  EXPECT_EQ(lab.routes.lookup(lab.vrf("blue"), v4(8, 8, 8, 8)), std::nullopt);
  EXPECT_EQ(lab.routes.lookup(kDefaultVrf, v6(9, 9)), (NextHop{0, v6(0, 0xfe)}));
}

TEST(RoutingTable, RejectsUnreachableOrForeignNextHops) {
  EXPECT_NE(
      Lab({{"", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 1, 254), ""}}).error.find("not on-link"),
      std::string::npos);  // on-link only in another VRF
  EXPECT_NE(Lab({{"green", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 0, 1), ""}}).error.find("green"),
            std::string::npos);
  EXPECT_NE(Lab({{"", prefix(v4(0, 0, 0, 0), 0), v6(0, 1), ""}}).error.find("family"),
            std::string::npos);
  EXPECT_NE(Lab({{"", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 0, 2), ""}}).error.find("own"),
            std::string::npos);
  EXPECT_NE(Lab({{"", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 0, 1), "GE1/0/2"}})
                .error.find("another vpn-instance"),
            std::string::npos);
}

}  // namespace
}  // namespace wiretime::l3

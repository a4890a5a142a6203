#include "dataplane/l3/interface_table.hpp"

#include <gtest/gtest.h>

#include "dataplane/wire/neighbor_discovery.hpp"
#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::l3 {
namespace {

using test::prefix;
using test::v4;
using test::v6;

const wire::MacAddress kMac0{{0x02, 0, 0, 0, 0, 0x10}};
const wire::MacAddress kMac1{{0x02, 0, 0, 0, 0, 0x11}};

std::vector<InterfaceSpec> lab() {
  return {
      {"GE1/0/1",
       "",
       kNoVlan,
       "",
       std::nullopt,
       {prefix(v4(198, 18, 0, 2), 24), prefix(v6(0, 2), 64)}},
      {"GE1/0/1.100", "GE1/0/1", 100, "red", std::nullopt, {prefix(v4(198, 18, 1, 2), 24)}},
      {"GE1/0/2",
       "",
       kNoVlan,
       "blue",
       wire::MacAddress{{0x02, 0, 0, 0, 0, 0x99}},
       {prefix(v4(198, 18, 1, 2), 24)}},
  };
}

TEST(InterfaceTable, ResolvesPortsVlansVrfsAndMacs) {
  InterfaceTable t;
  ASSERT_EQ(t.build(lab(), {kMac0, kMac1}), "");
  ASSERT_EQ(t.all().size(), 3u);
  EXPECT_EQ(t.port_count(), 2u);
  const Interface* sub = t.find_by_name("GE1/0/1.100");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->port, 0);
  EXPECT_EQ(sub->vlan, 100);
  EXPECT_EQ(sub->mac, kMac0);  // inherits the parent's MAC
  EXPECT_EQ(t.vrf_name(sub->vrf), "red");
  const Interface* ge2 = t.find_by_name("GE1/0/2");
  EXPECT_EQ(ge2->port, 1);
  EXPECT_EQ(ge2->mac, (wire::MacAddress{{0x02, 0, 0, 0, 0, 0x99}}));  // override
  EXPECT_NE(ge2->vrf, sub->vrf);
  EXPECT_EQ(t.find(0)->vrf, kDefaultVrf);
  EXPECT_EQ(t.find_by_port_vlan(0, 100), sub);
  EXPECT_EQ(t.find_by_port_vlan(0, kNoVlan), t.find(0));
  EXPECT_EQ(t.find_by_port_vlan(0, 200), nullptr);
  EXPECT_EQ(t.ports(), (std::vector<InterfaceIndex>{0, 2}));
}

TEST(InterfaceTable, OwnsAddressesAndJoinsSolicitedNodeGroups) {
  InterfaceTable t;
  ASSERT_EQ(t.build(lab(), {kMac0, kMac1}), "");
  const Interface& ge1 = *t.find(0);
  EXPECT_TRUE(ge1.owns(v4(198, 18, 0, 2)));
  EXPECT_FALSE(ge1.owns(v4(198, 18, 0, 1)));
  EXPECT_TRUE(ge1.owns(v6(0, 2)));
  EXPECT_TRUE(ge1.owns(wire::IpAddress::from(wire::link_local_from_mac(kMac0))));
  EXPECT_TRUE(ge1.joined(wire::solicited_node_multicast(v6(0, 2).v6)));
  EXPECT_TRUE(ge1.joined(wire::kAllNodesMulticast));
  EXPECT_FALSE(ge1.joined(wire::solicited_node_multicast(v6(0, 3).v6)));
  EXPECT_FALSE(t.find(1)->joined(wire::kAllNodesMulticast));  // IPv4 only
  EXPECT_EQ(ge1.source_for(v6(0, 1)), v6(0, 2));
  EXPECT_EQ(ge1.source_for(v4(9, 9, 9, 9)), v4(198, 18, 0, 2));
  EXPECT_EQ(t.find(1)->source_for(v6(0, 1)), std::nullopt);
}

TEST(InterfaceTable, RejectsInconsistentSpecs) {
  InterfaceTable t;
  auto spec = lab();
  spec[1].parent = "GE9/9/9";
  EXPECT_NE(t.build(spec, {kMac0, kMac1}).find("not an interface"), std::string::npos);
  spec = lab();
  spec[1].vlan = kNoVlan;
  EXPECT_NE(t.build(spec, {kMac0, kMac1}).find("needs a VLAN"), std::string::npos);
  spec = lab();
  spec[2].name = "GE1/0/1";
  EXPECT_NE(t.build(spec, {kMac0, kMac1}).find("used twice"), std::string::npos);
  spec = lab();
  spec.push_back({"GE1/0/1.101", "GE1/0/1", 100, "", std::nullopt, {}});
  EXPECT_NE(t.build(spec, {kMac0, kMac1}).find("already belong"), std::string::npos);
  spec = lab();
  spec[1].parent = "GE1/0/1.100";
  spec.push_back({"x", "GE1/0/1.100", 7, "", std::nullopt, {}});
  EXPECT_NE(t.build(spec, {kMac0, kMac1}), "");
  EXPECT_NE(t.build(lab(), {kMac0}), "");
}

}  // namespace
}  // namespace wiretime::l3

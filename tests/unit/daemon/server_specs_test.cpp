#include "control/daemon/server_specs.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}

// GE1/0/1 (public) with sub-interface GE1/0/1.100, GE1/0/2 in vpn-instance red.
l3::InterfaceTable lab_interfaces() {
  std::vector<l3::InterfaceSpec> spec;
  spec.push_back(
      {"GE1/0/1", "", l3::kNoVlan, "", std::nullopt, {l3::IpPrefix::v4({{198, 18, 0, 2}}, 24)}});
  spec.push_back(
      {"GE1/0/2", "", l3::kNoVlan, "red", std::nullopt, {l3::IpPrefix::v4({{198, 18, 1, 2}}, 24)}});
  spec.push_back({"GE1/0/1.100",
                  "GE1/0/1",
                  100,
                  "",
                  std::nullopt,
                  {l3::IpPrefix::v4({{198, 18, 100, 2}}, 24)}});
  l3::InterfaceTable table;
  EXPECT_EQ(table.build(spec, std::vector<wire::MacAddress>(2)), "");
  return table;
}

engine::AssociationConfig server(std::string vpn, std::string source) {
  engine::AssociationConfig c;
  c.address = "198.18.1.1";
  c.vpn_instance = std::move(vpn);
  c.source_interface = std::move(source);
  return c;
}

TEST(PlacePeer, VpnInstanceAndSourceInterfaceBecomeTableIds) {
  const l3::InterfaceTable table = lab_interfaces();
  runtime::Peer p{v4(198, 18, 1, 1), 123};
  EXPECT_EQ(place_peer(p, server("", ""), table), "");
  EXPECT_EQ(p.vrf, 0);
  EXPECT_EQ(p.interface, runtime::kAnyInterface);

  EXPECT_EQ(place_peer(p, server("red", ""), table), "");
  EXPECT_EQ(p.vrf, *table.vrf_id("red"));
  EXPECT_NE(p.vrf, 0);
  EXPECT_EQ(p.interface, runtime::kAnyInterface);

  EXPECT_EQ(place_peer(p, server("", "GE1/0/1.100"), table), "");
  EXPECT_EQ(p.vrf, 0);
  EXPECT_EQ(p.interface, table.find_by_name("GE1/0/1.100")->index);
}

TEST(PlacePeer, NamesTheTablesDoNotHaveAreRefusedAndLeaveThePeer) {
  const l3::InterfaceTable table = lab_interfaces();
  runtime::Peer p{v4(198, 18, 1, 1), 123, 0, runtime::kAnyInterface};
  EXPECT_NE(place_peer(p, server("blue", ""), table).find("vpn-instance 'blue'"),
            std::string::npos);
  EXPECT_NE(place_peer(p, server("", "GE9/9/9"), table).find("does not exist"), std::string::npos);
  // The source interface must be in the server's vpn-instance.
  EXPECT_NE(place_peer(p, server("", "GE1/0/2"), table).find("is not in vpn-instance"),
            std::string::npos);
  EXPECT_EQ(p.vrf, 0);
  EXPECT_EQ(p.interface, runtime::kAnyInterface);
}

// A commit adding a server and the address that routes it: the server is placed before the
// commit's tables are in (no route) and again after (routed): no warning. One still without a
// route after the tables is warned about once, not again at the next table change.
TEST(DeferredPlacement, WarnsOnlyAboutServersStillUnroutableOnceTheTablesAreIn) {
  const l3::InterfaceTable before;  // the interface and its address not there yet
  const l3::InterfaceTable after = lab_interfaces();
  DeferredPlacement placement;
  runtime::Peer p{v4(198, 18, 1, 1), 123};
  placement.place(p, server("red", ""), before);
  EXPECT_EQ(p.vrf, kNoVrf);
  placement.place(p, server("red", ""), after);  // ControlLoop::place_again
  EXPECT_EQ(p.vrf, *after.vrf_id("red"));
  EXPECT_TRUE(placement.take_warnings().empty());

  runtime::Peer q{v4(198, 18, 1, 1), 123};
  placement.place(q, server("blue", ""), before);
  placement.place(q, server("blue", ""), after);
  EXPECT_EQ(q.vrf, kNoVrf);
  EXPECT_EQ(q.interface, runtime::kAnyInterface);
  EXPECT_EQ(placement.take_warnings(),
            std::vector<std::string>{
                "server 198.18.1.1: vpn-instance 'blue' has no interface; it has no route"});
  placement.place(q, server("blue", ""), after);  // a later table change: said already
  EXPECT_TRUE(placement.take_warnings().empty());
  // A server that loses its route (its interface removed) is said again.
  placement.place(p, server("red", ""), before);
  EXPECT_EQ(placement.take_warnings().size(), 1u);
}

}  // namespace
}  // namespace wiretime::daemon

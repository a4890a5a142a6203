#include "control/daemon/server_publisher.hpp"

#include <gtest/gtest.h>

#include "control/daemon/socket_server.hpp"

namespace wiretime::daemon {
namespace {

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
wire::IpAddress v6(uint8_t last) {
  wire::Ipv6Address a{{0x20, 0x01, 0x0d, 0xb8}};
  a.bytes[15] = last;
  return wire::IpAddress::from(a);
}

l3::InterfaceTable table() {
  std::vector<l3::InterfaceSpec> spec;
  spec.push_back({"GE1/0/1", "", 0, "", std::nullopt, {{v4(198, 18, 0, 2), 24}, {v6(2), 64}}});
  spec.push_back({"GE1/0/1.100", "GE1/0/1", 100, "blue", std::nullopt, {{v4(198, 18, 1, 2), 24}}});
  spec.push_back({"GE1/0/2", "", 0, "", std::nullopt, {{v4(198, 18, 2, 2), 24}}});
  l3::InterfaceTable t;
  EXPECT_EQ(
      t.build(spec, {wire::MacAddress{{2, 0, 0, 0, 0, 1}}, wire::MacAddress{{2, 0, 0, 0, 0, 2}}}),
      "");
  return t;
}

TEST(ServerListen, FollowsTheDisableSwitchesPerFamily) {
  const l3::InterfaceTable t = table();
  config::NtpConfig c;
  EXPECT_TRUE(server_listen(c, t).ipv4_enabled);  // factory default: enabled
  EXPECT_TRUE(server_listen(c, t).ipv6_enabled);
  c.server_disable = true;
  EXPECT_FALSE(server_listen(c, t).ipv4_enabled);
  EXPECT_TRUE(server_listen(c, t).ipv6_enabled);
  c.server_disable = false;
  c.ipv6_server_disable = true;
  EXPECT_TRUE(server_listen(c, t).ipv4_enabled);
  EXPECT_FALSE(server_listen(c, t).ipv6_enabled);
  c.ipv6_server_disable = false;
  c.service_disable = true;  // `ntp disable` turns the IPv4 server off too
  EXPECT_FALSE(server_listen(c, t).ipv4_enabled);
  c.service_disable = false;
  c.ipv6_service_disable = true;
  EXPECT_FALSE(server_listen(c, t).ipv6_enabled);
}

TEST(ServerListen, ListensOnNoInterfaceByDefault) {
  const server::ServerListen l = server_listen(config::NtpConfig{}, table());
  EXPECT_EQ(l.ipv4_interfaces, 0u);
  EXPECT_FALSE(l.ipv4_all);
  EXPECT_EQ(l.ipv6_count, 0);
  EXPECT_FALSE(l.ipv6_all);
}

TEST(ServerListen, MapsInterfacesAndIpv6AddressesAndReportsUnknownOnes) {
  const l3::InterfaceTable t = table();
  config::NtpConfig c;
  c.server_source_interfaces = {"GE1/0/2", "ge1/0/1.100", "GE9/9/9"};
  c.ipv6_server_source_addresses = {{"2001:db8::2", ""}, {"2001:db8::7", "red"}};
  c.ipv6_server_listen_all = true;
  std::vector<std::string> problems;
  const server::ServerListen l = server_listen(c, t, &problems);
  EXPECT_EQ(l.ipv4_interfaces, (1u << 2) | (1u << 1));
  ASSERT_EQ(l.ipv6_count, 1);
  EXPECT_EQ(l.ipv6_addresses[0], v6(2).v6);
  EXPECT_EQ(l.ipv6_vrfs[0], 0);
  EXPECT_TRUE(l.ipv6_all);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("GE9/9/9"), std::string::npos);
  EXPECT_NE(problems[1].find("red"), std::string::npos);
}

TEST(ServerListen, PhysicIsolatePairsTheAddressWithItsInterface) {
  const l3::InterfaceTable t = table();
  config::NtpConfig c;
  using config::AddressFamily;
  c.physic_isolate = {{AddressFamily::kIpv4, "ge1/0/1.100", "198.18.1.2"},
                      {AddressFamily::kIpv6, "GE1/0/1", "2001:db8::2"},
                      {AddressFamily::kIpv4, "GE1/0/2", "198.18.0.2"},  // GE1/0/1's address
                      {AddressFamily::kIpv4, "GE9/9/9", "198.18.0.2"}};
  std::vector<std::string> problems;
  const server::ServerListen l = server_listen(c, t, &problems);
  ASSERT_EQ(l.isolated_count, 3);
  EXPECT_EQ(l.isolated[0].address, v4(198, 18, 1, 2));
  EXPECT_EQ(l.isolated[0].interface, 1);
  EXPECT_EQ(l.isolated[1].address, v6(2));
  EXPECT_EQ(l.isolated[1].interface, 0);
  EXPECT_EQ(l.isolated[2].interface, 2);
  // Nothing else listens because of them.
  EXPECT_EQ(l.ipv4_interfaces, 0u);
  EXPECT_EQ(l.ipv6_count, 0);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("not an address of GE1/0/2"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("GE9/9/9 source-address 198.18.0.2: no such dataplane interface"),
            std::string::npos)
      << problems[1];
}

engine::SystemStatus synced(uint8_t stratum) {
  engine::SystemStatus s;
  s.synchronized = true;
  s.stratum = stratum;
  s.leap = wire::LeapIndicator::kNoWarning;
  s.reference_id = 0xc6120001;
  s.root_delay = 0.5;
  s.root_dispersion = 0.25;
  s.precision = -22;
  s.reference_time = NtpTimestamp::from_parts(100, 0);
  return s;
}

TEST(ServerClockState, UnsynchronisedIsLeap3Stratum16) {
  engine::SystemStatus s;  // not synchronised
  s.precision = -21;
  const server::ServerClockState c = server_clock_state({}, s, NtpTimestamp::from_parts(5, 0));
  EXPECT_EQ(c.leap, 3);
  EXPECT_EQ(c.stratum, 16);
  EXPECT_EQ(c.precision, -21);
}

TEST(ServerClockState, SynchronisedCarriesTheSystemVariables) {
  const server::ServerClockState c =
      server_clock_state({}, synced(2), NtpTimestamp::from_parts(5, 0));
  EXPECT_EQ(c.leap, 0);
  EXPECT_EQ(c.stratum, 2);
  EXPECT_EQ(c.reference_id, 0xc6120001u);
  EXPECT_EQ(c.root_delay, 0x8000u);       // 0.5 s in 16.16
  EXPECT_EQ(c.root_dispersion, 0x4000u);  // 0.25 s
  EXPECT_EQ(c.precision, -22);
  EXPECT_EQ(c.reference_time, NtpTimestamp::from_parts(100, 0).raw());
}

TEST(ServerClockState, RefclockMasterServesTheLocalClockWhenNoServerIsBetter) {
  config::NtpConfig c;
  c.refclock_master = config::RefclockMaster{};  // 127.127.1.0, stratum 8
  const NtpTimestamp now = NtpTimestamp::from_parts(7, 0);
  engine::SystemStatus unsynced;
  server::ServerClockState s = server_clock_state(c, unsynced, now);
  EXPECT_EQ(s.leap, 0);
  EXPECT_EQ(s.stratum, 8);
  EXPECT_EQ(s.reference_id, 0x7f7f0100u);
  EXPECT_EQ(s.reference_time, now.raw());
  EXPECT_EQ(s.root_delay, 0u);
  // A server whose stratum makes ours 9 is worse than the local stratum 8: local clock.
  EXPECT_EQ(server_clock_state(c, synced(9), now).stratum, 8);
  EXPECT_TRUE(serving_local_clock(c, synced(9)));
  // A better one (ours 3) wins.
  s = server_clock_state(c, synced(3), now);
  EXPECT_EQ(s.stratum, 3);
  EXPECT_EQ(s.reference_id, 0xc6120001u);
  EXPECT_FALSE(serving_local_clock(c, synced(3)));
  c.refclock_master->stratum = 2;
  EXPECT_EQ(server_clock_state(c, synced(3), now).stratum, 2);
}

TEST(ServerPublisher, PublishesAtOnceOnAConfigurationChangeThenPeriodically) {
  const l3::InterfaceTable t = table();
  server::PublishedServer out;
  std::vector<std::string> log;
  ServerPublisher p(out, t, [&](const std::string& m) { log.push_back(m); });
  config::NtpConfig c;
  c.server_source_interfaces = {"GE1/0/1"};
  EXPECT_TRUE(p.due(0, c));
  p.publish(0, c, synced(2), NtpTimestamp::from_parts(1, 0));
  EXPECT_EQ(out.read().clock.stratum, 2);
  EXPECT_EQ(out.read().listen.ipv4_interfaces, 1u);
  EXPECT_FALSE(p.due(ServerPublisher::kPeriodNs - 1, c));
  EXPECT_TRUE(p.due(ServerPublisher::kPeriodNs, c));
  c.server_disable = true;
  EXPECT_TRUE(p.due(1, c));  // a commit takes effect without waiting for the period
  p.publish(1, c, synced(2), NtpTimestamp::from_parts(1, 0));
  EXPECT_FALSE(out.read().listen.ipv4_enabled);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find("IPv4 disabled"), std::string::npos);
}

TEST(SocketServer, RefusesPhysicIsolateNamingTheLine) {
  config::NtpConfig c;
  EXPECT_EQ(socket_server_refusal(c), "");
  c.physic_isolate = {{config::AddressFamily::kIpv6, "GE1/0/1", "2001:db8::2"}};
  EXPECT_EQ(socket_server_refusal(c),
            "ntp ipv6 server physic-isolate source-interface GE1/0/1 source-address 2001:db8::2: "
            "the socket backend cannot isolate by interface (use dataplane.backend: dpdk)");
}

TEST(SocketServer, WantedWhenEnabledAndListeningOnItsInterface) {
  config::NtpConfig c;
  EXPECT_FALSE(socket_server_wanted(c, "GE1/0/1"));  // listens on no interface by default
  c.server_source_interfaces = {"ge1/0/1"};
  EXPECT_TRUE(socket_server_wanted(c, "GE1/0/1"));
  c.server_disable = true;
  EXPECT_FALSE(socket_server_wanted(c, "GE1/0/1"));
  c = {};
  c.server_listen_all = true;
  EXPECT_TRUE(socket_server_wanted(c, "GE1/0/1"));
}

TEST(SocketServer, Ipv6ListensOnPublicSourceAddressesOrEveryInterfaceAddress) {
  const auto v6 = [](uint8_t last) {
    wire::Ipv6Address a{{0x20, 0x01, 0x0d, 0xb8}};
    a.bytes[15] = last;
    return wire::IpAddress::from(a);
  };
  config::NtpConfig c;
  c.ipv6_server_source_addresses = {
      {"2001:db8::2", ""}, {"2001:db8::3", "red"}, {"2001:db8::2", ""}};
  // IPv6 serving is off until `undo ntp ipv6 server disable`.
  c.ipv6_server_disable = true;
  EXPECT_TRUE(socket_server_ipv6_wanted(c, {v6(9)}).empty());
  c.ipv6_server_disable = false;
  // The public network's addresses only (no VPNs on the socket backend), each once.
  EXPECT_EQ(socket_server_ipv6_wanted(c, {v6(9)}), std::vector<wire::IpAddress>{v6(2)});
  c.ipv6_server_listen_all = true;
  EXPECT_EQ(socket_server_ipv6_wanted(c, {v6(9)}), std::vector<wire::IpAddress>{v6(9)});
  c.ipv6_service_disable = true;  // `ntp ipv6 disable`
  EXPECT_TRUE(socket_server_ipv6_wanted(c, {v6(9)}).empty());
}

// `dataplane.rate-limit-entries` sizes the socket backend's table (allocated, no socket).
TEST(SocketServer, RateTableHasTheConfiguredSize) {
  const DaemonLog log;
  EXPECT_EQ(SocketServer(log, {}, "GE1/0/1").rate_table_entries(), 16384u);
  EXPECT_EQ(SocketServer(log, {}, "GE1/0/1", {}, 0, 64).rate_table_entries(), 64u);
}

}  // namespace
}  // namespace wiretime::daemon

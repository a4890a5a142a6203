// Every committed setting acts (issue 10 item 4): each test commits the setting through
// MgmtHooks onto a live ControlLoop and looks at what changed where the backend would see it
// (the requests on the wire, where they leave from, whether the clock is synchronised).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <vector>

#include "config/ntp_config/ntp_config_yaml.hpp"
#include "tests/unit/daemon_mgmt/hooks_harness.hpp"

namespace wiretime::daemon {
namespace {

config::Association ipv6_server(const char* address) {
  config::Association a = server(address);
  a.kind = config::ServerKind::kIpv6;
  a.version = 4;
  return a;
}

std::vector<std::string> addresses(const std::vector<SigningTransport::Sent>& sent) {
  std::vector<std::string> out;
  for (const auto& s : sent) out.push_back(runtime::to_string(s.peer));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// `ntp [ipv6] source-interface X [vpn-instance V]`: every server of that family and VPN
// without a source interface of its own sends from X; its own one wins.
TEST(SettingEffect, GlobalSourceInterfaceIsWhereServersWithoutTheirOwnSendFrom) {
  Harness h;
  // The backend's tables number the interfaces: GE1/0/N is interface N.
  h.loop().set_placement([](const engine::AssociationConfig& c, runtime::Peer& p) {
    p.interface = c.source_interface.empty()
                      ? runtime::kAnyInterface
                      : static_cast<uint16_t>(c.source_interface.back() - '0');
  });
  config::NtpConfig c;
  c.vpn_instances.push_back({"blue", true, true});
  c.unicast_servers.push_back(server("198.18.0.1"));
  config::Association own = server("198.18.0.2");
  own.source_interface = "GE1/0/2";
  c.unicast_servers.push_back(own);
  c.unicast_servers.push_back(ipv6_server("2001:db8::1"));
  config::Association blue = server("198.18.0.3");
  blue.vpn_instance = "blue";
  c.unicast_servers.push_back(blue);
  ASSERT_EQ(h.commit(c), std::nullopt);
  std::map<std::string, uint16_t> from;
  for (const auto& s : h.run(2)) from[runtime::to_string(s.peer)] = s.peer.interface;
  EXPECT_EQ(from["198.18.0.1:123"], runtime::kAnyInterface);
  EXPECT_EQ(from["198.18.0.2:123"], 2);

  c.source_interfaces.push_back({config::AddressFamily::kIpv4, "", "GE1/0/1"});
  c.source_interfaces.push_back({config::AddressFamily::kIpv6, "", "GE1/0/3"});
  c.source_interfaces.push_back({config::AddressFamily::kIpv4, "blue", "GE1/0/4"});
  ASSERT_EQ(h.commit(c), std::nullopt);
  from.clear();
  for (const auto& s : h.run(2)) from[runtime::to_string(s.peer)] = s.peer.interface;
  ASSERT_EQ(from.size(), 4u);
  EXPECT_EQ(from["198.18.0.1:123"], 1);     // the IPv4 public one
  EXPECT_EQ(from["198.18.0.2:123"], 2);     // its own wins
  EXPECT_EQ(from["[2001:db8::1]:123"], 3);  // the IPv6 one
  EXPECT_EQ(from["198.18.0.3:123"], 4);     // the one of its VPN

  // Undone: back to the route's choice.
  c.source_interfaces.clear();
  ASSERT_EQ(h.commit(c), std::nullopt);
  from.clear();
  for (const auto& s : h.run(2)) from[runtime::to_string(s.peer)] = s.peer.interface;
  EXPECT_EQ(from["198.18.0.1:123"], runtime::kAnyInterface);
  EXPECT_EQ(from["[2001:db8::1]:123"], runtime::kAnyInterface);
}

// `version 1-4`: requests carry it (an IPv6 server NTPv4), replies in that version are used,
// and the session display shows it.
TEST(SettingEffect, VersionIsCarriedInRequestsAndShown) {
  for (int version = 1; version <= 4; ++version) {
    Harness h;
    config::NtpConfig c = with_server();
    c.unicast_servers.front().version = version;
    c.unicast_servers.push_back(ipv6_server("2001:db8::1"));
    ASSERT_EQ(h.commit(c), std::nullopt);
    const auto sent = h.run(20, true);
    ASSERT_FALSE(sent.empty());
    for (const auto& s : sent) {
      const bool v6 = s.peer.address.version == wire::IpVersion::kV6;
      EXPECT_EQ(s.version, v6 ? 4 : version) << runtime::to_string(s.peer);
    }
    for (const engine::AssociationStatus& a : h.loop().status().associations) {
      EXPECT_EQ(a.version, a.source == "2001:db8::1" ? 4 : version) << a.source;
      EXPECT_GT(a.reach, 0) << a.source << " version " << version;
    }
    EXPECT_TRUE(h.loop().engine().synchronized()) << "version " << version;
  }
}

// `interleaved: true` without a version: the requests are NTPv4 (interleaved mode is NTPv4's),
// while the configuration keeps no version line (the operator typed none).
TEST(SettingEffect, InterleavedWithoutAVersionSendsNtpv4) {
  Harness h;
  config::NtpConfig c = with_server();
  c.unicast_servers.front().interleaved = true;
  ASSERT_EQ(h.commit(c), std::nullopt);
  const auto sent = h.run(10, true);
  ASSERT_FALSE(sent.empty());
  for (const auto& s : sent) EXPECT_EQ(s.version, 4);
  EXPECT_EQ(h.loop().status().associations.front().version, 4);
  const std::string yaml = config::ntp_config_to_yaml_text(h.hooks().running());
  EXPECT_NE(yaml.find("interleaved: true"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("version"), std::string::npos) << yaml;
  // Turned off (an in-place change): NTPv3 again, VRP's default.
  c.unicast_servers.front().interleaved = false;
  ASSERT_EQ(h.commit(c), std::nullopt);
  const auto basic = h.run(70, true);
  ASSERT_FALSE(basic.empty());
  EXPECT_EQ(basic.back().version, 3);
}

// `ntp [ipv6] disable`: that family's servers are no longer polled, their configuration
// stays, and undo brings them back.
TEST(SettingEffect, DisableStopsPollingThatFamilyAndKeepsItsConfiguration) {
  Harness h;
  config::NtpConfig c = with_server();
  c.unicast_servers.push_back(ipv6_server("2001:db8::1"));
  ASSERT_EQ(h.commit(c), std::nullopt);
  EXPECT_EQ(addresses(h.run(3)), (std::vector<std::string>{"198.18.0.1:123", "[2001:db8::1]:123"}));

  config::NtpConfig off4 = c;
  off4.service_disable = true;
  ASSERT_EQ(h.commit(off4), std::nullopt);
  EXPECT_EQ(addresses(h.run(5)), std::vector<std::string>{"[2001:db8::1]:123"});
  EXPECT_EQ(h.hooks().running().unicast_servers.size(), 2u);  // still configured

  config::NtpConfig off6 = c;
  off6.ipv6_service_disable = true;
  ASSERT_EQ(h.commit(off6), std::nullopt);
  EXPECT_EQ(addresses(h.run(5)), std::vector<std::string>{"198.18.0.1:123"});

  off6.service_disable = true;
  ASSERT_EQ(h.commit(off6), std::nullopt);
  EXPECT_TRUE(h.run(5).empty());
  EXPECT_TRUE(h.hooks().status().associations.empty());

  ASSERT_EQ(h.commit(c), std::nullopt);  // undo both
  EXPECT_EQ(addresses(h.run(3)), (std::vector<std::string>{"198.18.0.1:123", "[2001:db8::1]:123"}));
}

// `ntp offset-limit`: a source further off than the limit is not used to synchronise.
TEST(SettingEffect, OffsetLimitKeepsAFarSourceFromSynchronising) {
  Harness h;
  config::NtpConfig c = with_server();
  c.offset_limit = 5;
  ASSERT_EQ(h.commit(c), std::nullopt);
  h.run(30, true, 10.0);  // the server is 10 s ahead
  EXPECT_FALSE(h.loop().engine().synchronized());
  ASSERT_EQ(h.loop().status().associations.size(), 1u);
  EXPECT_EQ(h.loop().status().associations.front().selection,
            engine::SelectionStatus::kOffsetLimit);

  c.offset_limit = 20;  // raised: the same source is used at the next selection
  ASSERT_EQ(h.commit(c), std::nullopt);
  h.run(30, true, 10.0);
  EXPECT_TRUE(h.loop().engine().synchronized());
}

// `display ntp statistics packet`: the far source's replies are in the "Offset limit" row, not
// Processed; within the limit they are processed again. Received = Processed + Dropped holds.
TEST(SettingEffect, OffsetLimitCountsTheFarRepliesInItsRow) {
  Harness h;
  config::NtpConfig c = with_server();
  c.offset_limit = 5;
  ASSERT_EQ(h.commit(c), std::nullopt);
  const size_t replies = h.run(20, true, 10.0).size();
  ASSERT_GT(replies, 0u);
  display::PacketStatistics p = h.hooks().status().ipv4_packets;
  EXPECT_EQ(p.offset_limit, replies);
  EXPECT_EQ(p.processed, 0u);
  EXPECT_EQ(p.received, p.processed + p.dropped);
  EXPECT_EQ(p.dropped, replies);
  // The server's own block says the same.
  const display::StatusSnapshot s = h.hooks().status();
  ASSERT_EQ(s.peer_packets.size(), 1u);
  EXPECT_EQ(s.peer_packets.front().packets.offset_limit, replies);
  EXPECT_EQ(s.peer_packets.front().packets.processed, 0u);
  EXPECT_EQ(s.peer_packets.front().packets.received, replies);

  const size_t near = h.run(20, true, 1.0).size();  // now 1 s ahead: within the limit
  ASSERT_GT(near, 0u);
  p = h.hooks().status().ipv4_packets;
  EXPECT_EQ(p.offset_limit, replies);
  EXPECT_EQ(p.processed, near);

  c.offset_limit.reset();  // no limit: nothing counts there
  ASSERT_EQ(h.commit(c), std::nullopt);
  h.run(20, true, 10.0);
  EXPECT_EQ(h.hooks().status().ipv4_packets.offset_limit, replies);
}

// `ntp max-dynamic-sessions` caps sessions wiretimed never creates: a symmetric-active (mode 1)
// packet from a peer that is not configured starts no session whatever the cap (0 or 100); it
// is counted as a reply from an unknown host ("Others"), never as "Max dynamic association
// reached", and the sessions display keeps the configured server alone. (DPDK drops mode 1
// before control: RxClassifier's kNtpUnexpectedMode, "Invalid packets".)
TEST(SettingEffect, MaxDynamicSessionsAdmitsNoSymmetricActivePeerWhateverTheCap) {
  for (const int cap : {0, 100}) {
    SCOPED_TRACE(cap);
    Harness h;
    config::NtpConfig c = with_server();
    c.max_dynamic_sessions = cap;
    ASSERT_EQ(h.commit(c), std::nullopt);
    h.run(3, true);
    const display::PacketStatistics before = h.hooks().status().ipv4_packets;
    wire::NtpPacket active;
    active.is_time_packet = true;
    active.header.mode = wire::NtpMode::kSymmetricActive;
    active.header.version = 4;
    active.header.stratum = 2;
    active.header.transmit = NtpTimestamp::from_parts(3'900'000'000u, 0);
    runtime::Peer stranger;
    stranger.address = wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 77}});
    h.loop().on_reply(stranger, active, h.ticks(), engine::TimestampSource::kSimulated);
    const display::StatusSnapshot s = h.hooks().status();
    EXPECT_EQ(h.loop().engine().associations().size(), 1u);
    ASSERT_EQ(s.associations.size(), 1u);
    EXPECT_TRUE(s.associations.front().configured);
    EXPECT_EQ(s.ipv4_packets.others, before.others + 1);
    EXPECT_EQ(s.ipv4_packets.received, before.received + 1);
    EXPECT_EQ(s.ipv4_packets.max_dynamic_reached, 0u);
  }
}

// The intervals between the requests of the first `seconds` s of an unanswered server.
std::vector<uint64_t> poll_gaps(Harness& h, int seconds) {
  std::vector<uint64_t> at;
  uint64_t t = 0;
  for (int i = 0; i < seconds; ++i) {
    ++t;
    if (!h.run(1).empty()) at.push_back(t);
  }
  std::vector<uint64_t> gaps;
  for (size_t i = 1; i < at.size(); ++i) gaps.push_back(at[i] - at[i - 1]);
  return gaps;
}

// `ntp sync-interval`: no server goes unpolled longer than it, whatever its maxpoll.
TEST(SettingEffect, SyncIntervalBoundsThePollInterval) {
  config::NtpConfig c = with_server();
  c.unicast_servers.front().minpoll = 6;
  c.unicast_servers.front().maxpoll = 10;
  Harness without;
  ASSERT_EQ(without.commit(c), std::nullopt);
  const std::vector<uint64_t> free = poll_gaps(without, 3000);
  ASSERT_FALSE(free.empty());
  EXPECT_EQ(*std::max_element(free.begin(), free.end()), 1024u);

  c.sync_interval = 180;
  Harness with;
  ASSERT_EQ(with.commit(c), std::nullopt);
  const std::vector<uint64_t> bounded = poll_gaps(with, 3000);
  ASSERT_GT(bounded.size(), 10u);
  EXPECT_EQ(*std::max_element(bounded.begin(), bounded.end()), 180u);
  EXPECT_EQ(bounded.front(), 64u);  // below the bound, the usual doubling
}

// `ntp source-port`: the transport sends from it after the commit; one it cannot bind
// refuses the commit and changes nothing.
TEST(SettingEffect, SourcePortIsWhereRequestsLeaveFromOrTheCommitIsRefused) {
  Harness h;
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  for (const auto& s : h.run(2)) EXPECT_EQ(s.source_port, std::nullopt);

  config::NtpConfig c = with_server();
  c.source_port = 1234;
  ASSERT_EQ(h.commit(c), std::nullopt);
  const auto sent = h.run(2);
  ASSERT_FALSE(sent.empty());
  for (const auto& s : sent) EXPECT_EQ(s.source_port, std::optional<uint16_t>(1234));

  h.transport().taken_port = 123;
  config::NtpConfig taken = c;
  taken.source_port = 123;
  taken.max_distance = 7;
  const auto refused = h.commit(taken);
  ASSERT_NE(refused, std::nullopt);
  EXPECT_NE(refused->find("source-port 123"), std::string::npos) << *refused;
  EXPECT_EQ(h.hooks().running(), c);
  EXPECT_EQ(h.loop().engine().globals().max_distance, 1.0);
  for (const auto& s : h.run(2)) EXPECT_EQ(s.source_port, std::optional<uint16_t>(1234));

  ASSERT_EQ(h.commit(with_server()), std::nullopt);  // undo: random again
  for (const auto& s : h.run(2)) EXPECT_EQ(s.source_port, std::nullopt);
}

// `port`: a server's port can change at any time; requests go to the new one.
TEST(SettingEffect, ServerPortChangesWhereRequestsGo) {
  Harness h;
  ASSERT_EQ(h.commit(with_server()), std::nullopt);
  EXPECT_EQ(addresses(h.run(2)), std::vector<std::string>{"198.18.0.1:123"});
  config::NtpConfig c = with_server();
  c.unicast_servers.front().port = 5000;
  ASSERT_EQ(h.commit(c), std::nullopt);
  EXPECT_EQ(addresses(h.run(2)), std::vector<std::string>{"198.18.0.1:5000"});
  // Its replies, from that port, are used.
  h.run(20, true);
  EXPECT_TRUE(h.loop().engine().synchronized());
}

}  // namespace
}  // namespace wiretime::daemon

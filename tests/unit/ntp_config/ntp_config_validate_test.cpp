#include <gtest/gtest.h>

#include "config/ntp_config/ntp_config_validate.hpp"

namespace wiretime::config {
namespace {

InterfaceInventory inventory() {
  return InterfaceInventory{{"GE1/0/1", "GE1/0/2"}};
}

NtpConfig base() {
  NtpConfig c;
  c.vpn_instances.push_back({"v4", true, false});
  c.vpn_instances.push_back({"both", true, true});
  InterfaceSettings bound;
  bound.name = "GE1/0/2";
  bound.vpn_instance = "both";
  bound.ipv6_enable = true;
  bound.ipv4 = {{"10.0.0.1", 24}};
  c.interfaces.push_back(bound);
  return c;
}

Association server(std::string address, ServerKind kind = ServerKind::kIpv4) {
  Association a;
  a.kind = kind;
  a.address = std::move(address);
  if (kind == ServerKind::kIpv6) a.version = 4;
  return a;
}

std::optional<Refusal> check(const NtpConfig& c, const Association& a) {
  return check_association(c, inventory(), a);
}

TEST(NtpConfigValidate, ServerAddressClasses) {
  const NtpConfig c = base();
  EXPECT_EQ(check(c, server("10.1.1.1")), std::nullopt);
  for (const char* bad : {"0.0.0.0", "255.255.255.255", "224.0.0.1", "239.255.255.255", "240.0.0.1",
                          "127.0.0.1", "127.127.1.0"}) {
    EXPECT_EQ(check(c, server(bad)), Refusal::kInvalidAddress) << bad;
  }
  // Q11: the broadcast address of a local interface subnet.
  EXPECT_EQ(check(c, server("10.0.0.255")), Refusal::kInvalidAddress);
  EXPECT_EQ(check(c, server("2001:db8::1", ServerKind::kIpv6)), std::nullopt);
  for (const char* bad : {"::", "::1", "ff02::1", "::ffff:10.1.1.1"}) {
    EXPECT_EQ(check(c, server(bad, ServerKind::kIpv6)), Refusal::kInvalidAddress) << bad;
  }
  Association ll = server("fe80::1", ServerKind::kIpv6);
  EXPECT_EQ(check(c, ll), Refusal::kLinkLocalNeedsInterface);
  ll.source_interface = "GE1/0/2";
  EXPECT_EQ(check(c, ll), std::nullopt);
}

TEST(NtpConfigValidate, VpnInterfaceAndKeyConstraints) {
  const NtpConfig c = base();
  Association a = server("10.1.1.1");
  a.vpn_instance = "nope";
  EXPECT_EQ(check(c, a), Refusal::kVpnNotExist);
  Association v6 = server("2001:db8::1", ServerKind::kIpv6);
  v6.vpn_instance = "v4";
  EXPECT_EQ(check(c, v6), Refusal::kVpnFamilyNotEnabled);
  a.vpn_instance = "";
  a.source_interface = "GE9/9/9";
  EXPECT_EQ(check(c, a), Refusal::kInterfaceNotExist);
  a.source_interface = "GE1/0/1";
  a.vpn_instance = "both";
  EXPECT_EQ(check(c, a), Refusal::kInterfaceNotInVpn);
  v6.vpn_instance = "";
  v6.source_interface = "GE1/0/1";
  EXPECT_EQ(check(c, v6), Refusal::kIpv6NotEnabled);
  Association k = server("10.1.1.1");
  k.key_id = 70000;
  EXPECT_EQ(check(c, k), std::nullopt);
  k.version = 4;
  EXPECT_EQ(check(c, k), Refusal::kKeyIdTooLargeForNtpv4);
}

// Interleaved mode is NTPv4's: without a version (the default 3) it runs NTPv4, with version 4
// too; versions 1 and 2 are refused naming the server's entry. The NTPv4 key-id bound follows.
TEST(NtpConfigValidate, InterleavedImpliesNtpv4AndRefusesVersionsOneAndTwo) {
  NtpConfig c = base();
  Association a = server("10.1.1.1");
  a.interleaved = true;
  EXPECT_EQ(a.request_version(), 4);
  c.unicast_servers.push_back(a);
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  for (const int version : {1, 2}) {
    c.unicast_servers.front().version = version;
    EXPECT_EQ(c.unicast_servers.front().request_version(), version);
    const auto e = validate_ntp_config(c, inventory());
    ASSERT_TRUE(e) << version;
    EXPECT_EQ(e->to_string(),
              "ntp.unicast-servers[0]: Interleaved mode needs NTP version 4; set "
              "version 4 or leave the version out.");
  }
  c.unicast_servers.front().version = 4;
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  c.unicast_servers.front().version = 3;
  c.unicast_servers.front().key_id = 70000;  // fine for NTPv3, not for the NTPv4 it runs
  EXPECT_EQ(check(c, c.unicast_servers.front()), Refusal::kKeyIdTooLargeForNtpv4);
  c.unicast_servers.front().interleaved = false;
  EXPECT_EQ(c.unicast_servers.front().request_version(), 3);
  EXPECT_EQ(check(c, c.unicast_servers.front()), std::nullopt);
}

// The server's listening tables hold 8 physic-isolate pairs: a ninth refuses the commit.
TEST(NtpConfigValidate, PhysicIsolateIsLimitedToWhatTheServerHolds) {
  NtpConfig c = base();
  for (size_t i = 0; i < kMaxPhysicIsolate; ++i) {
    c.physic_isolate.push_back(
        {AddressFamily::kIpv4, "GE1/0/1", "198.18.0." + std::to_string(i + 1)});
  }
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  c.physic_isolate.push_back({AddressFamily::kIpv4, "GE1/0/2", "198.18.1.1"});
  const auto e = validate_ntp_config(c, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->to_string(),
            "ntp.physic-isolate[8]: The number of physic-isolate entries reached the upper limit "
            "(8).");
}

// So do 8 `ntp ipv6 server source-address` entries: a ninth refuses the commit (it was saved
// and skipped by the publisher, a setting that did nothing).
TEST(NtpConfigValidate, Ipv6ServerSourceAddressesAreLimitedToWhatTheServerHolds) {
  NtpConfig c = base();
  for (size_t i = 0; i < kMaxIpv6ServerSourceAddresses; ++i) {
    c.ipv6_server_source_addresses.push_back({"2001:db8::" + std::to_string(i + 1), ""});
  }
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  c.ipv6_server_source_addresses.push_back({"2001:db8::99", ""});
  const auto e = validate_ntp_config(c, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->to_string(),
            "ntp.ipv6-server-source-addresses[8]: The number of IPv6 server source addresses "
            "reached the upper limit (8).");
}

// Symmetric active mode does not run in wiretimed: a unicast-peer is refused, not saved to
// do nothing.
TEST(NtpConfigValidate, UnicastPeerIsRefused) {
  NtpConfig c = base();
  c.unicast_servers.push_back(server("10.1.1.1"));
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  c.unicast_peers.push_back(server("10.9.9.9"));
  const auto e = validate_ntp_config(c, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "ntp.unicast-peers[0]");
  EXPECT_EQ(e->message, refusal_text(Refusal::kPeerModeUnsupported));
}

TEST(NtpConfigValidate, LimitsAndReferences) {
  NtpConfig c = base();
  for (uint32_t i = 0; i < kMaxStaticAssociations; ++i) {
    c.unicast_servers.push_back(
        server("10.2." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 1)));
  }
  EXPECT_EQ(validate_ntp_config(c, inventory()), std::nullopt);
  c.unicast_peers.push_back(server("10.9.9.9"));
  auto e = validate_ntp_config(c, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, refusal_text(Refusal::kServerLimit));

  NtpConfig k = base();
  for (uint32_t i = 1; i <= kMaxAuthenticationKeys; ++i) k.keys[i] = {KeyMode::kMd5, "x"};
  EXPECT_EQ(validate_ntp_config(k, inventory()), std::nullopt);
  k.keys[5000] = {KeyMode::kMd5, "x"};
  ASSERT_TRUE(validate_ntp_config(k, inventory()));

  NtpConfig t = base();
  t.trusted_keys.insert(9);
  e = validate_ntp_config(t, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "ntp.trusted-keys[0]");

  NtpConfig s = base();
  s.unicast_servers.push_back(server("10.1.1.1"));
  s.unicast_servers.push_back(server("10.1.1.2"));
  s.unicast_servers.back().vpn_instance = "missing";
  e = validate_ntp_config(s, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "ntp.unicast-servers[1]");
  EXPECT_EQ(e->message, refusal_text(Refusal::kVpnNotExist));

  NtpConfig i = base();
  InterfaceSettings ghost;
  ghost.name = "GE7/0/1";
  i.interfaces.push_back(ghost);
  e = validate_ntp_config(i, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->path, "ntp.interfaces[1]");

  NtpConfig aes = base();
  aes.keys[1] = {KeyMode::kAes256Cmac, "short"};
  e = validate_ntp_config(aes, inventory());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->message, refusal_text(Refusal::kKeyLengthForMode));
}

TEST(NtpConfigValidate, SubInterfacesExistOnceCreated) {
  NtpConfig c = base();
  EXPECT_FALSE(interface_exists(c, inventory(), "GE1/0/1.10"));
  c.interface_settings("GE1/0/1.10");
  EXPECT_TRUE(interface_exists(c, inventory(), "GE1/0/1.10"));
  c.interface_settings("GE5/0/1.10");
  EXPECT_FALSE(interface_exists(c, inventory(), "GE5/0/1.10"));
}

}  // namespace
}  // namespace wiretime::config

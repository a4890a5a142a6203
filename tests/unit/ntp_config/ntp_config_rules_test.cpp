#include <gtest/gtest.h>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::config {
namespace {

Association server(const char* address, const char* vpn = "", const char* interface = "") {
  Association a;
  a.address = address;
  a.vpn_instance = vpn;
  a.source_interface = interface;
  return a;
}

TEST(ServerDisableRule, AddedWhenNtpConfigAppearsRemovedWhenItGoes) {
  NtpConfig running;
  NtpConfig candidate;
  candidate.unicast_servers.push_back(server("10.1.1.1"));
  apply_server_disable_rule(running, candidate, {});
  EXPECT_TRUE(candidate.server_disable);
  EXPECT_TRUE(candidate.ipv6_server_disable);

  // Explicitly undone in the same candidate: stays off for that family.
  NtpConfig c2;
  c2.unicast_servers.push_back(server("10.1.1.1"));
  apply_server_disable_rule(running, c2, {true, false});
  EXPECT_FALSE(c2.server_disable);
  EXPECT_TRUE(c2.ipv6_server_disable);

  // The last NTP line removed: the automatic lines go too.
  NtpConfig now_empty = NtpConfig{};
  now_empty.server_disable = now_empty.ipv6_server_disable = true;
  apply_server_disable_rule(candidate, now_empty, {});
  EXPECT_FALSE(now_empty.server_disable);
  EXPECT_FALSE(now_empty.ipv6_server_disable);

  // Companion-only changes (VPNs, sysname) are not NTP configuration.
  NtpConfig companion;
  companion.sysname = "X";
  companion.vpn_instances.push_back({"a", true, false});
  apply_server_disable_rule(running, companion, {});
  EXPECT_FALSE(companion.server_disable);
}

TEST(Cascade, VpnInterfaceFamilyAndIpv6) {
  NtpConfig c;
  c.vpn_instances.push_back({"abc", true, true});
  c.unicast_servers = {server("10.1.1.1", "abc"), server("10.1.1.2"),
                       server("10.1.1.3", "", "GE1/0/1")};
  Association v6 = server("2001:db8::1", "abc");
  v6.kind = ServerKind::kIpv6;
  c.unicast_servers.push_back(v6);
  c.source_interfaces.push_back({AddressFamily::kIpv4, "abc", "GE1/0/1"});

  NtpConfig family = c;
  cascade_vpn_family_disabled(family, "abc", AddressFamily::kIpv6);
  EXPECT_EQ(family.unicast_servers.size(), 3u);
  EXPECT_EQ(family.source_interfaces.size(), 1u);

  NtpConfig vpn = c;
  cascade_vpn_removed(vpn, "abc");
  EXPECT_EQ(vpn.unicast_servers.size(), 2u);
  EXPECT_TRUE(vpn.source_interfaces.empty());

  NtpConfig intf = c;
  cascade_interface_removed(intf, "GE1/0/1");
  EXPECT_EQ(intf.unicast_servers.size(), 3u);
  EXPECT_TRUE(intf.source_interfaces.empty());
}

TEST(InterfaceName, CanonicalFormsAndSubInterfaces) {
  EXPECT_EQ(canonical_interface_name("100ge1/0/1"), "100GE1/0/1");
  EXPECT_EQ(canonical_interface_name("ge1/0/1"), "GE1/0/1");
  EXPECT_EQ(canonical_interface_name("vlanif100"), "Vlanif100");
  EXPECT_EQ(canonical_interface_name("veth0"), "veth0");
  EXPECT_FALSE(canonical_interface_name(std::string(48, 'a')).has_value());
  EXPECT_EQ(match_interface_type("100ge"), "100GE");
  EXPECT_EQ(match_interface_type("vlan"), "Vlanif");
  EXPECT_FALSE(match_interface_type("e").has_value());  // Eth-Trunk or Ethernet
  auto sub = split_sub_interface("GE1/0/1.100");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->parent, "GE1/0/1");
  EXPECT_EQ(sub->vlan, 100);
  EXPECT_FALSE(split_sub_interface("GE1/0/1").has_value());
}

TEST(IpAddress, ParsingAndMasks) {
  EXPECT_EQ(parse_ipv4("10.1.2.3"), 0x0a010203u);
  for (const char* bad : {"10.1.2", "10.1.2.3.4", "1.2.3.256", "1..2.3", "a.b.c.d", "1.2.3.4 "}) {
    EXPECT_FALSE(parse_ipv4(bad).has_value()) << bad;
  }
  EXPECT_EQ(ipv6_to_string(*parse_ipv6("2001:DB8:0:0::1")), "2001:db8::1");
  EXPECT_EQ(ipv4_length_from_mask(0xffffff00u), 24);
  EXPECT_FALSE(ipv4_length_from_mask(0xff00ff00u).has_value());
  EXPECT_TRUE(is_refclock_address(*parse_ipv4("127.127.37.3")));
  EXPECT_FALSE(is_refclock_address(*parse_ipv4("127.127.38.0")));
  EXPECT_FALSE(is_refclock_address(*parse_ipv4("127.127.1.4")));
  EXPECT_TRUE(is_domain_name("www.example.com"));
  EXPECT_FALSE(is_domain_name("1.2.3.4"));
  EXPECT_FALSE(is_domain_name("bad name"));
}

}  // namespace
}  // namespace wiretime::config

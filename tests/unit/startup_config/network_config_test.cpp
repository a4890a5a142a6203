// The dataplane's L3 model from the file's two parts: IPv6, 802.1Q sub-interfaces,
// vpn-instances, MAC override, static routes per VRF and servers per VRF. kLab is an old-style
// file (L3 keys in `interfaces:`, a `routes:` list), which loads with those keys moved into the
// running configuration; network_spec() builds the tables from that.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/ntp_config/ip_address.hpp"
#include "config/startup/network_spec.hpp"
#include "config/startup/startup_config.hpp"
#include "dataplane/l3/routing_table.hpp"

namespace wiretime::config {
namespace {

// Line numbers in the tests below refer to this document (1-based).
const char* const kLab =
    "dataplane:\n"                                    // 1
    "  eal: [\"--no-huge\"]\n"                        // 2
    "interfaces:\n"                                   // 3
    "  - name: GE1/0/1\n"                             // 4
    "    devargs: net_af_packet0,iface=a\n"           // 5
    "    ipv4: 198.18.0.2/24\n"                       // 6
    "    ipv6: [2001:db8::2/64, 2001:db8:1::2/64]\n"  // 7
    "  - name: GE1/0/1.100\n"                         // 8
    "    parent: GE1/0/1\n"                           // 9
    "    vlan: 100\n"                                 // 10
    "    ipv4: 198.18.100.2/24\n"                     // 11
    "  - name: GE1/0/2\n"                             // 12
    "    devargs: net_af_packet1,iface=b\n"           // 13
    "    vpn-instance: red\n"                         // 14
    "    mac: 02:00:5e:00:00:02\n"                    // 15
    "    ipv4: 198.18.1.2/24\n"                       // 16
    "  - name: GE1/0/3\n"                             // 17
    "    devargs: net_af_packet2,iface=c\n"           // 18
    "    vpn-instance: blue\n"                        // 19
    "    ipv4: [198.18.1.2/24]\n"                     // 20
    "routes:\n"                                       // 21
    "  - vpn-instance: red\n"                         // 22
    "    prefix: 203.0.113.0/24\n"                    // 23
    "    next-hop: 198.18.1.254\n"                    // 24
    "  - prefix: ::/0\n"                              // 25
    "    next-hop: 2001:db8::fe\n"                    // 26
    "ntp:\n"                                          // 27
    "  unicast-servers:\n"                            // 28
    "    - address: 2001:db8::1\n"                    // 29
    "    - address: 198.18.100.1\n"                   // 30
    "    - address: 198.18.1.1\n"                     // 31
    "      vpn-instance: red\n"                       // 32
    "    - address: 198.18.1.1\n"                     // 33
    "      vpn-instance: blue\n"                      // 34
    "      source-interface: GE1/0/3\n"               // 35
    "    - address: 203.0.113.9\n"                    // 36
    "      vpn-instance: red\n"                       // 37
    "    - address: 2001:db8:99::1\n";                // 38

std::string with_line(int n, const std::string& replacement) {
  std::string out;
  int line = 1;
  size_t start = 0;
  const std::string text = kLab;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string current = text.substr(start, end - start);
    if (line == n) {
      if (!replacement.empty()) out += replacement + "\n";
    } else {
      out += current + "\n";
    }
    start = end + 1;
    ++line;
  }
  return out;
}

std::string error_of(const std::string& text) {
  const auto r = load_startup_config_text(text, "n.yaml");
  return r.ok() ? "<ok>" : r.error().to_string();
}

wire::IpAddress ip(const char* text) {
  if (auto v4 = parse_ipv4(text))
    return wire::IpAddress::from(wire::Ipv4Address::from_host_order(*v4));
  wire::Ipv6Address a;
  a.bytes = *parse_ipv6(text);
  return wire::IpAddress::from(a);
}

TEST(NetworkConfig, OldStyleInterfacesVlansVrfsAndRoutesBecomeRunningConfiguration) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const StartupConfig& c = r.value();
  ASSERT_EQ(c.interfaces.size(), 3u);  // ports only
  EXPECT_EQ(c.interfaces[1].name, "GE1/0/2");
  ASSERT_TRUE(c.interfaces[1].mac);
  EXPECT_EQ(c.interfaces[1].mac->bytes[5], 0x02);
  const NtpConfig& run = c.running;
  const InterfaceSettings* ge1 = run.find_interface("GE1/0/1");
  ASSERT_NE(ge1, nullptr);
  ASSERT_EQ(ge1->ipv6.size(), 2u);
  EXPECT_EQ(ge1->ipv6[1].address, "2001:db8:1::2");
  EXPECT_TRUE(ge1->ipv6_enable);
  EXPECT_EQ(run.find_interface("GE1/0/1.100")->dot1q_vid, 100);
  EXPECT_EQ(run.find_interface("GE1/0/2")->vpn_instance, "red");
  ASSERT_EQ(run.static_routes.size(), 2u);
  EXPECT_EQ(run.static_routes[0].vpn_instance, "red");
  EXPECT_EQ(run.static_routes[1].prefix, "::");
  ASSERT_EQ(run.unicast_servers.size(), 6u);
  EXPECT_EQ(run.unicast_servers[0].kind, ServerKind::kIpv6);
  EXPECT_EQ(run.unicast_servers[3].source_interface, "GE1/0/3");
}

// Where an interface sends from (the socket backend binds its client sockets there): its first
// address of the family; none when it has none of that family or is not configured.
TEST(NetworkConfig, PrimaryAddressIsTheFirstOfTheFamily) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const NtpConfig& run = r.value().running;
  EXPECT_EQ(primary_address(run, "GE1/0/1", AddressFamily::kIpv4), ip("198.18.0.2"));
  EXPECT_EQ(primary_address(run, "GE1/0/1", AddressFamily::kIpv6), ip("2001:db8::2"));
  EXPECT_EQ(primary_address(run, "GE1/0/1.100", AddressFamily::kIpv4), ip("198.18.100.2"));
  EXPECT_EQ(primary_address(run, "GE1/0/2", AddressFamily::kIpv6), std::nullopt);
  EXPECT_EQ(primary_address(run, "GE9/9/9", AddressFamily::kIpv4), std::nullopt);
  EXPECT_EQ(primary_ipv4(run, "GE1/0/2"), ip("198.18.1.2").v4);
}

TEST(NetworkConfig, NetworkSpecResolvesAndIsolatesVrfs) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  std::vector<std::string> warnings;
  const l3::NetworkSpec spec = network_spec(r.value(), &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  l3::InterfaceTable interfaces;
  ASSERT_EQ(interfaces.build(spec.interfaces, std::vector<wire::MacAddress>(3)), "");
  l3::RoutingTable routes;
  ASSERT_EQ(routes.build(interfaces, spec.routes), "");
  const l3::VrfId red = *interfaces.vrf_id("red");
  const l3::VrfId blue = *interfaces.vrf_id("blue");
  const l3::Interface* vlan = interfaces.find_by_name("GE1/0/1.100");
  ASSERT_NE(vlan, nullptr);
  EXPECT_EQ(vlan->vlan, 100);
  EXPECT_EQ(routes.lookup(red, ip("198.18.1.1"))->interface,
            interfaces.find_by_name("GE1/0/2")->index);
  EXPECT_EQ(routes.lookup(blue, ip("198.18.1.1"))->interface,
            interfaces.find_by_name("GE1/0/3")->index);
  EXPECT_EQ(routes.lookup(red, ip("203.0.113.9"))->neighbor, ip("198.18.1.254"));
  EXPECT_FALSE(routes.lookup(blue, ip("203.0.113.9")));
  EXPECT_EQ(routes.lookup(l3::kDefaultVrf, ip("198.18.100.1"))->interface, vlan->index);
  EXPECT_EQ(routes.lookup(l3::kDefaultVrf, ip("2001:db8:99::1"))->neighbor, ip("2001:db8::fe"));
}

TEST(NetworkConfig, NtpSourceInterfacesAreThoseServersAreReachedThrough) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  std::vector<std::string> sources = network_spec(r.value()).ntp_source_interfaces;
  std::sort(sources.begin(), sources.end());
  // GE1/0/1 (IPv6 servers), the VLAN for 198.18.100.1, red by route, blue as source-interface.
  EXPECT_EQ(sources, (std::vector<std::string>{"GE1/0/1", "GE1/0/1.100", "GE1/0/2", "GE1/0/3"}));
}

TEST(NetworkConfig, GatewayBecomesADefaultRouteInTheInterfaceVrf) {
  const auto r = load_startup_config_text(
      with_line(16, "    ipv4: 198.18.1.2/24\n    gateway: 198.18.1.254"), "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const l3::NetworkSpec spec = network_spec(r.value());
  ASSERT_EQ(spec.routes.size(), 3u);
  EXPECT_EQ(spec.routes[0].vrf, "red");
  EXPECT_EQ(l3::to_string(spec.routes[0].prefix), "0.0.0.0/0");
}

// What the tables cannot take stays configured but out of the dataplane, with a warning: start-up
// never refuses what `commit` accepted.
TEST(NetworkConfig, WhatTheTablesCannotTakeIsLeftOutWithAWarning) {
  NtpConfig running;
  auto itf = [&running](const char* name, std::optional<int> vid) -> InterfaceSettings& {
    InterfaceSettings& s = running.interface_settings(name);
    s.dot1q_vid = vid;
    return s;
  };
  itf("GE1/0/1", std::nullopt).ipv4.push_back({"198.18.0.2", 24});
  itf("GE1/0/1.7", std::nullopt);  // no dot1q termination vid
  itf("GE1/0/1.8", 9);
  itf("GE1/0/1.9", 9);  // VLAN 9 is taken
  auto route = [&running](const char* prefix, int length, const char* hop) {
    StaticRoute r;
    r.prefix = prefix;
    r.prefix_length = length;
    r.next_hop = hop;
    running.static_routes.push_back(r);
  };
  route("203.0.113.0", 24, "10.9.9.9");  // next hop on no subnet
  route("0.0.0.0", 0, "198.18.0.254");
  InterfaceSection port;
  port.name = "GE1/0/1";
  port.devargs = "net_null0";
  std::vector<std::string> warnings;
  const l3::NetworkSpec spec = network_spec({port}, running, &warnings);
  ASSERT_EQ(spec.interfaces.size(), 2u);
  EXPECT_EQ(spec.interfaces[1].name, "GE1/0/1.8");
  ASSERT_EQ(spec.routes.size(), 1u);
  EXPECT_EQ(l3::to_string(spec.routes[0].prefix), "0.0.0.0/0");
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_NE(warnings[0].find("GE1/0/1.7: no `dot1q termination vid`"), std::string::npos);
  EXPECT_NE(warnings[1].find("GE1/0/1.9"), std::string::npos);
  EXPECT_NE(warnings[2].find("ip route-static 203.0.113.0/24 10.9.9.9: inactive"),
            std::string::npos)
      << warnings[2];
}

TEST(NetworkConfig, PositionedErrors) {
  EXPECT_EQ(error_of(with_line(9, "    parent: GE9/9/9")),
            "n.yaml:8:11: interfaces[1].name: name the sub-interface <parent>.<number> (e.g. "
            "GE9/9/9.100), as `interface` does");
  EXPECT_EQ(error_of(with_line(10, "    vlan: 4095")),
            "n.yaml:8:5: interfaces[1]: a sub-interface needs `parent` and `vlan` (1..4094)");
  EXPECT_EQ(error_of(with_line(10, "    vlan: 100\n    devargs: x")),
            "n.yaml:11:5: interfaces[1].devargs: a sub-interface uses its parent's port: no "
            "devargs");
  EXPECT_EQ(error_of(with_line(15, "    mac: 02:00:5e:00:00")),
            "n.yaml:15:5: interfaces[2].mac: '02:00:5e:00:00' is not a MAC address "
            "(xx:xx:xx:xx:xx:xx)");
  EXPECT_EQ(error_of(with_line(7, "    ipv6: [2001:db8::2/129]")),
            "n.yaml:7:12: interfaces[0].ipv6: '2001:db8::2/129' is not an IPv6 address/prefix");
  EXPECT_EQ(error_of(with_line(7, "    ipv6: 198.18.9.1/24")),
            "n.yaml:7:11: interfaces[0].ipv6: '198.18.9.1/24' is not an IPv6 address/prefix");
  EXPECT_EQ(error_of(with_line(12, "  - name: GE1/0/1")),
            "n.yaml:12:5: interfaces[2].name: interface name used twice");
  EXPECT_EQ(error_of(with_line(26, "    next-hop: 198.18.0.1")),
            "n.yaml:26:15: routes[1].next-hop: '198.18.0.1' is not an address of the prefix's "
            "family");
  // The running part: the commit validator's refusals, at the entry.
  const std::string vpn = error_of(with_line(32, "      vpn-instance: green"));
  EXPECT_EQ(vpn.rfind("n.yaml:31:7: ntp.unicast-servers[2]: ", 0), 0u) << vpn;
  // No route, another VRF's interface, the own address: accepted like a commit, the
  // association is unreachable at run time.
  EXPECT_EQ(error_of(with_line(37, "      vpn-instance: blue")), "<ok>");
  EXPECT_EQ(error_of(with_line(29, "    - address: 2001:db8::2")), "<ok>");
}

}  // namespace
}  // namespace wiretime::config

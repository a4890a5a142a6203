// The multi-interface schema: IPv6, 802.1Q sub-interfaces, vpn-instances, MAC override, static
// routes per VRF and servers per VRF, with positioned errors.
#include <gtest/gtest.h>

#include <string>

#include "config/startup/ip_text.hpp"
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
  return *parse_ip_address(text);
}

TEST(NetworkConfig, LoadsInterfacesVlansVrfsRoutesAndServers) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const StartupConfig& c = r.value();
  ASSERT_EQ(c.interfaces.size(), 4u);
  const InterfaceSection& ge1 = c.interfaces[0];
  EXPECT_TRUE(ge1.is_port());
  EXPECT_TRUE(ge1.has_ipv4);
  EXPECT_EQ(ge1.ipv4.to_string(), "198.18.0.2/24");
  ASSERT_EQ(ge1.addresses.size(), 3u);
  EXPECT_EQ(l3::to_string(ge1.addresses[1]), "2001:db8::2/64");
  EXPECT_EQ(l3::to_string(ge1.addresses[2]), "2001:db8:1::2/64");
  const InterfaceSection& sub = c.interfaces[1];
  EXPECT_FALSE(sub.is_port());
  EXPECT_EQ(sub.parent, "GE1/0/1");
  EXPECT_EQ(sub.vlan, 100);
  EXPECT_TRUE(sub.devargs.empty());
  EXPECT_EQ(c.interfaces[2].vpn_instance, "red");
  EXPECT_EQ(c.interfaces[2].mac, *parse_mac_address("02:00:5e:00:00:02"));
  ASSERT_EQ(c.routes.size(), 2u);
  EXPECT_EQ(c.routes[0].vrf, "red");
  EXPECT_EQ(l3::to_string(c.routes[1].prefix), "::/0");
  ASSERT_EQ(c.ntp.unicast_servers.size(), 6u);
  EXPECT_EQ(c.ntp.unicast_servers[0].ip, ip("2001:db8::1"));
  EXPECT_EQ(c.ntp.unicast_servers[0].address.value, 0u);
  EXPECT_EQ(c.ntp.unicast_servers[1].address.to_string(), "198.18.100.1");
  EXPECT_EQ(c.ntp.unicast_servers[3].source_interface, "GE1/0/3");
  EXPECT_EQ(c.ntp.unicast_servers[2].ip, c.ntp.unicast_servers[3].ip);
}

TEST(NetworkConfig, NetworkSpecResolvesAndIsolatesVrfs) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const l3::NetworkSpec spec = network_spec(r.value());
  l3::InterfaceTable interfaces;
  ASSERT_EQ(interfaces.build(spec.interfaces, std::vector<wire::MacAddress>(3)), "");
  l3::RoutingTable routes;
  ASSERT_EQ(routes.build(interfaces, spec.routes), "");
  const l3::VrfId red = *interfaces.vrf_id("red");
  const l3::VrfId blue = *interfaces.vrf_id("blue");
  EXPECT_EQ(routes.lookup(red, ip("198.18.1.1"))->interface, 2);
  EXPECT_EQ(routes.lookup(blue, ip("198.18.1.1"))->interface, 3);
  EXPECT_EQ(routes.lookup(red, ip("203.0.113.9"))->neighbor, ip("198.18.1.254"));
  EXPECT_FALSE(routes.lookup(blue, ip("203.0.113.9")));
  EXPECT_EQ(routes.lookup(l3::kDefaultVrf, ip("198.18.100.1"))->interface, 1);
  EXPECT_EQ(routes.lookup(l3::kDefaultVrf, ip("2001:db8:99::1"))->neighbor, ip("2001:db8::fe"));
}

TEST(NetworkConfig, NtpSourceInterfacesAreThoseServersAreReachedThrough) {
  const auto r = load_startup_config_text(kLab, "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  // GE1/0/1 (IPv6 servers), the VLAN for 198.18.100.1, red by route, blue as source-interface.
  EXPECT_EQ(network_spec(r.value()).ntp_source_interfaces,
            (std::vector<std::string>{"GE1/0/1", "GE1/0/1.100", "GE1/0/2", "GE1/0/3"}));
}

TEST(NetworkConfig, GatewayBecomesADefaultRouteInTheInterfaceVrf) {
  const auto r = load_startup_config_text(
      with_line(16, "    ipv4: 198.18.1.2/24\n    gateway: 198.18.1.254"), "n.yaml");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  const l3::NetworkSpec spec = network_spec(r.value());
  ASSERT_EQ(spec.routes.size(), 3u);
  EXPECT_EQ(spec.routes[0].vrf, "red");
  EXPECT_EQ(l3::to_string(spec.routes[0].prefix), "0.0.0.0/0");
  EXPECT_EQ(spec.routes[0].interface, "GE1/0/2");
}

TEST(NetworkConfig, PositionedErrors) {
  EXPECT_EQ(error_of(with_line(9, "    parent: GE9/9/9")),
            "n.yaml:8:5: interfaces[1]: GE1/0/1.100: parent GE9/9/9 is not an interface");
  EXPECT_EQ(error_of(with_line(9, "")),
            "n.yaml:9:5: interfaces[1].vlan: a VLAN needs a 'parent' interface (this one is a "
            "port)");
  EXPECT_EQ(error_of(with_line(10, "")),
            "n.yaml:9:5: interfaces[1].parent: a sub-interface needs a 'vlan' (1..4094)");
  EXPECT_EQ(error_of(with_line(10, "    vlan: 4095")),
            "n.yaml:10:5: interfaces[1].vlan: '4095' is out of range 1..4094");
  EXPECT_EQ(error_of(with_line(10, "    vlan: 100\n    devargs: x")),
            "n.yaml:11:5: interfaces[1].devargs: a sub-interface uses its parent's port: no "
            "devargs");
  EXPECT_EQ(error_of(with_line(15, "    mac: 02:00:5e:00:00")),
            "n.yaml:15:5: interfaces[2].mac: '02:00:5e:00:00' is not a MAC address "
            "(xx:xx:xx:xx:xx:xx)");
  EXPECT_EQ(error_of(with_line(15, "    mac: 01:00:5e:00:00:01")),
            "n.yaml:15:5: interfaces[2].mac: '01:00:5e:00:00:01' is not a unicast MAC address");
  EXPECT_EQ(error_of(with_line(7, "    ipv6: [2001:db8::2/129]")),
            "n.yaml:7:12: interfaces[0].ipv6[0]: '2001:db8::2/129' is not an IPv6 address/prefix");
  EXPECT_EQ(error_of(with_line(7, "    ipv6: 198.18.9.1/24")),
            "n.yaml:7:5: interfaces[0].ipv6: '198.18.9.1/24' is not an IPv6 address/prefix");
  EXPECT_EQ(error_of(with_line(12, "  - name: GE1/0/1")),
            "n.yaml:12:5: interfaces[2]: interface name GE1/0/1 is used twice");
  EXPECT_EQ(error_of(with_line(24, "    next-hop: 198.18.0.1")),
            "n.yaml:22:5: routes[0]: static route 203.0.113.0/24 in vpn-instance red: next hop "
            "198.18.0.1 is not on-link");
  EXPECT_EQ(error_of(with_line(26, "    next-hop: 198.18.0.1")),
            "n.yaml:26:5: routes[1].next-hop: is not of the prefix's address family");
  EXPECT_EQ(error_of(with_line(32, "      vpn-instance: green")),
            "n.yaml:32:7: ntp.unicast-servers[2].vpn-instance: no interface is bound to "
            "vpn-instance green");
  EXPECT_EQ(error_of(with_line(35, "      source-interface: GE1/0/2")),
            "n.yaml:35:7: ntp.unicast-servers[3].source-interface: GE1/0/2 is not in "
            "vpn-instance blue");
  EXPECT_EQ(error_of(with_line(37, "      vpn-instance: blue")),
            "n.yaml:36:7: ntp.unicast-servers[4].address: 203.0.113.9 has no route in "
            "vpn-instance blue");
  // Isolation: the red server's address is not reachable from the public network.
  EXPECT_EQ(error_of(with_line(32, "")),
            "n.yaml:31:7: ntp.unicast-servers[2].address: 198.18.1.1 has no route in the "
            "public network");
  EXPECT_EQ(error_of(with_line(29, "    - address: 2001:db8::2")),
            "n.yaml:29:7: ntp.unicast-servers[0].address: is the address of interface GE1/0/1");
}

TEST(NetworkConfig, TextParsers) {
  EXPECT_EQ(l3::to_string(*parse_ip_address("2001:DB8::0:1")), "2001:db8::1");
  EXPECT_FALSE(parse_ip_address("2001:db8::1%eth0"));
  EXPECT_FALSE(parse_ip_address("[2001:db8::1]"));
  EXPECT_FALSE(parse_ip_address("198.018.0.1"));
  EXPECT_FALSE(parse_ip_prefix("2001:db8::/064"));
  EXPECT_EQ(parse_ip_prefix("::/0")->length, 0);
  EXPECT_FALSE(parse_mac_address("02-00-00-00-00-01"));
  EXPECT_EQ(parse_mac_address("0A:0b:00:00:00:01")->bytes[0], 0x0a);
}

}  // namespace
}  // namespace wiretime::config

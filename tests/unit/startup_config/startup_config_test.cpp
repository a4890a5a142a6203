#include "config/startup/startup_config.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace wiretime::config {
namespace {

// Line numbers in the tests below refer to this document (1-based).
const char* const kValid =
    "dataplane:\n"                                                                         // 1
    "  eal: [\"--no-huge\", \"--no-pci\", \"-m\", \"256\", \"--file-prefix\", \"wt1\"]\n"  // 2
    "  lcore: 1\n"                                                                         // 3
    "interfaces:\n"                                                                        // 4
    "  - name: GE1/0/1\n"                                                                  // 5
    "    devargs: net_af_packet0,iface=veth-wt\n"                                          // 6
    "    ipv4: 198.18.0.2/24\n"                                                            // 7
    "    gateway: 198.18.0.254\n"                                                          // 8
    "clock:\n"                                                                             // 9
    "  driver: virtual\n"                                                                  // 10
    "  test-initial-offset-ns: -250000\n"                                                  // 11
    "  test-initial-frequency-ppb: 12.5\n"                                                 // 12
    "log:\n"                                                                               // 13
    "  level: debug\n"                                                                     // 14
    "  measurements: /tmp/m.log\n"                                                         // 15
    "ntp:\n"                                                                               // 16
    "  unicast-servers:\n"                                                                 // 17
    "    - address: 198.18.0.1\n"                                                          // 18
    "      port: 1123\n"                                                                   // 19
    "      minpoll: 0\n"                                                                   // 20
    "      maxpoll: 10\n";                                                                 // 21

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// kValid with line `n` (1-based) replaced; an empty replacement deletes the line.
std::string with_line(int n, const std::string& replacement) {
  auto lines = lines_of(kValid);
  if (replacement.empty()) {
    lines.erase(lines.begin() + (n - 1));
  } else {
    lines[static_cast<size_t>(n - 1)] = replacement;
  }
  return join(lines);
}

std::string error_of(const std::string& text) {
  const auto result = load_startup_config_text(text, "t.yaml");
  if (result.ok()) return "<ok>";
  return result.error().to_string();
}

TEST(StartupConfig, LoadsEveryField) {
  const auto result = load_startup_config_text(kValid, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const StartupConfig& c = result.value();
  EXPECT_EQ(c.dataplane.eal_args, (std::vector<std::string>{"--no-huge", "--no-pci", "-m", "256",
                                                            "--file-prefix", "wt1"}));
  EXPECT_EQ(c.dataplane.lcore, 1u);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_EQ(c.interfaces[0].name, "GE1/0/1");
  EXPECT_EQ(c.interfaces[0].devargs, "net_af_packet0,iface=veth-wt");
  EXPECT_FALSE(c.interfaces[0].port_index);
  EXPECT_EQ(c.interfaces[0].ipv4.to_string(), "198.18.0.2/24");
  ASSERT_TRUE(c.interfaces[0].gateway);
  EXPECT_EQ(c.interfaces[0].gateway->to_string(), "198.18.0.254");
  EXPECT_EQ(c.clock.driver, ClockDriver::kVirtual);
  EXPECT_EQ(c.clock.test_initial_offset_ns, -250000);
  EXPECT_DOUBLE_EQ(c.clock.test_initial_frequency_ppb, 12.5);
  EXPECT_EQ(c.log.level, LogLevel::kDebug);
  EXPECT_EQ(c.log.measurements, "/tmp/m.log");
  ASSERT_EQ(c.ntp.unicast_servers.size(), 1u);
  EXPECT_EQ(c.ntp.unicast_servers[0].address.to_string(), "198.18.0.1");
  EXPECT_EQ(c.ntp.unicast_servers[0].port, 1123);
  EXPECT_EQ(c.ntp.unicast_servers[0].minpoll, 0);
  EXPECT_EQ(c.ntp.unicast_servers[0].maxpoll, 10);
}

TEST(StartupConfig, OptionalSectionsTakeDefaults) {
  const std::string text =
      "dataplane:\n  eal: []\ninterfaces:\n  - {name: p0, devargs: 0, ipv4: 10.0.0.2/8}\n";
  const auto result = load_startup_config_text(text, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const StartupConfig& c = result.value();
  EXPECT_TRUE(c.dataplane.eal_args.empty());
  EXPECT_FALSE(c.dataplane.lcore);
  EXPECT_EQ(c.dataplane.idle_sleep_us, 0u);
  EXPECT_EQ(c.interfaces[0].port_index, 0);
  EXPECT_TRUE(c.interfaces[0].devargs.empty());
  EXPECT_FALSE(c.interfaces[0].gateway);
  EXPECT_EQ(c.clock.test_initial_offset_ns, 0);
  EXPECT_EQ(c.log.level, LogLevel::kInfo);
  EXPECT_TRUE(c.log.measurements.empty());
  EXPECT_TRUE(c.ntp.unicast_servers.empty());
}

TEST(StartupConfig, ServerDefaultsAreVrpDefaults) {
  const auto result = load_startup_config_text(with_line(19, "") /* port */, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result.value().ntp.unicast_servers[0].port, 123);
  const std::string text =
      join({"dataplane: {eal: []}", "interfaces: [{name: a, devargs: x, ipv4: 10.0.0.2/24}]",
            "ntp: {unicast-servers: [{address: 10.0.0.1}]}"});
  const auto defaults = load_startup_config_text(text, "t.yaml");
  ASSERT_TRUE(defaults.ok()) << defaults.error().to_string();
  EXPECT_EQ(defaults.value().ntp.unicast_servers[0].minpoll, 6);
  EXPECT_EQ(defaults.value().ntp.unicast_servers[0].maxpoll, 10);
}

TEST(StartupConfig, ErrorNamesFileLineColumnAndPath) {
  EXPECT_EQ(error_of(with_line(7, "    ipv4: 198.18.0.300/24")),
            "t.yaml:7:5: interfaces[0].ipv4: '198.18.0.300/24' is not an IPv4 address/prefix");
}

TEST(StartupConfig, InvalidYamlSyntax) {
  const std::string error = error_of(with_line(3, "  lcore: [1"));
  EXPECT_EQ(error.rfind("t.yaml:4:", 0), 0u) << error;  // yaml-cpp notices at the next line
  EXPECT_NE(error.find("invalid YAML"), std::string::npos) << error;
  const std::string tab = error_of(with_line(10, "\tdriver: virtual"));
  EXPECT_NE(tab.find("invalid YAML"), std::string::npos) << tab;
}

TEST(StartupConfig, UnknownKeys) {
  EXPECT_EQ(error_of(with_line(7, "    ipv44: 198.18.0.2/24")),
            "t.yaml:7:5: interfaces[0].ipv44: unknown key (expected one of: name, devargs, parent, "
            "vlan, vpn-instance, mac, ipv4, ipv6, gateway)");
  EXPECT_EQ(
      error_of(std::string(kValid) + "extra: 1\n"),
      "t.yaml:22:1: extra: unknown key (expected one of: dataplane, interfaces, routes, clock, "
      "log, ntp)");
  EXPECT_EQ(error_of(with_line(20, "      min-poll: 0")),
            "t.yaml:20:7: ntp.unicast-servers[0].min-poll: unknown key (expected one of: address, "
            "port, minpoll, maxpoll, vpn-instance, source-interface, version, "
            "authentication-keyid, preferred, burst, iburst, preempt, interleaved)");
  EXPECT_EQ(error_of(std::string(kValid).substr(0, std::string(kValid).find("ntp:")) +
                     "ntp:\n  max-distanse: 2\n"),
            "t.yaml:17:3: ntp.max-distanse: unknown key");
}

// What `commit` writes (config/ntp_config's schema) starts the daemon; its errors are placed.
TEST(StartupConfig, NtpSectionTakesTheCommittedSchema) {
  const std::string head = std::string(kValid).substr(0, std::string(kValid).find("ntp:"));
  const std::string committed = head +
                                "ntp:\n"
                                "  server-disable: true\n"
                                "  ipv6-server-disable: true\n"
                                "  unicast-servers:\n"
                                "    - address: 198.18.0.1\n"
                                "      minpoll: 3\n"
                                "      iburst: true\n"
                                "      preferred: true\n"
                                "  source-interfaces:\n"
                                "    - interface: GE1/0/1\n"
                                "  unsync-max-poll-interval:\n"
                                "    poll-interval: 7\n"
                                "    dec-step: 6\n"
                                "  max-distance: 3\n";
  const auto result = load_startup_config_text(committed, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  ASSERT_EQ(result.value().ntp.unicast_servers.size(), 1u);
  EXPECT_EQ(result.value().ntp.unicast_servers[0].minpoll, 3);
  std::string bad = committed;
  bad.replace(bad.find("max-distance: 3"), 15, "max-distance: 30");
  EXPECT_EQ(error_of(bad), "t.yaml:29:17: ntp.max-distance: '30' is out of range 1-16");
}

TEST(StartupConfig, DuplicateKey) {
  EXPECT_EQ(error_of(with_line(15, "  level: info")), "t.yaml:15:3: log.level: duplicate key");
}

TEST(StartupConfig, MissingKeys) {
  EXPECT_EQ(error_of(with_line(7, "")), "t.yaml:5:5: interfaces[0]: missing required key 'ipv4'");
  EXPECT_EQ(error_of(with_line(2, "")), "t.yaml:1:1: dataplane: missing required key 'eal'");
  EXPECT_EQ(error_of(with_line(18, "    -")),
            "t.yaml:19:7: ntp.unicast-servers[0]: missing required key 'address'");
  EXPECT_EQ(error_of("dataplane: {eal: []}\n"), "t.yaml:1:1: missing required key 'interfaces'");
}

TEST(StartupConfig, WrongTypes) {
  EXPECT_EQ(error_of(with_line(3, "  lcore: abc")),
            "t.yaml:3:3: dataplane.lcore: 'abc' is not an integer");
  EXPECT_EQ(error_of(with_line(3, "  lcore:")),
            "t.yaml:3:3: dataplane.lcore: expected an integer, found nothing");
  EXPECT_EQ(error_of(with_line(2, "  eal: --no-huge")),
            "t.yaml:2:3: dataplane.eal: expected a sequence, found a scalar");
  EXPECT_EQ(error_of(with_line(2, "  eal: [[a]]")),
            "t.yaml:2:9: dataplane.eal[0]: expected a string, found a sequence");
  EXPECT_EQ(error_of(with_line(12, "  test-initial-frequency-ppb: fast")),
            "t.yaml:12:3: clock.test-initial-frequency-ppb: 'fast' is not a number");
  EXPECT_EQ(error_of(with_line(19, "      port: 12.5")),
            "t.yaml:19:7: ntp.unicast-servers[0].port: '12.5' is not an integer");
  EXPECT_EQ(error_of("- a\n- b\n"), "t.yaml:1:1: expected a mapping, found a sequence");
  EXPECT_EQ(error_of("dataplane: {eal: []}\ninterfaces: GE1/0/1\n"),
            "t.yaml:2:1: interfaces: expected a sequence, found a scalar");
}

TEST(StartupConfig, OutOfRangeValues) {
  EXPECT_EQ(error_of(with_line(19, "      port: 0")),
            "t.yaml:19:7: ntp.unicast-servers[0].port: '0' is out of range 1..65535");
  EXPECT_EQ(error_of(with_line(20, "      minpoll: -5")),
            "t.yaml:20:7: ntp.unicast-servers[0].minpoll: '-5' is out of range -4..17");
  EXPECT_EQ(error_of(with_line(21, "      maxpoll: 99999999999999999999")),
            "t.yaml:21:7: ntp.unicast-servers[0].maxpoll: '99999999999999999999' is out of range "
            "-4..17");
  EXPECT_EQ(error_of(with_line(21, "      maxpoll: -1")),
            "t.yaml:21:7: ntp.unicast-servers[0].maxpoll: maxpoll -1 is below minpoll 0");
  EXPECT_EQ(error_of(with_line(3, "  lcore: -1")),
            "t.yaml:3:3: dataplane.lcore: '-1' is out of range 0..1023");
}

TEST(StartupConfig, BadValues) {
  EXPECT_EQ(error_of(with_line(8, "    gateway: 198.18.1.254")),
            "t.yaml:8:5: interfaces[0].gateway: 198.18.1.254 is not inside 198.18.0.2/24");
  EXPECT_EQ(error_of(with_line(8, "    gateway: 198.18.0.2")),
            "t.yaml:8:5: interfaces[0].gateway: is the interface's own address");
  EXPECT_EQ(error_of(with_line(7, "    ipv4: 198.18.0.0/24")),
            "t.yaml:7:5: interfaces[0].ipv4: '198.18.0.0/24' is the network or broadcast address "
            "of its prefix");
  EXPECT_EQ(error_of(with_line(10, "  driver: phc")),
            "t.yaml:10:3: clock.driver: unknown clock driver 'phc' (supported: virtual)");
  EXPECT_EQ(error_of(with_line(14, "  level: verbose")),
            "t.yaml:14:3: log.level: unknown log level 'verbose' (error, warning, info, debug)");
  EXPECT_EQ(error_of(with_line(18, "    - address: 2001:db8::1::2")),
            "t.yaml:18:7: ntp.unicast-servers[0].address: '2001:db8::1::2' is not an IPv4 or IPv6 "
            "address");
  EXPECT_EQ(error_of(with_line(5, "  - name: ''")),
            "t.yaml:5:5: interfaces[0].name: must not be empty");
}

TEST(StartupConfig, ServerMustBeReachable) {
  EXPECT_EQ(error_of(with_line(18, "    - address: 198.19.0.1")), "<ok>");  // via the gateway
  auto lines = lines_of(with_line(18, "    - address: 198.19.0.1"));
  lines.erase(lines.begin() + 7);  // the gateway
  EXPECT_EQ(error_of(join(lines)),
            "t.yaml:17:7: ntp.unicast-servers[0].address: 198.19.0.1 is outside GE1/0/1's subnet "
            "198.18.0.2/24 and the interface has no gateway");
  EXPECT_EQ(error_of(with_line(18, "    - address: 198.18.0.2")),
            "t.yaml:18:7: ntp.unicast-servers[0].address: is the address of interface GE1/0/1");
}

TEST(StartupConfig, IdleSleep) {
  const auto result = load_startup_config_text(with_line(3, "  idle-sleep-us: 20"), "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result.value().dataplane.idle_sleep_us, 20u);
  EXPECT_EQ(error_of(with_line(3, "  idle-sleep-us: 5000")),
            "t.yaml:3:3: dataplane.idle-sleep-us: '5000' is out of range 0..1000");
}

TEST(StartupConfig, InterleavedStoreEntries) {
  const auto defaults = load_startup_config_text(with_line(3, "  idle-sleep-us: 0"), "t.yaml");
  ASSERT_TRUE(defaults.ok()) << defaults.error().to_string();
  EXPECT_EQ(defaults.value().dataplane.interleaved_store_entries, 4096u);
  for (const size_t n : {size_t{0}, size_t{16}, size_t{65536}, size_t{1} << 24}) {
    const auto r = load_startup_config_text(
        with_line(3, "  interleaved-store-entries: " + std::to_string(n)), "t.yaml");
    ASSERT_TRUE(r.ok()) << n << ": " << r.error().to_string();
    EXPECT_EQ(r.value().dataplane.interleaved_store_entries, n);
  }
  EXPECT_EQ(error_of(with_line(3, "  interleaved-store-entries: 5000")),
            "t.yaml:3:3: dataplane.interleaved-store-entries: '5000' is not 0 (off) or a power "
            "of two from 16 to 16777216");
  EXPECT_EQ(error_of(with_line(3, "  interleaved-store-entries: 8")),
            "t.yaml:3:3: dataplane.interleaved-store-entries: '8' is not 0 (off) or a power of "
            "two from 16 to 16777216");
  EXPECT_EQ(error_of(with_line(3, "  interleaved-store-entries: 33554432")),
            "t.yaml:3:3: dataplane.interleaved-store-entries: '33554432' is out of range "
            "0..16777216");
  EXPECT_EQ(error_of(with_line(3, "  interleaved-store-entries: -1")),
            "t.yaml:3:3: dataplane.interleaved-store-entries: '-1' is out of range 0..16777216");
}

TEST(StartupConfig, PacketSocketStamps) {
  const auto defaults = load_startup_config_text(with_line(3, "  idle-sleep-us: 0"), "t.yaml");
  ASSERT_TRUE(defaults.ok()) << defaults.error().to_string();
  EXPECT_TRUE(defaults.value().dataplane.packet_socket_stamps);
  const auto off =
      load_startup_config_text(with_line(3, "  packet-socket-stamps: false"), "t.yaml");
  ASSERT_TRUE(off.ok()) << off.error().to_string();
  EXPECT_FALSE(off.value().dataplane.packet_socket_stamps);
  EXPECT_EQ(error_of(with_line(3, "  packet-socket-stamps: yes")),
            "t.yaml:3:3: dataplane.packet-socket-stamps: 'yes' is not true or false");
  EXPECT_EQ(error_of(with_line(3, "  packet-socket-stamps: [true]")),
            "t.yaml:3:3: dataplane.packet-socket-stamps: expected true or false, found a sequence");
}

TEST(StartupConfig, InterleavedServer) {
  const auto on = load_startup_config_text(with_line(20, "      interleaved: true"), "t.yaml");
  ASSERT_TRUE(on.ok()) << on.error().to_string();
  ASSERT_EQ(on.value().ntp.unicast_servers.size(), 1u);
  EXPECT_TRUE(on.value().ntp.unicast_servers[0].interleaved);
  EXPECT_EQ(error_of(with_line(20, "      interleaved: 1")),
            "t.yaml:20:7: ntp.unicast-servers[0].interleaved: '1' is not true or false");
}

TEST(StartupConfig, EmptyDocument) {
  EXPECT_EQ(error_of(""), "t.yaml: the file is empty");
  EXPECT_EQ(error_of("# only a comment\n"), "t.yaml: the file is empty");
}

TEST(StartupConfig, MissingFile) {
  const auto result = load_startup_config_file("/nonexistent/wiretimed.yaml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().to_string(), "/nonexistent/wiretimed.yaml: cannot open the file");
}

TEST(StartupConfig, ShippedExampleLoads) {
  const auto result = load_startup_config_file(WIRETIME_EXAMPLES_DIR "/wiretimed.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  EXPECT_EQ(result.value().ntp.unicast_servers.size(), 1u);
}

}  // namespace
}  // namespace wiretime::config

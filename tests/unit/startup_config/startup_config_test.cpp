#include "config/startup/startup_config.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::config {
namespace {

// Line numbers in the tests below refer to this document (1-based): the inventory, then the
// running configuration in the schema `commit` writes.
const char* const kValid =
    "dataplane:\n"                                                                         // 1
    "  eal: [\"--no-huge\", \"--no-pci\", \"-m\", \"256\", \"--file-prefix\", \"wt1\"]\n"  // 2
    "  lcore: 1\n"                                                                         // 3
    "interfaces:\n"                                                                        // 4
    "  - name: GE1/0/1\n"                                                                  // 5
    "    devargs: net_af_packet0,iface=veth-wt\n"                                          // 6
    "    mac: 02:00:5e:00:00:02\n"                                                         // 7
    "clock:\n"                                                                             // 8
    "  driver: virtual\n"                                                                  // 9
    "  test-initial-offset-ns: -250000\n"                                                  // 10
    "  test-initial-frequency-ppb: 12.5\n"                                                 // 11
    "log:\n"                                                                               // 12
    "  level: debug\n"                                                                     // 13
    "  measurements: /tmp/m.log\n"                                                         // 14
    "ntp:\n"                                                                               // 15
    "  interfaces:\n"                                                                      // 16
    "    - name: GE1/0/1\n"                                                                // 17
    "      ipv4-addresses: [198.18.0.2/24]\n"                                              // 18
    "  static-routes:\n"                                                                   // 19
    "    - {prefix: 0.0.0.0/0, next-hop: 198.18.0.254}\n"                                  // 20
    "  unicast-servers:\n"                                                                 // 21
    "    - address: 198.18.0.1\n"                                                          // 22
    "      port: 1123\n"                                                                   // 23
    "      minpoll: 0\n"                                                                   // 24
    "      maxpoll: 10\n";                                                                 // 25

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
  EXPECT_EQ(c.dataplane.backend, BackendKind::kDpdk);
  ASSERT_EQ(c.interfaces.size(), 1u);
  EXPECT_EQ(c.interfaces[0].name, "GE1/0/1");
  EXPECT_EQ(c.interfaces[0].devargs, "net_af_packet0,iface=veth-wt");
  EXPECT_FALSE(c.interfaces[0].port_index);
  ASSERT_TRUE(c.interfaces[0].mac);
  EXPECT_EQ(c.interfaces[0].mac->bytes[5], 0x02);
  EXPECT_EQ(c.clock.driver, ClockDriver::kVirtual);
  EXPECT_EQ(c.clock.test_initial_offset_ns, -250000);
  EXPECT_DOUBLE_EQ(c.clock.test_initial_frequency_ppb, 12.5);
  EXPECT_EQ(c.log.level, LogLevel::kDebug);
  EXPECT_EQ(c.log.measurements, "/tmp/m.log");
  // The running part is the model `commit` edits, typed the same way.
  ASSERT_EQ(c.running.unicast_servers.size(), 1u);
  EXPECT_EQ(c.running.unicast_servers[0].address, "198.18.0.1");
  EXPECT_EQ(c.running.unicast_servers[0].port, 1123);
  EXPECT_EQ(c.running.unicast_servers[0].minpoll, 0);
  ASSERT_EQ(c.running.interfaces.size(), 1u);
  EXPECT_EQ(c.running.interfaces[0].ipv4[0].address, "198.18.0.2");
  ASSERT_EQ(c.running.static_routes.size(), 1u);
  EXPECT_EQ(c.running.static_routes[0].next_hop, "198.18.0.254");
  EXPECT_TRUE(c.legacy_moves.empty());
  EXPECT_TRUE(c.inventory().contains("GE1/0/1"));
}

TEST(StartupConfig, DaemonKeysAreSchemaKeys) {
  const std::string text =
      join({"dataplane: {eal: [], backend: socket}", "interfaces: [{name: p0, devargs: 0}]",
            "clock: {driver: system, shm-path: /tmp/c.shm, "
            "chrony-sock: /tmp/c.sock}",
            "log: {tracking: /tmp/t.log}", "ntp: {key-file: /tmp/k.keys}"});
  const auto result = load_startup_config_text(text, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const StartupConfig& c = result.value();
  EXPECT_EQ(c.dataplane.backend, BackendKind::kSocket);
  EXPECT_EQ(c.clock.driver, ClockDriver::kSystem);
  EXPECT_EQ(c.clock.shm_path, "/tmp/c.shm");
  EXPECT_EQ(c.clock.chrony_sock, "/tmp/c.sock");
  EXPECT_EQ(c.log.tracking, "/tmp/t.log");
  EXPECT_EQ(c.running.key_file, "/tmp/k.keys");
  EXPECT_EQ(error_of(with_line(3, "  backend: kernel")),
            "t.yaml:3:3: dataplane.backend: unknown backend 'kernel' (dpdk, socket)");
}

TEST(StartupConfig, OptionalSectionsTakeDefaults) {
  const std::string text = "dataplane:\n  eal: []\ninterfaces:\n  - {name: p0, devargs: 0}\n";
  const auto result = load_startup_config_text(text, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const StartupConfig& c = result.value();
  EXPECT_TRUE(c.dataplane.eal_args.empty());
  EXPECT_FALSE(c.dataplane.lcore);
  EXPECT_EQ(c.dataplane.idle_sleep_us, 0u);
  EXPECT_EQ(c.interfaces[0].port_index, 0);
  EXPECT_TRUE(c.interfaces[0].devargs.empty());
  EXPECT_EQ(c.clock.test_initial_offset_ns, 0);
  EXPECT_EQ(c.log.level, LogLevel::kInfo);
  EXPECT_TRUE(c.log.measurements.empty());
  EXPECT_EQ(c.running, NtpConfig{});
}

TEST(StartupConfig, ErrorNamesFileLineColumnAndPath) {
  EXPECT_EQ(error_of(with_line(18, "      ipv4-addresses: [198.18.0.300/24]")),
            "t.yaml:18:24: ntp.interfaces[0].ipv4-addresses[0]: '198.18.0.300/24' is not an "
            "address/prefix-length");
}

TEST(StartupConfig, InvalidYamlSyntax) {
  const std::string error = error_of(with_line(3, "  lcore: [1"));
  EXPECT_EQ(error.rfind("t.yaml:4:", 0), 0u) << error;  // yaml-cpp notices at the next line
  EXPECT_NE(error.find("invalid YAML"), std::string::npos) << error;
  const std::string tab = error_of(with_line(9, "\tdriver: virtual"));
  EXPECT_NE(tab.find("invalid YAML"), std::string::npos) << tab;
}

TEST(StartupConfig, UnknownKeys) {
  EXPECT_EQ(error_of(with_line(7, "    macc: 02:00:5e:00:00:02")),
            "t.yaml:7:5: interfaces[0].macc: unknown key (expected one of: name, devargs, mac, "
            "ipv4, ipv6, gateway, parent, vpn-instance, vlan)");
  EXPECT_EQ(
      error_of(std::string(kValid) + "extra: 1\n"),
      "t.yaml:26:1: extra: unknown key (expected one of: dataplane, interfaces, routes, clock, "
      "log, ntp)");
  EXPECT_EQ(error_of(with_line(24, "      min-poll: 0")),
            "t.yaml:24:7: ntp.unicast-servers[0].min-poll: unknown key");
  EXPECT_EQ(error_of(std::string(kValid) + "  max-distanse: 2\n"),
            "t.yaml:26:3: ntp.max-distanse: unknown key");
}

TEST(StartupConfig, DuplicateKey) {
  EXPECT_EQ(error_of(with_line(14, "  level: info")), "t.yaml:14:3: log.level: duplicate key");
}

TEST(StartupConfig, MissingKeys) {
  EXPECT_EQ(error_of(with_line(6, "")),
            "t.yaml:5:5: interfaces[0]: missing required key 'devargs'");
  EXPECT_EQ(error_of(with_line(2, "")), "t.yaml:1:1: dataplane: missing required key 'eal'");
  EXPECT_EQ(error_of("dataplane: {eal: []}\n"), "t.yaml:1:1: missing required key 'interfaces'");
  EXPECT_EQ(error_of("dataplane: {eal: []}\ninterfaces: []\n"),
            "t.yaml:2:1: interfaces: at least one port interface is required");
}

TEST(StartupConfig, WrongTypes) {
  EXPECT_EQ(error_of(with_line(3, "  lcore: abc")),
            "t.yaml:3:3: dataplane.lcore: 'abc' is not an integer");
  EXPECT_EQ(error_of(with_line(2, "  eal: --no-huge")),
            "t.yaml:2:3: dataplane.eal: expected a sequence, found a scalar");
  EXPECT_EQ(error_of(with_line(11, "  test-initial-frequency-ppb: fast")),
            "t.yaml:11:3: clock.test-initial-frequency-ppb: 'fast' is not a number");
  EXPECT_EQ(error_of("- a\n- b\n"), "t.yaml:1:1: expected a mapping, found a sequence");
  EXPECT_EQ(error_of("dataplane: {eal: []}\ninterfaces: GE1/0/1\n"),
            "t.yaml:2:1: interfaces: expected a sequence, found a scalar");
}

TEST(StartupConfig, BadValues) {
  EXPECT_EQ(error_of(with_line(9, "  driver: phc")),
            "t.yaml:9:3: clock.driver: unknown clock driver 'phc' (virtual, system)");
  EXPECT_EQ(error_of(with_line(13, "  level: verbose")),
            "t.yaml:13:3: log.level: unknown log level 'verbose' (error, warning, info, debug)");
  EXPECT_EQ(error_of(with_line(5, "  - name: ''")),
            "t.yaml:5:5: interfaces[0].name: '' is not an interface name");
  EXPECT_EQ(error_of(with_line(7, "    mac: 01:00:5e:00:00:02")),
            "t.yaml:7:5: interfaces[0].mac: '01:00:5e:00:00:02' is not a unicast MAC address");
  EXPECT_EQ(error_of(with_line(25, "      maxpoll: -1")),
            "t.yaml:22:7: ntp.unicast-servers[0]: minpoll must not exceed maxpoll");
}

// Start-up checks the running part with validate_ntp_config, the function `commit` runs,
// and points at the entry it refuses.
TEST(StartupConfig, RunningPartIsCheckedByTheCommitValidator) {
  const std::string error = error_of(with_line(25, "      vpn-instance: blue"));
  EXPECT_EQ(error.rfind("t.yaml:22:7: ntp.unicast-servers[0]: ", 0), 0u) << error;
  EXPECT_NE(error.find("VPN instance"), std::string::npos) << error;
  const std::string missing = error_of(with_line(17, "    - name: GE9/9/9"));
  EXPECT_EQ(missing.rfind("t.yaml:17:7: ntp.interfaces[0]: ", 0), 0u) << missing;
}

// A server without a route is accepted, as `commit` accepts it: the association is placed
// unreachable at run time (issue 10, "an accepted commit always restarts").
TEST(StartupConfig, AServerWithoutARouteIsAcceptedLikeACommit) {
  EXPECT_EQ(error_of(with_line(20, "    - {prefix: 203.0.113.0/24, next-hop: 198.18.0.254}")),
            "<ok>");
  EXPECT_EQ(error_of(with_line(22, "    - address: 198.18.0.2")), "<ok>");  // own address
  EXPECT_EQ(error_of(with_line(20, "")), "<ok>");  // outside the subnet, no gateway
}

// Old-style files (L3 in `interfaces:`, a `routes:` list) load: the keys become running
// configuration, each move listed for the log.
TEST(StartupConfig, OldStyleFileLoadsWithItsL3MovedIntoTheRunningConfiguration) {
  const std::string text =
      join({"dataplane: {eal: []}", "interfaces:", "  - name: GE1/0/1", "    devargs: net_null0",
            "    ipv4: 198.18.0.2/24", "    gateway: 198.18.0.254", "  - name: GE1/0/1.100",
            "    parent: GE1/0/1", "    vlan: 100", "    vpn-instance: blue",
            "    ipv4: 198.18.100.2/24", "    ipv6: 2001:db8:100::2/64", "routes:",
            "  - {prefix: 203.0.113.0/24, next-hop: 198.18.100.1, "
            "vpn-instance: blue}",
            "ntp:", "  unicast-servers:", "    - {address: 203.0.113.9, vpn-instance: blue}"});
  const auto result = load_startup_config_text(text, "t.yaml");
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const StartupConfig& c = result.value();
  ASSERT_EQ(c.interfaces.size(), 1u);  // the sub-interface is no hardware
  const NtpConfig& r = c.running;
  ASSERT_NE(r.find_interface("GE1/0/1"), nullptr);
  EXPECT_EQ(r.find_interface("GE1/0/1")->ipv4[0].address, "198.18.0.2");
  const InterfaceSettings* sub = r.find_interface("GE1/0/1.100");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->dot1q_vid, 100);
  EXPECT_EQ(sub->vpn_instance, "blue");
  EXPECT_TRUE(sub->ipv6_enable);
  ASSERT_NE(r.find_vpn("blue"), nullptr);
  EXPECT_TRUE(r.find_vpn("blue")->ipv4_family);
  ASSERT_EQ(r.static_routes.size(), 2u);
  EXPECT_EQ(r.static_routes[0].prefix, "0.0.0.0");
  EXPECT_EQ(r.static_routes[1].vpn_instance, "blue");
  EXPECT_GE(c.legacy_moves.size(), 5u);
  EXPECT_NE(c.legacy_moves[0].find("interfaces[0].ipv4 -> ntp.interfaces GE1/0/1"),
            std::string::npos)
      << c.legacy_moves[0];
}

TEST(StartupConfig, OldStyleKeyClashingWithTheRunningConfigurationNamesTheKeyToMove) {
  const std::string text =
      join({"dataplane: {eal: []}", "interfaces:", "  - name: GE1/0/1", "    devargs: net_null0",
            "    ipv4: 198.18.0.2/24",
            "ntp:", "  interfaces:", "    - {name: GE1/0/1, ipv4-addresses: [198.18.0.3/24]}"});
  EXPECT_EQ(error_of(text),
            "t.yaml:5:11: interfaces[0].ipv4: GE1/0/1 is also configured in ntp.interfaces: move "
            "this key there (old-style L3 key, see docs/configuration.md)");
  const std::string sub =
      join({"dataplane: {eal: []}", "interfaces:", "  - name: GE1/0/1", "    devargs: net_null0",
            "  - name: uplink", "    parent: GE1/0/1", "    vlan: 7"});
  EXPECT_EQ(error_of(sub),
            "t.yaml:5:11: interfaces[1].name: name the sub-interface <parent>.<number> (e.g. "
            "GE1/0/1.7), as `interface` does");
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

TEST(StartupConfig, RateLimitEntries) {
  const auto defaults = load_startup_config_text(with_line(3, "  idle-sleep-us: 0"), "t.yaml");
  ASSERT_TRUE(defaults.ok()) << defaults.error().to_string();
  EXPECT_EQ(defaults.value().dataplane.rate_limit_entries, 16384u);
  for (const size_t n : {size_t{16}, size_t{1024}, size_t{1} << 22}) {
    const auto r = load_startup_config_text(
        with_line(3, "  rate-limit-entries: " + std::to_string(n)), "t.yaml");
    ASSERT_TRUE(r.ok()) << n << ": " << r.error().to_string();
    EXPECT_EQ(r.value().dataplane.rate_limit_entries, n);
  }
  // No "off": the table is what `ntp discard` charges; it is unused while nothing is limited.
  EXPECT_EQ(error_of(with_line(3, "  rate-limit-entries: 0")),
            "t.yaml:3:3: dataplane.rate-limit-entries: '0' is not a power of two from 16 to "
            "4194304");
  EXPECT_EQ(error_of(with_line(3, "  rate-limit-entries: 5000")),
            "t.yaml:3:3: dataplane.rate-limit-entries: '5000' is not a power of two from 16 to "
            "4194304");
  EXPECT_EQ(error_of(with_line(3, "  rate-limit-entries: 8")),
            "t.yaml:3:3: dataplane.rate-limit-entries: '8' is not a power of two from 16 to "
            "4194304");
  EXPECT_EQ(error_of(with_line(3, "  rate-limit-entries: 8388608")),
            "t.yaml:3:3: dataplane.rate-limit-entries: '8388608' is out of range 0..4194304");
  EXPECT_EQ(error_of(with_line(3, "  rate-limit-entries: many")),
            "t.yaml:3:3: dataplane.rate-limit-entries: 'many' is not an integer");
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
}

TEST(StartupConfig, InterleavedServer) {
  const auto on = load_startup_config_text(with_line(24, "      interleaved: true"), "t.yaml");
  ASSERT_TRUE(on.ok()) << on.error().to_string();
  ASSERT_EQ(on.value().running.unicast_servers.size(), 1u);
  EXPECT_TRUE(on.value().running.unicast_servers[0].interleaved);
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
  EXPECT_EQ(result.value().running.unicast_servers.size(), 1u);
}

}  // namespace
}  // namespace wiretime::config

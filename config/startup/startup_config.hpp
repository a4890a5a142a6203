// The daemon's start-up YAML: hardware inventory (EAL arguments, interfaces), clock driver,
// logging, and the NTP associations to run. Schema and examples: docs/operations.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"
#include "config/startup/ipv4_text.hpp"
#include "config/startup/ntp_section.hpp"
#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::config {

// `dataplane.interleaved-store-entries`: 0 (off) or a power of two in this range.
inline constexpr size_t kDefaultInterleavedStoreEntries = 4096;  // 64 KiB
inline constexpr size_t kMinInterleavedStoreEntries = 16;
inline constexpr size_t kMaxInterleavedStoreEntries = size_t{1} << 24;  // 256 MiB

struct DataplaneSection {
  std::vector<std::string> eal_args;  // passed to rte_eal_init after argv[0]
  std::optional<unsigned> lcore;      // dataplane lcore; default: first worker lcore
  // 0: busy-poll (production, on an isolated core). Otherwise the lcore naps this long when a
  // pass found nothing: on a shared core (labs, CI) a sleeping thread is scheduled promptly on
  // wake-up, while a spinning one is time-sliced against other work, stamping T4 ms late.
  unsigned idle_sleep_us = 0;
  // net_af_packet ports: T1 and T4 from the kernel's stamps of the frames, seen by a packet
  // socket tapping the same Linux interface, instead of the TSC around the PMD's system calls.
  bool packet_socket_stamps = true;
  // The NTP server's interleaved-mode store (RFC 9769, dataplane/server/interleaved_store.hpp):
  // 16 bytes per entry, allocated once at start; 0 answers every request in basic mode.
  size_t interleaved_store_entries = kDefaultInterleavedStoreEntries;
};

// A port interface (devargs) or an 802.1Q sub-interface of one (parent + vlan).
struct InterfaceSection {
  std::string name;                    // as the CLI knows it, e.g. "GE1/0/1" or "GE1/0/1.100"
  std::string devargs;                 // DPDK device arguments; empty when port_index is set
  std::optional<uint16_t> port_index;  // "devargs: 0" selects an already probed port by index
  // Sub-interfaces: the port interface they are on, and their VLAN id (1..4094).
  std::string parent;
  uint16_t vlan = 0;
  std::string vpn_instance;             // VRF; empty: the public network
  std::optional<wire::MacAddress> mac;  // override of the port's MAC
  // The first IPv4 address (kept for single-address consumers); has_ipv4 says if there is one.
  Ipv4Prefix ipv4;
  bool has_ipv4 = false;
  // Every address, IPv4 (`ipv4:` one or a list) then IPv6 (`ipv6:` one or a list).
  std::vector<l3::IpPrefix> addresses;
  // Default route through this interface in its VRF (IPv4 only, as before).
  std::optional<Ipv4Address> gateway;
  bool is_port() const { return parent.empty(); }
};

enum class ClockDriver { kVirtual };

struct ClockSection {
  ClockDriver driver = ClockDriver::kVirtual;
  // Test knobs: an error deliberately put into the virtual clock at start, so that tests can
  // check that the measured offset sees it.
  int64_t test_initial_offset_ns = 0;
  double test_initial_frequency_ppb = 0;
};

enum class LogLevel { kError, kWarning, kInfo, kDebug };

struct LogSection {
  LogLevel level = LogLevel::kInfo;
  std::string measurements;  // file for one line per sample; empty: none
  // Prometheus metrics in the node_exporter textfile convention (`.prom`, rewritten
  // atomically every metrics_interval_s seconds); empty: none.
  std::string metrics_textfile;
  unsigned metrics_interval_s = 10;
};

struct StartupConfig {
  DataplaneSection dataplane;
  std::vector<InterfaceSection> interfaces;
  // `routes:` static routes, each in a VRF (`vpn-instance`, default the public network).
  std::vector<l3::StaticRouteSpec> routes;
  ClockSection clock;
  LogSection log;
  NtpSection ntp;
};

// `file_name` is only used in messages.
ConfigResult<StartupConfig> load_startup_config_text(std::string_view text,
                                                     const std::string& file_name);
ConfigResult<StartupConfig> load_startup_config_file(const std::string& path);

std::optional<LogLevel> parse_log_level(std::string_view text);
const char* to_string(LogLevel level);

}  // namespace wiretime::config

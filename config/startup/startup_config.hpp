// wiretimed's file, parsed once into one typed model (issue 10 item 1) with file:line:column
// errors. Two parts:
//  - the hardware inventory and how the daemon runs: `dataplane:` (EAL arguments, lcore,
//    backend), `interfaces:` (port name <-> DPDK devargs, MAC), `clock:`, `log:`;
//  - the running configuration: the `ntp:` section, which holds everything the VRP CLI
//    configures, the section-12 companions (VPN instances, interface L3 settings,
//    sub-interfaces, static routes) included. It is decoded by the same codec and checked by
//    the same validate_ntp_config() that `commit` uses, against the inventory's port names, and
//    the daemon applies it as a commit against an empty running configuration.
// Old-style files with L3 keys in `interfaces:` or a `routes:` list still load: those keys
// move into the running configuration (config/ntp_config/legacy_l3.hpp). Schema and
// examples: docs/configuration.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"
#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::config {

// `dataplane.interleaved-store-entries`: 0 (off) or a power of two in this range.
inline constexpr size_t kDefaultInterleavedStoreEntries = 4096;  // 64 KiB
inline constexpr size_t kMinInterleavedStoreEntries = 16;
inline constexpr size_t kMaxInterleavedStoreEntries = size_t{1} << 24;  // 256 MiB
// `dataplane.rate-limit-entries`: the server's per-address rate table, a power of two in this
// range (48 bytes per entry; the table has 4-way buckets, so at least a few of them).
inline constexpr size_t kDefaultRateLimitEntries = 16384;  // 768 KiB
inline constexpr size_t kMinRateLimitEntries = 16;
inline constexpr size_t kMaxRateLimitEntries = size_t{1} << 22;  // 192 MiB
enum class BackendKind { kDpdk, kSocket };

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
  // The NTP server's per-address rate table (`ntp discard`, dataplane/server/access_control.hpp):
  // 48 bytes per entry, allocated once at start, one per lcore and one for the socket backend.
  size_t rate_limit_entries = kDefaultRateLimitEntries;
  BackendKind backend = BackendKind::kDpdk;  // `backend: dpdk | socket`
};

// A port of the hardware inventory. Its L3 settings (addresses, VPN binding) and its
// sub-interfaces are running configuration (`ntp.interfaces`).
struct InterfaceSection {
  std::string name;                     // canonical, as the CLI knows it, e.g. "GE1/0/1"
  std::string devargs;                  // DPDK device arguments; empty when port_index is set
  std::optional<uint16_t> port_index;   // "devargs: 0" selects an already probed port by index
  std::optional<wire::MacAddress> mac;  // override of the port's MAC
};

enum class ClockDriver { kVirtual, kSystem };

struct ClockSection {
  // virtual: the daemon's own disciplined clock; system: CLOCK_REALTIME follows it (socket
  // backend only).
  ClockDriver driver = ClockDriver::kVirtual;
  std::string shm_path;     // shared-memory clock; empty: beside the management socket; "off"
  std::string chrony_sock;  // chronyd's `refclock SOCK` socket; empty: none
  // Test knobs: an error deliberately put into the virtual clock at start, so that tests can
  // check that the measured offset sees it.
  int64_t test_initial_offset_ns = 0;
  double test_initial_frequency_ppb = 0;
};

enum class LogLevel { kError, kWarning, kInfo, kDebug };

struct LogSection {
  LogLevel level = LogLevel::kInfo;
  std::string measurements;  // file for one line per sample; empty: none
  std::string tracking;      // file for one line per clock update; empty: none
  // Prometheus metrics in the node_exporter textfile convention (`.prom`, rewritten
  // atomically every metrics_interval_s seconds); empty: none.
  std::string metrics_textfile;
  unsigned metrics_interval_s = 10;
};

struct StartupConfig {
  // --- inventory
  DataplaneSection dataplane;
  std::vector<InterfaceSection> interfaces;  // ports
  ClockSection clock;
  LogSection log;
  // --- running configuration (valid: validate_ntp_config accepted it)
  NtpConfig running;
  // Old-style keys moved into `running`, one line each ("interfaces[0].ipv4 -> ..."), for the
  // daemon's log; empty for a new-style file.
  std::vector<std::string> legacy_moves;

  InterfaceInventory inventory() const;
};

// `file_name` is only used in messages.
ConfigResult<StartupConfig> load_startup_config_text(std::string_view text,
                                                     const std::string& file_name);
ConfigResult<StartupConfig> load_startup_config_file(const std::string& path);

std::optional<LogLevel> parse_log_level(std::string_view text);
const char* to_string(LogLevel level);

inline constexpr int kMinPollExponent = -4;
inline constexpr int kMaxPollExponent = 17;

}  // namespace wiretime::config

#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wiretime::display {

// The counters of `display ntp statistics packet` (CE6800 command reference), filled by the
// daemon from its dataplane and engine counters. Authentication failures are a subset of the
// validity test failures, as VRP nests them.
struct PacketStatistics {
  uint64_t sent = 0;
  uint64_t send_failures = 0;
  uint64_t received = 0;
  uint64_t processed = 0;
  uint64_t dropped = 0;
  uint64_t validity_test_failures = 0;
  uint64_t authentication_failures = 0;
  uint64_t invalid_packets = 0;
  uint64_t access_denied = 0;
  uint64_t rate_limited = 0;
  uint64_t processing_delay = 0;
  uint64_t interface_disabled = 0;
  uint64_t max_dynamic_reached = 0;
  uint64_t server_disabled = 0;
  uint64_t offset_limit = 0;
  uint64_t others = 0;
  std::vector<std::string> last_drop_reasons;  // newest first; VRP shows at most 10
};

inline constexpr size_t kMaxLastDropReasons = 10;

// `ipv6` picks the title ("NTP IPv6 Packet Statistical Information").
std::string render_packet_statistics(const PacketStatistics& statistics, bool ipv6 = false);

}  // namespace wiretime::display

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// `... interface <name>`: the NTP server's requests that arrived on one interface (the
// client side's counters are per family only).
struct InterfacePacketStatistics {
  std::string interface;
  PacketStatistics ipv4;
  PacketStatistics ipv6;
};

// `... peer [ ipv6 | domain ] <address>`: the exchanges with one configured server.
enum class PeerKind : uint8_t { kIpv4, kIpv6, kDomain };
struct PeerPacketStatistics {
  PeerKind kind = PeerKind::kIpv4;
  std::string address;       // canonical literal, or the domain name
  std::string vpn_instance;  // empty: public network
  PacketStatistics packets;
};

// `ipv6` picks the title ("NTP IPv6 Packet Statistical Information").
std::string render_packet_statistics(const PacketStatistics& statistics, bool ipv6 = false);

// The blocks of `display ntp statistics packet` past its first form, from `what` as the
// shell sends it ("statistics [ipv6] interface <name>|all", "statistics peer [ipv6|domain]
// [<address> [vpn-instance <name>]]"): without `ipv6` an interface shows its IPv4 and IPv6
// blocks, each block after a line naming its interface or peer. An interface or peer that
// does not exist gives an Error line. nullopt when `what` is no such form.
std::optional<std::string> render_scoped_packet_statistics(
    std::string_view what, const std::vector<InterfacePacketStatistics>& interfaces,
    const std::vector<PeerPacketStatistics>& peers);

}  // namespace wiretime::display

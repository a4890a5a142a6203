#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/display/clock_unsync_display.hpp"
#include "config/display/interface_brief.hpp"
#include "config/display/packet_statistics.hpp"
#include "config/display/status_report.hpp"

namespace wiretime::display {

// Everything the live displays show, taken by the daemon in one go so that one display is
// consistent with itself.
struct StatusSnapshot {
  UnixNanos now = 0;  // the daemon's clock when taken: NTP era pivot of the timestamps
  SystemReport system;
  std::vector<SessionReport> associations;
  PacketStatistics ipv4_packets;
  PacketStatistics ipv6_packets;
  std::vector<InterfacePacketStatistics> interface_packets;  // the server's, per interface
  std::vector<PeerPacketStatistics> peer_packets;            // per configured server
  std::vector<InterfaceBrief> interfaces;
  std::vector<ClockUnsyncEvent> unsync_events;  // newest first, at most 10
};

// The text of one live display, by the name the shell sends (ConfigBackend::display):
// "status", "sessions", "sessions verbose", "trace", "statistics" (packet: the IPv4 block,
// then the IPv6 block), "statistics ipv6" (the IPv6 block), "statistics [ipv6] interface
// <name>|all" and "statistics peer ..." (render_scoped_packet_statistics), "interface"
// (brief), "event clock-unsync". nullopt for any other name.
std::optional<std::string> render_live_display(std::string_view what,
                                               const StatusSnapshot& snapshot);

}  // namespace wiretime::display

#include "config/display/packet_statistics.hpp"

#include <algorithm>
#include <sstream>

#include "config/display/display_format.hpp"

namespace wiretime::display {

namespace {

// Labels (with their nesting indent) padded so that every colon is in column 40.
void row(std::string& out, const char* label, uint64_t value) {
  std::string line = label;
  line.resize(std::max<size_t>(line.size(), 39), ' ');
  out += line + format(":          %llu\n", static_cast<unsigned long long>(value));
}

}  // namespace

std::string render_packet_statistics(const PacketStatistics& s, bool ipv6) {
  std::string out = format(" NTP %s Packet Statistical Information\n", ipv6 ? "IPv6" : "IPv4");
  out += " " + std::string(50, '-') + "\n";
  row(out, " Sent", s.sent);
  row(out, "    Send failures", s.send_failures);
  row(out, " Received", s.received);
  row(out, "    Processed", s.processed);
  row(out, "    Dropped", s.dropped);
  row(out, "       Validity test failures", s.validity_test_failures);
  row(out, "          Authentication failures", s.authentication_failures);
  row(out, "       Invalid packets", s.invalid_packets);
  row(out, "       Access denied", s.access_denied);
  row(out, "       Rate-limited", s.rate_limited);
  row(out, "       Processing delay", s.processing_delay);
  row(out, "       Interface disabled", s.interface_disabled);
  row(out, "       Max dynamic association reached", s.max_dynamic_reached);
  row(out, "       Server disabled", s.server_disabled);
  row(out, "       Offset limit", s.offset_limit);
  row(out, "       Others", s.others);
  const size_t shown = std::min(s.last_drop_reasons.size(), kMaxLastDropReasons);
  out += format("Last %zu packets drop reasons:\n", shown);
  for (size_t i = 0; i < shown; ++i) out += "   " + s.last_drop_reasons[i] + "\n";
  return out;
}

namespace {

std::string peer_label(const PeerPacketStatistics& p) {
  std::string label = " Peer: ";
  if (p.kind == PeerKind::kIpv6) label += "ipv6 ";
  if (p.kind == PeerKind::kDomain) label += "domain ";
  label += p.address;
  if (!p.vpn_instance.empty()) label += " vpn-instance " + p.vpn_instance;
  return label + "\n";
}

}  // namespace

std::optional<std::string> render_scoped_packet_statistics(
    std::string_view what, const std::vector<InterfacePacketStatistics>& interfaces,
    const std::vector<PeerPacketStatistics>& peers) {
  std::vector<std::string> w;
  std::istringstream in{std::string(what)};
  for (std::string word; in >> word;) w.push_back(word);
  if (w.empty() || w[0] != "statistics") return std::nullopt;
  size_t i = 1;
  const bool ipv6 = i < w.size() && w[i] == "ipv6";
  if (ipv6) ++i;
  if (i + 2 == w.size() && w[i] == "interface") {
    const std::string& name = w[i + 1];
    std::string out;
    for (const InterfacePacketStatistics& itf : interfaces) {
      if (name != "all" && itf.interface != name) continue;
      if (!out.empty()) out += "\n";
      out += " Interface: " + itf.interface + "\n";
      if (!ipv6) out += render_packet_statistics(itf.ipv4) + "\n";
      out += render_packet_statistics(itf.ipv6, true);
    }
    if (out.empty()) {
      return name == "all" ? std::string("Info: No interface serves NTP.\n")
                           : "Error: The interface " + name + " does not exist.\n";
    }
    return out;
  }
  if (ipv6 || i >= w.size() || w[i] != "peer") return std::nullopt;
  ++i;
  // `peer` lists the IPv4 peers, `peer ipv6` / `peer domain` those kinds; an address picks one
  // (in the public network unless a vpn-instance is named).
  PeerKind kind = PeerKind::kIpv4;
  if (i < w.size() && (w[i] == "ipv6" || w[i] == "domain")) {
    kind = w[i] == "ipv6" ? PeerKind::kIpv6 : PeerKind::kDomain;
    ++i;
  }
  std::optional<std::string> address, vpn;
  if (i < w.size()) address = w[i++];
  if (address && i + 2 == w.size() && w[i] == "vpn-instance") {
    vpn = w[i + 1];
    i += 2;
  }
  if (i != w.size()) return std::nullopt;
  std::string out;
  for (const PeerPacketStatistics& p : peers) {
    if (p.kind != kind ||
        (address && (p.address != *address || p.vpn_instance != vpn.value_or(""))))
      continue;
    if (!out.empty()) out += "\n";
    out += peer_label(p) + render_packet_statistics(p.packets, p.kind == PeerKind::kIpv6);
  }
  if (out.empty()) return std::string("Info: No such peer is configured.\n");
  return out;
}

}  // namespace wiretime::display

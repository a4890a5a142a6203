#include "config/display/packet_statistics.hpp"

#include <algorithm>

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

}  // namespace wiretime::display

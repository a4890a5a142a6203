#include "config/display/clock_unsync_display.hpp"

#include "config/display/display_format.hpp"

namespace wiretime::display {

std::string render_clock_unsync(const std::vector<ClockUnsyncEvent>& events, UnixNanos now) {
  if (events.empty()) return " No clock unsynchronization event.\n";
  std::string out;
  for (const ClockUnsyncEvent& e : events) {
    if (!out.empty()) out += "\n";
    std::string source = e.source.empty() ? std::string("none") : e.source;
    if (!e.vpn_instance.empty()) source += "(" + e.vpn_instance + ")";
    out += " Clock source  : " + source + "\n";
    out +=
        std::string(" Session type  : client, ") + (e.configured ? "configured" : "dynamic") + "\n";
    out += " Unsync reason : " + e.reason + "\n";
    out += " Unsync time   : " + ntp_time(NtpTimestamp::from_unix_nanos(e.time), now) + "\n";
  }
  return out;
}

}  // namespace wiretime::display

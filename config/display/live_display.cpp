#include "config/display/live_display.hpp"

#include "config/display/ntp_sessions_display.hpp"
#include "config/display/ntp_status_display.hpp"
#include "config/display/ntp_trace_display.hpp"

namespace wiretime::display {

std::optional<std::string> render_live_display(std::string_view what,
                                               const StatusSnapshot& snapshot) {
  if (what == "status") return render_ntp_status(snapshot.system, snapshot.now);
  if (what == "sessions") return render_ntp_sessions(snapshot.associations, false, snapshot.now);
  if (what == "sessions verbose") {
    return render_ntp_sessions(snapshot.associations, true, snapshot.now);
  }
  if (what == "trace") return render_ntp_trace(snapshot.system, snapshot.associations);
  if (what == "statistics") {
    return render_packet_statistics(snapshot.ipv4_packets) + "\n" +
           render_packet_statistics(snapshot.ipv6_packets, true);
  }
  if (what == "statistics ipv6") return render_packet_statistics(snapshot.ipv6_packets, true);
  if (what.starts_with("statistics ")) {
    return render_scoped_packet_statistics(what, snapshot.interface_packets, snapshot.peer_packets);
  }
  if (what == "event clock-unsync")
    return render_clock_unsync(snapshot.unsync_events, snapshot.now);
  if (what == "interface") return render_interface_brief(snapshot.interfaces);
  return std::nullopt;
}

}  // namespace wiretime::display

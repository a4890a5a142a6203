#pragma once

#include <string>
#include <vector>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::display {

// One loss of synchronisation as `display ntp event clock-unsync` shows it (section 7.5).
struct ClockUnsyncEvent {
  std::string source;        // the system peer that was lost ("" none known)
  std::string vpn_instance;  // its VRF, "" for the public network
  bool configured = true;    // session type `client, configured` (else `client, dynamic`)
  std::string reason;        // e.g. "Peer reachability lost"
  UnixNanos time = 0;        // when the daemon lost synchronisation
};

// Newest first; `now` pivots the NTP era of the times. With no event, one line saying so.
std::string render_clock_unsync(const std::vector<ClockUnsyncEvent>& events, UnixNanos now);

}  // namespace wiretime::display

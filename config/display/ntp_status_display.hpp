#pragma once

#include <string>

#include "config/display/status_report.hpp"

namespace wiretime::display {

// `display ntp status` (vrp-ntp-cli.md section 7.1). `pivot` (the current time) picks the NTP
// era of the reference time.
std::string render_ntp_status(const SystemReport& system, UnixNanos pivot);

// The `synchronization state` text of a discipline state.
std::string synchronization_state(const SystemReport& system);

}  // namespace wiretime::display

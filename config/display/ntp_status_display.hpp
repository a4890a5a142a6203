#pragma once

#include <string>

#include "control/engine/status.hpp"

namespace wiretime::display {

// `display ntp status` (vrp-ntp-cli.md section 7.1). `pivot` (the current time) picks the NTP
// era of the reference time.
std::string render_ntp_status(const engine::SystemStatus& system, UnixNanos pivot);

// The `synchronization state` text of a discipline state.
std::string synchronization_state(const engine::SystemStatus& system);

}  // namespace wiretime::display

#pragma once

#include <string>
#include <vector>

#include "config/display/status_report.hpp"

namespace wiretime::display {

// `display ntp sessions [ verbose ]` (vrp-ntp-cli.md sections 7.2, 7.3): one block per
// association, blocks separated by an empty line; nothing at all without associations (Q22).
std::string render_ntp_sessions(const std::vector<SessionReport>& sessions, bool verbose,
                                UnixNanos pivot);

// The `clock status` flags: "configured, master, sane, valid".
std::string clock_status_flags(const SessionReport& session);

}  // namespace wiretime::display

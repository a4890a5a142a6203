#pragma once

#include <string>
#include <vector>

#include "control/engine/status.hpp"

namespace wiretime::display {

// `display ntp sessions [ verbose ]` (vrp-ntp-cli.md sections 7.2, 7.3): one block per
// association, blocks separated by an empty line; nothing at all without associations (Q22).
std::string render_ntp_sessions(const std::vector<engine::AssociationStatus>& sessions,
                                bool verbose, UnixNanos pivot);

// The `clock status` flags: "configured, master, sane, valid".
std::string clock_status_flags(const engine::AssociationStatus& session);

}  // namespace wiretime::display

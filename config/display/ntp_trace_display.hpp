#pragma once

#include <string>
#include <vector>

#include "control/engine/status.hpp"

namespace wiretime::display {

// `display ntp trace` (vrp-ntp-cli.md section 7.4): the path to the primary source as far as
// wiretime can see it without NTP control queries to other hosts: this host, then its system
// peer (the `master` session) with the stratum, offset and root distance it advertises, then
// the peer's reference ID. Unsynchronised: this host and its own reference ID.
std::string render_ntp_trace(const engine::SystemStatus& system,
                             const std::vector<engine::AssociationStatus>& sessions);

}  // namespace wiretime::display

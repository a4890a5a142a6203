// The engine's status as the plain report values config/display renders (status_report.hpp
// there): the one place that knows both.
#pragma once

#include <vector>

#include "config/display/packet_statistics.hpp"
#include "config/display/status_report.hpp"
#include "control/engine/status.hpp"

namespace wiretime::daemon {

display::SystemReport system_report(const engine::SystemStatus& system);
display::SessionReport session_report(const engine::AssociationStatus& session);
std::vector<display::SessionReport> session_reports(
    const std::vector<engine::AssociationStatus>& sessions);

// One association's exchanges in VRP's rows: Sent = its requests, Processed = its accepted
// replies, the others dropped by the on-wire tests (validity test failures, authentication
// nested) or, without a test, as Others (e.g. a reply received while none was outstanding).
display::PacketStatistics peer_packet_statistics(const engine::AssociationStatus& association);

}  // namespace wiretime::daemon

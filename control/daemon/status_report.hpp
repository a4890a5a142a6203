// The engine's status as the plain report values config/display renders (status_report.hpp
// there): the one place that knows both.
#pragma once

#include <vector>

#include "config/display/status_report.hpp"
#include "control/engine/status.hpp"

namespace wiretime::daemon {

display::SystemReport system_report(const engine::SystemStatus& system);
display::SessionReport session_report(const engine::AssociationStatus& session);
std::vector<display::SessionReport> session_reports(
    const std::vector<engine::AssociationStatus>& sessions);

}  // namespace wiretime::daemon

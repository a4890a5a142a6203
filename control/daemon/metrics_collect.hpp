// Fills a MetricsSnapshot's backend-independent part (clock, servers) from the control loop's
// status. Pure: the caller passes the time.
#pragma once

#include "control/daemon/metrics_snapshot.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

void collect_metrics(const runtime::RuntimeStatus& status, UnixNanos now, MetricsSnapshot& out);

// "not for us" -> "not_for_us": label values and DPDK telemetry keys (alphanumerics and '_').
std::string snake_case(std::string_view text);

}  // namespace wiretime::daemon

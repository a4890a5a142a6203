// The Prometheus text exposition format (version 0.0.4) of a MetricsSnapshot: base units
// (seconds, ratios), `_total` counters, one HELP and TYPE line per family. Pure: values in,
// text out. The metric list is in docs/operations.md (Telemetry).
#pragma once

#include <string>

#include "control/daemon/metrics_snapshot.hpp"

namespace wiretime::daemon {

std::string render_prometheus(const MetricsSnapshot& snapshot);

}  // namespace wiretime::daemon

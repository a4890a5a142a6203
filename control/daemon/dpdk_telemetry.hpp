// The DPDK backend's monitoring: the `/wiretime/...` telemetry commands (dpdk-telemetry.py)
// and the dataplane's part of the metrics snapshot. Clock and association commands read the
// snapshot the control thread publishes once a second; counter, ring and lcore commands read
// the lcore's relaxed atomic counters live. Nothing here takes a lock the lcore takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "control/daemon/metrics_snapshot.hpp"
#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/telemetry.hpp"

namespace wiretime::daemon {

class DpdkMetrics {
 public:
  DpdkMetrics(const dpdk::Dataplane& dataplane, const SnapshotBox& box, double tsc_hz,
              std::optional<unsigned> lcore)
      : dataplane_(dataplane), box_(box), tsc_hz_(tsc_hz), lcore_(lcore) {}

  // Registers /wiretime/clock, associations, interfaces, drops, rings, lcore. Empty on success.
  std::string register_commands();
  // Control thread: the dataplane's counters, rings and lcore load into `out`.
  void collect(MetricsSnapshot& out);

 private:
  const dpdk::Dataplane& dataplane_;
  const SnapshotBox& box_;
  double tsc_hz_;
  std::optional<unsigned> lcore_;
  uint64_t last_cycles_ = 0, last_busy_cycles_ = 0;
  dpdk::TelemetryCommands commands_;  // last: dropped first, before what the handlers read
};

}  // namespace wiretime::daemon

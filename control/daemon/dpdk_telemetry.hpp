// The DPDK backend's monitoring: the `/wiretime/...` telemetry commands (dpdk-telemetry.py)
// and the dataplane's part of the metrics snapshot. Clock and association commands read the
// snapshot the control thread publishes once a second; counter, ring and lcore commands read
// the lcore's relaxed atomic counters live. Nothing here takes a lock the lcore takes.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "control/daemon/metrics_snapshot.hpp"
#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/telemetry.hpp"

namespace wiretime::daemon {

class DpdkMetrics {
 public:
  DpdkMetrics(dpdk::Dataplane& dataplane, const SnapshotBox& box, double tsc_hz,
              std::optional<unsigned> lcore);

  // Registers /wiretime/clock, associations, interfaces, drops, rings, lcore. Empty on success.
  std::string register_commands();
  // Control thread: the dataplane's counters, rings and lcore load into `out`.
  void collect(MetricsSnapshot& out);

 private:
  // The telemetry thread's view of the L3 tables, which a commit may swap meanwhile: through
  // a reader slot of its own, held only while a command runs (telemetry clients each have a
  // thread: the mutex keeps them to the one slot; the lcore never takes it).
  template <typename Fn>
  void with_interfaces(Fn&& fn) {
    std::lock_guard<std::mutex> hold(tables_mutex_);
    const l3::NetworkTables* tables = dataplane_.published_tables().acquire(tables_reader_);
    fn(tables->interfaces);
    dataplane_.published_tables().release(tables_reader_);
  }

  dpdk::Dataplane& dataplane_;
  std::mutex tables_mutex_;
  size_t tables_reader_ = 0;
  const SnapshotBox& box_;
  double tsc_hz_;
  std::optional<unsigned> lcore_;
  uint64_t last_cycles_ = 0, last_busy_cycles_ = 0;
  dpdk::TelemetryCommands commands_;  // last: dropped first, before what the handlers read
};

}  // namespace wiretime::daemon

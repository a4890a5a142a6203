// Once a second on the control thread: a fresh MetricsSnapshot (the loop's status plus the
// backend's own counters), published for other threads (DPDK telemetry) and, every
// log.metrics-interval seconds, written to log.metrics-textfile. Backends call poll() from
// their loop; it returns at once when nothing is due.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "control/daemon/daemon_log.hpp"
#include "control/daemon/metrics_snapshot.hpp"
#include "control/daemon/metrics_textfile.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

class MetricsPublisher {
 public:
  using Extra = std::function<void(MetricsSnapshot&)>;  // the backend's counters
  MetricsPublisher(const config::LogSection& log, std::string backend, UnixNanos start_utc);
  void set_extra(Extra extra) { extra_ = std::move(extra); }

  void poll(const runtime::ControlLoop& loop, int64_t monotonic_ns, UnixNanos utc,
            const DaemonLog& log);
  const SnapshotBox& box() const { return box_; }
  const MetricsTextfile& textfile() const { return textfile_; }

 private:
  std::string backend_;
  UnixNanos start_utc_;
  Extra extra_;
  MetricsTextfile textfile_;
  SnapshotBox box_;
  int64_t next_ns_ = 0;
  std::string last_error_;
};

}  // namespace wiretime::daemon

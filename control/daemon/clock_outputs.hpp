// The three ways the disciplined clock leaves wiretimed (docs/operations.md, "Three ways
// out"): the shared-memory clock for applications (clock.shm-path), samples for chronyd's
// refclock SOCK (clock.chrony-sock), and CLOCK_REALTIME itself (clock.driver: system on the
// DPDK backend). Built around the backend's VirtualClock and observer; the backend runs the
// control loop on clock() and observer() and calls poll() from its loop.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "control/clock/clock_segment_writer.hpp"
#include "control/clock/system_clock_steering.hpp"
#include "control/daemon/chrony_sock_feed.hpp"
#include "control/daemon/clock_segment_file.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/runtime/clock_export.hpp"

namespace wiretime::daemon {

// A tick of the virtual clock's source and CLOCK_REALTIME at the same instant.
struct TickRealtime {
  uint64_t ticks = 0;
  UnixNanos realtime = 0;
};

class ClockOutputs {
 public:
  using Pair = std::function<TickRealtime()>;

  // `steering` (may be null) is used when the configuration asks for `clock.driver: system`.
  // nullptr and `error` set when the segment file cannot be created.
  static std::unique_ptr<ClockOutputs> create(const DaemonConfig& config,
                                              const std::string& mgmt_socket, uint32_t tick_source,
                                              runtime::VirtualClock& clock,
                                              runtime::RuntimeObserver& observer, Pair pair,
                                              clock::SystemClockSteering* steering,
                                              const DaemonLog& log, std::string& error);

  runtime::RuntimeClock& clock() {
    return exported_ ? *exported_ : static_cast<runtime::RuntimeClock&>(clock_);
  }
  runtime::RuntimeObserver& observer() { return exporting_ ? *exporting_ : observer_; }
  // Once a second (and after every clock update): a chrony sample, and the host clock's step.
  void poll(const runtime::ControlLoop& loop);

 private:
  ClockOutputs(runtime::VirtualClock& clock, runtime::RuntimeObserver& observer, Pair pair,
               const DaemonLog& log)
      : clock_(clock), observer_(observer), pair_(std::move(pair)), log_(log) {}
  void send_chrony_sample();

  runtime::VirtualClock& clock_;
  runtime::RuntimeObserver& observer_;
  Pair pair_;
  const DaemonLog& log_;
  std::unique_ptr<ClockSegmentFile> file_;
  wt_clock_segment memory_{};  // when there is no file: the bound still feeds the follower
  std::unique_ptr<clock::ClockSegmentWriter> writer_;
  std::unique_ptr<runtime::ExportedClock> exported_;
  std::unique_ptr<runtime::ExportingObserver> exporting_;
  std::unique_ptr<ChronySockFeed> chrony_;
  std::unique_ptr<clock::SystemClockFollower> follower_;
  bool update_pending_ = false;
  UnixNanos last_poll_ = 0;
};

}  // namespace wiretime::daemon

// The real SystemClockSteering: CLOCK_REALTIME through clock_adjtime only (frequency,
// ADJ_SETOFFSET steps, maxerror/esterror/STA_UNSYNC). Errors go to the log. Never used by tests.
#pragma once

#include "control/clock/system_clock_steering.hpp"
#include "control/daemon/daemon_log.hpp"

namespace wiretime::daemon {

class KernelClockSteering final : public clock::SystemClockSteering {
 public:
  explicit KernelClockSteering(const DaemonLog& log) : log_(log) {}
  double frequency() const override;
  void set_frequency(double frequency) override;
  void step(double seconds) override;
  void set_status(double max_error, double est_error, bool synchronized) override;

 private:
  const DaemonLog& log_;
  bool status_failed_ = false;
};

}  // namespace wiretime::daemon

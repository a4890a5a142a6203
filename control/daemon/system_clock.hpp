// The `clock: system` driver of the socket backend: the discipline steers CLOCK_REALTIME
// itself, only through clock_adjtime (steps with ADJ_SETOFFSET; slews, frequency and leap
// smears as one ADJ_FREQUENCY rate). A DisciplinedClock over a model that mirrors the kernel
// clock keeps the timing of slews, smears and leaps, so both drivers behave the same. Ticks are
// CLOCK_MONOTONIC nanoseconds. Never run against the host clock in tests.
#pragma once

#include "control/clock/disciplined_clock.hpp"
#include "control/daemon/daemon_log.hpp"
#include "control/runtime/runtime_clock.hpp"

namespace wiretime::daemon {

class SystemClock final : public runtime::RuntimeClock {
 public:
  // Starts from the kernel's current frequency correction (see initial_frequency()).
  explicit SystemClock(const DaemonLog& log);

  uint64_t now_ticks() const override;
  double ticks_per_second() const override { return 1e9; }
  NtpTimestamp to_ntp(uint64_t ticks) const override;
  UnixNanos to_utc(uint64_t ticks) const override;
  void apply(const engine::Action& action) override;
  bool advance() override;
  std::optional<uint64_t> next_event() const override;
  runtime::ClockInfo info() const override;
  engine::SlewCapability slew_capability() const override { return clock_.config().slew; }

  // The kernel's frequency correction at start, s/s: the engine starts from it (FSET), as
  // ntpd and chronyd start from their drift files.
  double initial_frequency() const { return initial_frequency_; }

 private:
  void set_kernel_rate();

  const DaemonLog& log_;
  double initial_frequency_;
  clock::DisciplinedClock clock_;
};

}  // namespace wiretime::daemon

// The virtual clock driver: a DisciplinedClock whose model is published through a seqlock to
// the dataplane readers. Each change is made inside PublishedClock::update, at a tick read after
// the readers were told an update is in progress, so continuous corrections never run a
// reader's time backwards.
#pragma once

#include <functional>

#include "control/clock/disciplined_clock.hpp"
#include "control/runtime/runtime_clock.hpp"
#include "dataplane/clock/published_clock.hpp"

namespace wiretime::runtime {

class VirtualClock final : public RuntimeClock {
 public:
  using TickSource = std::function<uint64_t()>;

  // Publishes `initial` (which carries any injected oscillator error) at once.
  VirtualClock(clock::PublishedClock& published, const clock::ClockModel& initial,
               TickSource read_ticks, const clock::DisciplinedClockConfig& config = {});

  uint64_t now_ticks() const override { return read_ticks_(); }
  double ticks_per_second() const override { return ticks_per_second_; }
  NtpTimestamp to_ntp(uint64_t ticks) const override { return clock_.model().ntp(ticks); }
  UnixNanos to_utc(uint64_t ticks) const override { return clock_.model().utc_nanos(ticks); }
  void apply(const engine::Action& action) override;
  bool advance() override;
  std::optional<uint64_t> next_event() const override;
  ClockInfo info() const override;
  engine::SlewCapability slew_capability() const override { return clock_.config().slew; }

  const clock::DisciplinedClock& disciplined() const { return clock_; }

 private:
  clock::PublishedClock& published_;
  TickSource read_ticks_;
  clock::DisciplinedClock clock_;
  double ticks_per_second_;
};

}  // namespace wiretime::runtime

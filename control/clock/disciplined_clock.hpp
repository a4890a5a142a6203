// The disciplined virtual clock: carries out the engine's clock actions (StepClock, SlewClock,
// SetFrequency, ScheduleLeap) on a ClockModel over time. A step moves the map at once; a slew
// is a temporary rate change of engine::slew_rate() (the rate the engine assumes when it
// discounts a slew in progress: the slew limit, less in the direction where the frequency
// correction uses up part of a total limit) that ends at a computed tick; a frequency is an
// absolute correction on top of the oscillator's own (injected) error; a leap second is a step at
// the end of the UTC day or a linear smear across a window around it. Pure: every call takes the
// tick it happens at, so the daemon (under PublishedClock::update), the socket backend and the
// simulator share it.
#pragma once

#include <cstdint>
#include <optional>

#include "control/engine/actions.hpp"
#include "control/engine/ntp_constants.hpp"
#include "control/engine/slew_capability.hpp"
#include "dataplane/clock/clock_model.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::clock {

struct DisciplinedClockConfig {
  // Leap smear: the second is spread linearly over this window centred on the leap (Google's
  // public smear uses 24 h, noon to noon: 11.6 ppm, invisible to NTP clients' step logic).
  double smear_window = 86400.0;
  // Slew rate and total rate limit (engine/slew_capability.hpp). With a total limit the
  // model also clamps frequency + slew + smear to it, as the kernel does with ADJ_FREQUENCY.
  engine::SlewCapability slew;
};

class DisciplinedClock {
 public:
  // `initial` carries the oscillator's own frequency error (e.g. a test knob): corrections are
  // added to it, never replace it.
  explicit DisciplinedClock(const ClockModel& initial, const DisciplinedClockConfig& config = {});

  const ClockModel& model() const { return model_; }
  const DisciplinedClockConfig& config() const { return config_; }

  // Carries out a clock action at tick `at`; returns false (and does nothing) for actions that
  // are not about the clock (SendRequest, ResolveName, Panic).
  bool apply(const engine::Action& action, uint64_t at);
  void step(uint64_t at, double seconds);
  void slew(uint64_t at, double seconds);
  void set_frequency(uint64_t at, double frequency);
  void schedule_leap(uint64_t at, const engine::ScheduleLeap& leap);

  // Brings the map up to `now`: ends a finished slew or smear, starts a due smear and steps a
  // due leap. Returns whether the model changed. A slew or smear ending between two calls is
  // ended at `now`, not in the past, so readings never run backwards; the extra correction
  // that the late end let through is counted in overshoot() (call at next_event() to avoid it).
  bool advance(uint64_t now);
  // The earliest tick at which advance() has something to do, if anything is pending.
  std::optional<uint64_t> next_event(uint64_t now) const;

  // Part of the commanded slew not yet applied at `now`, s (signed).
  double slew_remaining(uint64_t now) const;
  double frequency() const { return frequency_; }  // discipline correction, s/s
  // Total rate against nominal: oscillator error + frequency + slew + smear, s/s.
  double rate() const;
  bool slewing() const { return slew_sign_ != 0; }
  bool smearing() const { return smear_rate_ != 0.0; }
  engine::LeapKind pending_leap() const { return leap_kind_; }
  int steps() const { return steps_; }
  int leaps() const { return leaps_; }
  // Sum of the corrections applied beyond a slew's or smear's intended end, s (signed).
  double overshoot() const { return overshoot_; }

 private:
  void rebase(uint64_t at);
  // Tick at which the current map reads `utc` (extrapolated from `now`).
  uint64_t tick_of_utc(uint64_t now, UnixNanos utc) const;
  double seconds_between(uint64_t from, uint64_t to) const;
  void end_slew(uint64_t now);
  void end_smear(uint64_t now);
  // Plans a slew of `total` seconds from `at` at the rate the current frequency allows.
  void start_slew(uint64_t at, double total);

  DisciplinedClockConfig config_;
  ClockModel model_;
  double ticks_per_second_ = 1.0;
  double oscillator_ = 0.0;  // s/s, the initial model's frequency error
  double frequency_ = 0.0;   // s/s
  int slew_sign_ = 0;
  double slew_rate_ = 0.0;  // s/s, magnitude of the running slew
  uint64_t slew_end_ = 0;
  engine::LeapKind leap_kind_ = engine::LeapKind::kNone;
  UnixNanos leap_at_ = 0;
  bool leap_smear_ = false;
  double smear_rate_ = 0.0;  // s/s while a smear runs
  uint64_t smear_end_ = 0;
  int steps_ = 0;
  int leaps_ = 0;
  double overshoot_ = 0.0;
};

}  // namespace wiretime::clock

// A simulated client clock: an oscillator with a frequency offset and a random-walk wander
// driving a tick counter, read through the daemon's own DisciplinedClock (control/clock), which
// carries out the engine's clock actions on the clock model. The simulator thus exercises the
// same slew, step, frequency and leap code as the daemon.
#pragma once

#include <cstdint>

#include "control/clock/disciplined_clock.hpp"
#include "control/engine/actions.hpp"
#include "control/engine/prng.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::sim {

struct OscillatorModel {
  double frequency_offset = 50e-6;  // s/s: the oscillator runs this much fast
  double wander = 1e-9;             // random walk of the frequency, s/s per sqrt(s)
  // A sudden frequency change (a temperature step, a VM moved) of `jump` s/s at true time
  // `jump_at` s (negative: none).
  double jump_at = -1.0;
  double jump = 0.0;
};

class SimClock {
 public:
  static constexpr double kNominalHz = 1e9;

  SimClock(const OscillatorModel& model, engine::Prng& prng, UnixNanos utc_at_start,
           const clock::DisciplinedClockConfig& config = {});

  // Moves true time forward to `t` (s since the start): integrates the oscillator, draws a new
  // wander step each whole second, and lets the disciplined clock end slews and smears and
  // apply leaps exactly at their ticks on the way.
  void advance_to(double t);

  uint64_t ticks() const;
  // Monotonic engine time: ticks at the nominal rate.
  int64_t steady_nanos() const { return static_cast<int64_t>(ticks()); }
  UnixNanos utc_nanos() const;
  double utc_seconds_fraction_error(UnixNanos truth) const;  // reading - truth, s
  NtpTimestamp ntp() const;

  // Carries out a clock action (step, slew, frequency, leap) now; false for other actions.
  bool apply(const engine::Action& action);

  // Residual frequency error of the disciplined clock against true time, s/s (slews excluded).
  double frequency_error() const;
  double oscillator_frequency() const { return y_; }
  const clock::DisciplinedClock& disciplined() const { return disciplined_; }
  int steps() const { return disciplined_.steps(); }
  int leaps() const { return disciplined_.leaps(); }

 private:
  OscillatorModel model_;
  engine::Prng& prng_;
  double t_ = 0.0;            // true time, s
  double y_ = 0.0;            // current oscillator frequency offset
  double next_wander_ = 1.0;  // true time of the next wander step
  bool jumped_ = false;
  double seg_t_ = 0.0;      // start of the constant-frequency segment
  double seg_ticks_ = 0.0;  // ticks at seg_t_
  double ticks_ = 0.0;
  clock::DisciplinedClock disciplined_;
};

}  // namespace wiretime::sim

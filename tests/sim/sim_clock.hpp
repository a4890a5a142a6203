// A simulated client clock: an oscillator with a frequency offset and a random-walk wander,
// read through the real clock model (dataplane/clock) that the discipline's commands correct.
// Steps apply at once, slews at the bounded rate kMaxSlewRate, frequency changes at once.
#pragma once

#include <cstdint>

#include "control/engine/prng.hpp"
#include "dataplane/clock/clock_model.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::sim {

struct OscillatorModel {
  double frequency_offset = 50e-6;  // s/s: the oscillator runs this much fast
  double wander = 1e-9;             // random walk of the frequency, s/s per sqrt(s)
};

class SimClock {
 public:
  static constexpr double kNominalHz = 1e9;

  SimClock(const OscillatorModel& model, engine::Prng& prng, UnixNanos utc_at_start);

  // Moves true time forward to `t` (s since the start): integrates the oscillator, draws a new
  // wander step each whole second, ends slews and applies a scheduled leap second.
  void advance_to(double t);

  uint64_t ticks() const;
  // Monotonic engine time: ticks at the nominal rate.
  int64_t steady_nanos() const { return static_cast<int64_t>(ticks()); }
  UnixNanos utc_nanos() const;
  double utc_seconds_fraction_error(UnixNanos truth) const;  // reading - truth, s
  NtpTimestamp ntp() const;

  void step(double seconds);
  void slew(double seconds);
  void set_frequency(double frequency);
  void schedule_leap(int direction, UnixNanos at_utc);  // +1 insert, -1 delete, 0 cancel

  // Residual frequency error of the disciplined clock against true time, s/s (slews excluded).
  double frequency_error() const;
  double oscillator_frequency() const { return y_; }
  int steps() const { return steps_; }
  int leaps() const { return leaps_; }

 private:
  void apply_rate(uint64_t at_tick);
  double slew_remaining() const;

  OscillatorModel model_;
  engine::Prng& prng_;
  double t_ = 0.0;            // true time, s
  double y_ = 0.0;            // current oscillator frequency offset
  double next_wander_ = 1.0;  // true time of the next wander step
  double seg_t_ = 0.0;        // start of the constant-frequency segment
  double seg_ticks_ = 0.0;    // ticks at seg_t_
  double ticks_ = 0.0;
  clock::ClockModel model_map_;
  double frequency_ = 0.0;  // discipline frequency correction
  int slew_sign_ = 0;
  uint64_t slew_end_tick_ = 0;
  int leap_direction_ = 0;
  UnixNanos leap_at_ = 0;
  int steps_ = 0;
  int leaps_ = 0;
};

}  // namespace wiretime::sim

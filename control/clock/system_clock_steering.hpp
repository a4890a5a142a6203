// `clock.driver: system` on the DPDK backend: the engine disciplines the tick->UTC model the
// lcores use, and the control thread makes CLOCK_REALTIME follow that model. The host clock is
// only ever touched through SystemClockSteering (the daemon's implementation calls
// clock_adjtime; unit tests use a fake), and SystemClockFollower decides what to do. Pure.
#pragma once

#include <cstdint>

namespace wiretime::clock {

class SystemClockSteering {
 public:
  virtual ~SystemClockSteering() = default;
  // The host clock's frequency correction, s/s (positive: faster), absolute.
  virtual double frequency() const = 0;
  virtual void set_frequency(double frequency) = 0;
  // Moves the host clock by `seconds` at once.
  virtual void step(double seconds) = 0;
  // adjtimex maxerror/esterror (s) and STA_UNSYNC (cleared when `synchronized`).
  virtual void set_status(double max_error, double est_error, bool synchronized) = 0;
};

struct FollowerInput {
  double offset = 0.0;    // host clock minus the disciplined clock at one instant, s
  double interval = 1.0;  // s since the previous input
  int steps = 0;          // steps (and stepped leap seconds) of the disciplined clock so far
  bool synchronized = false;
  double bound = 0.0;           // half-width of the disciplined clock's error bound, s
  double error_estimate = 0.0;  // s
};

// A PI loop on the host clock's frequency, run about once a second: the offset is slewed
// away (never stepped) and the integral term learns the rate between the host clock's
// oscillator and the disciplined clock. A step of the disciplined clock is copied at once
// (the only step the host clock takes). maxerror is the disciplined clock's bound plus the
// host clock's remaining offset from it; esterror the engine's estimate plus that offset.
class SystemClockFollower {
 public:
  // Gains for a one-second loop (linuxptp phc2sys's defaults: kp 0.7, ki 0.3).
  static constexpr double kKp = 0.7;
  static constexpr double kKi = 0.3;
  static constexpr double kMaxFrequency = 500e-6;

  explicit SystemClockFollower(SystemClockSteering& steering);

  void update(const FollowerInput& in);

  double integral() const { return integral_; }
  int host_steps() const { return host_steps_; }

 private:
  SystemClockSteering& steering_;
  double integral_;
  int steps_ = -1;
  int host_steps_ = 0;
};

}  // namespace wiretime::clock

// RFC 5905 section 11.3 (appendix A.5.5.6 local_clock, A.5.6.1 clock_adjust): the clock
// discipline. States NSET/FSET/SPIK/FREQ/SYNC, step threshold, stepout, panic threshold,
// +-500 ppm frequency limit and the poll-adjust counter are the RFC's in both modes; the mode
// chooses how the offset and frequency are estimated inside those states (docs/engine.md).
#pragma once

#include <optional>

namespace wiretime::engine {

enum class ClockState { kNset, kFset, kSpik, kFreq, kSync };

enum class DisciplineMode {
  kRfcPllFll,   // RFC hybrid PLL/FLL with exponential phase amortization by clock_adjust
  kRegression,  // per-source weighted regression supplies offset and frequency; full correction
};

enum class ClockAction { kIgnore, kSlew, kStep, kPanic };

struct ClockUpdate {
  double offset = 0.0;     // combined offset, s (positive: the local clock is behind)
  double frequency = 0.0;  // combined d(offset)/dt (regression mode), s/s
  bool frequency_valid = false;
  double time = 0.0;  // steady seconds of the update
  // Regression mode: the poll exponent change this update argues for (chrony's poll score:
  // positive lengthens, fractions accumulate). Replaces the RFC's poll-adjust counter when set.
  std::optional<double> poll_score;
};

// What the caller applies to the clock model. `step` at once, `slew` gradually at a bounded
// rate, then the frequency correction becomes `frequency` (absolute, s/s; positive speeds up).
struct ClockCommand {
  ClockAction action = ClockAction::kIgnore;
  double step = 0.0;
  double slew = 0.0;
  double frequency = 0.0;
  double frequency_delta = 0.0;  // change against the previous command, for sample re-expression
};

class LocalClock {
 public:
  // `initial_frequency` (a drift file or configuration) starts the discipline in FSET.
  LocalClock(DisciplineMode mode, double precision, std::optional<double> initial_frequency);

  // RFC local_clock(). `poll` is the current system poll exponent; `min_poll`/`max_poll` bound
  // the poll-adjust result.
  ClockCommand update(const ClockUpdate& u, int min_poll, int max_poll);
  // RFC clock_adjust(), once per second: the RFC mode's phase amortization. Regression mode
  // corrects at update time and returns kIgnore here.
  ClockCommand adjust();

  DisciplineMode mode() const { return mode_; }
  ClockState state() const { return state_; }
  double frequency() const { return frequency_; }
  double last_offset() const { return last_offset_; }
  double jitter() const { return jitter_; }
  double wander() const { return wander_; }
  int poll() const { return poll_; }
  void set_poll(int poll) { poll_ = poll; }
  double spike_started() const { return spike_start_; }
  double last_update() const { return last_update_; }
  bool synchronized() const { return state_ == ClockState::kSync || state_ == ClockState::kSpik; }

 private:
  void poll_adjust(double offset, std::optional<double> score, int min_poll, int max_poll);
  void update_jitter(double offset);
  ClockCommand finish(ClockCommand cmd, double new_frequency);

  DisciplineMode mode_;
  double precision_;
  ClockState state_ = ClockState::kNset;
  double frequency_ = 0.0;    // current frequency correction, s/s
  double residual_ = 0.0;     // RFC c.offset: phase still to amortize (RFC mode)
  double last_offset_ = 0.0;  // offset of the last update
  double base_offset_ = 0.0;  // RFC c.base: offset at the start of the FREQ interval
  double jitter_ = 0.0;
  double wander_ = 0.0;
  double last_update_ = 0.0;  // RFC c.t
  double freq_start_ = 0.0;   // when FREQ state was entered
  double spike_start_ = 0.0;
  bool have_update_ = false;
  int count_ = 0;       // poll-adjust counter
  double score_ = 0.0;  // fractional poll exponent change (regression mode)
  int poll_ = 6;
};

}  // namespace wiretime::engine

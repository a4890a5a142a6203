// RFC 5905 section 11.3 (appendix A.5.5.6 local_clock, A.5.6.1 clock_adjust): the clock
// discipline's shared policy. States NSET/FSET/SPIK/FREQ/SYNC, step threshold, stepout, panic
// threshold, +-500 ppm frequency limit and the poll exponent are the RFC's for both families;
// the Discipline (discipline.hpp) chooses how the offset and frequency are corrected inside
// those states (docs/engine.md).
#pragma once

#include <optional>

#include "control/engine/discipline.hpp"

namespace wiretime::engine {

class LocalClock {
 public:
  // `initial_frequency` (a drift file or configuration) starts the discipline in FSET.
  LocalClock(DisciplineMode mode, double precision, std::optional<double> initial_frequency);

  // RFC local_clock(). `min_poll`/`max_poll` bound the poll-adjust result.
  ClockCommand update(const ClockUpdate& u, int min_poll, int max_poll);
  // RFC clock_adjust(), once per second: the RFC family's phase amortization. The regression
  // corrects at update time and returns kIgnore here.
  ClockCommand adjust();

  const Discipline& discipline() const { return *discipline_; }
  DisciplineMode mode() const { return discipline_->mode(); }
  ClockState state() const { return s_.state; }
  double frequency() const { return s_.frequency; }
  double last_offset() const { return s_.last_offset; }
  double jitter() const { return jitter_; }
  double wander() const { return wander_; }
  int poll() const { return s_.poll; }
  void set_poll(int poll) { s_.poll = poll; }
  double spike_started() const { return spike_start_; }
  double last_update() const { return s_.last_update; }
  bool synchronized() const {
    return s_.state == ClockState::kSync || s_.state == ClockState::kSpik;
  }

 private:
  void poll_adjust(double offset, std::optional<double> score, int min_poll, int max_poll);
  void update_jitter(double offset);
  ClockCommand finish(ClockCommand cmd, double new_frequency);

  const Discipline* discipline_;
  double precision_;
  DisciplineState s_;
  double jitter_ = 0.0;
  double wander_ = 0.0;
  double spike_start_ = 0.0;
  int count_ = 0;       // RFC poll-adjust counter
  double score_ = 0.0;  // fractional poll exponent change (chrony's poll score)
};

}  // namespace wiretime::engine

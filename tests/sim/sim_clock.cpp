#include "tests/sim/sim_clock.hpp"

#include <cmath>

namespace wiretime::sim {
namespace {

// Start the tick counter far from zero so nothing depends on it being small.
constexpr double kFirstTick = 1e12;

}  // namespace

SimClock::SimClock(const OscillatorModel& model, engine::Prng& prng, UnixNanos utc_at_start,
                   const clock::DisciplinedClockConfig& config)
    : model_(model),
      prng_(prng),
      y_(model.frequency_offset),
      seg_ticks_(kFirstTick),
      ticks_(kFirstTick),
      // The map reads ticks at the nominal rate: the oscillator's error lives in the tick
      // counter itself, as on real hardware, and only the discipline corrects it.
      disciplined_(
          clock::ClockModel::from_rate(static_cast<uint64_t>(kFirstTick), utc_at_start, kNominalHz),
          config) {}

uint64_t SimClock::ticks() const {
  return static_cast<uint64_t>(std::llround(ticks_));
}

void SimClock::advance_to(double t) {
  while (t_ < t) {
    const double until = std::min(t, next_wander_);
    const double rate = kNominalHz * (1.0 + y_);
    const double ticks_until = seg_ticks_ + (until - seg_t_) * rate;
    // Stop exactly at the disciplined clock's next event (a slew or smear ending, a leap), as
    // the daemon's control loop does; passing it would over-apply the slew until the next call.
    const auto event = disciplined_.next_event(ticks());
    if (event && *event > ticks() && static_cast<double>(*event) <= ticks_until) {
      ticks_ = static_cast<double>(*event);
      t_ = seg_t_ + (ticks_ - seg_ticks_) / rate;
      disciplined_.advance(*event);
      continue;
    }
    ticks_ = ticks_until;
    t_ = until;
    if (t_ >= next_wander_) {
      seg_ticks_ = ticks_;
      seg_t_ = t_;
      y_ += model_.wander * prng_.normal();
      if (!jumped_ && model_.jump_at >= 0.0 && t_ >= model_.jump_at) {
        y_ += model_.jump;
        jumped_ = true;
      }
      next_wander_ += 1.0;
    }
  }
  disciplined_.advance(ticks());
}

UnixNanos SimClock::utc_nanos() const {
  return disciplined_.model().utc_nanos(ticks());
}

double SimClock::utc_seconds_fraction_error(UnixNanos truth) const {
  // Sub-nanosecond reading through the fixed-point map, against a nanosecond truth.
  const clock::Fixed reading = disciplined_.model().utc_fixed(ticks());
  const clock::Fixed truth_fixed = (clock::Fixed{truth} << 64) / 1'000'000'000;
  return std::ldexp(static_cast<double>(reading - truth_fixed), -64);
}

NtpTimestamp SimClock::ntp() const {
  return disciplined_.model().ntp(ticks());
}

bool SimClock::apply(const engine::Action& action) {
  return disciplined_.apply(action, ticks());
}

double SimClock::frequency_error() const {
  return (1.0 + y_) * (1.0 + disciplined_.frequency()) - 1.0;
}

}  // namespace wiretime::sim

#include "tests/sim/sim_clock.hpp"

#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::sim {

SimClock::SimClock(const OscillatorModel& model, engine::Prng& prng, UnixNanos utc_at_start)
    : model_(model), prng_(prng), y_(model.frequency_offset) {
  // Start the tick counter far from zero so nothing depends on it being small.
  seg_ticks_ = 1e12;
  ticks_ = seg_ticks_;
  model_map_ = clock::ClockModel::from_rate(ticks(), utc_at_start, kNominalHz);
}

uint64_t SimClock::ticks() const {
  return static_cast<uint64_t>(std::llround(ticks_));
}

void SimClock::advance_to(double t) {
  while (t_ < t) {
    const double until = std::min(t, next_wander_);
    ticks_ = seg_ticks_ + (until - seg_t_) * kNominalHz * (1.0 + y_);
    t_ = until;
    if (t_ >= next_wander_) {
      seg_ticks_ = ticks_;
      seg_t_ = t_;
      y_ += model_.wander * prng_.normal();
      next_wander_ += 1.0;
    }
  }
  const uint64_t now = ticks();
  if (slew_sign_ != 0 && now >= slew_end_tick_) {
    slew_sign_ = 0;
    model_map_ = model_map_.with_frequency(slew_end_tick_, frequency_ * 1e9);
  }
  if (leap_direction_ != 0) {
    const UnixNanos reading = model_map_.utc_nanos(now);
    if (reading >= leap_at_) {
      // Step at the tick where the reading crossed midnight, so the error window is exact.
      const double rate = 1.0 + model_map_.frequency_ppb() * 1e-9;
      const double back = static_cast<double>(reading - leap_at_) * 1e-9 * kNominalHz / rate;
      const uint64_t at = now - static_cast<uint64_t>(back);
      model_map_ = model_map_.stepped(at, NtpDuration::from_seconds(int64_t{-leap_direction_}));
      leap_direction_ = 0;
      ++leaps_;
    }
  }
}

UnixNanos SimClock::utc_nanos() const {
  return model_map_.utc_nanos(ticks());
}

double SimClock::utc_seconds_fraction_error(UnixNanos truth) const {
  // Sub-nanosecond reading through the fixed-point map, against a nanosecond truth.
  const clock::Fixed reading = model_map_.utc_fixed(ticks());
  const clock::Fixed truth_fixed = (clock::Fixed{truth} << 64) / 1'000'000'000;
  return std::ldexp(static_cast<double>(reading - truth_fixed), -64);
}

NtpTimestamp SimClock::ntp() const {
  return model_map_.ntp(ticks());
}

double SimClock::slew_remaining() const {
  if (slew_sign_ == 0) return 0.0;
  const uint64_t now = ticks();
  if (now >= slew_end_tick_) return 0.0;
  return slew_sign_ * static_cast<double>(slew_end_tick_ - now) / kNominalHz * engine::kMaxSlewRate;
}

void SimClock::apply_rate(uint64_t at_tick) {
  model_map_ =
      model_map_.with_frequency(at_tick, (frequency_ + slew_sign_ * engine::kMaxSlewRate) * 1e9);
}

void SimClock::step(double seconds) {
  model_map_ = model_map_.stepped(ticks(), NtpDuration::from_seconds(seconds));
  ++steps_;
}

void SimClock::slew(double seconds) {
  const double total = slew_remaining() + seconds;
  const uint64_t now = ticks();
  if (total == 0.0) {
    slew_sign_ = 0;
  } else {
    slew_sign_ = total > 0 ? 1 : -1;
    slew_end_tick_ = now + static_cast<uint64_t>(
                               std::llround(std::abs(total) / engine::kMaxSlewRate * kNominalHz));
  }
  apply_rate(now);
}

void SimClock::set_frequency(double frequency) {
  frequency_ = frequency;
  apply_rate(ticks());
}

void SimClock::schedule_leap(int direction, UnixNanos at_utc) {
  leap_direction_ = direction;
  leap_at_ = at_utc;
}

double SimClock::frequency_error() const {
  return (1.0 + y_) * (1.0 + frequency_) - 1.0;
}

}  // namespace wiretime::sim

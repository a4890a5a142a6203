#include "control/clock/disciplined_clock.hpp"

#include <algorithm>
#include <cmath>
#include <variant>

namespace wiretime::clock {
namespace {

// Ticks wrap around; a tick is "reached" when the signed distance to it is not negative.
bool reached(uint64_t now, uint64_t tick) {
  return static_cast<int64_t>(now - tick) >= 0;
}

int leap_direction(engine::LeapKind kind) {
  return kind == engine::LeapKind::kInsert ? 1 : kind == engine::LeapKind::kDelete ? -1 : 0;
}

}  // namespace

DisciplinedClock::DisciplinedClock(const ClockModel& initial, const DisciplinedClockConfig& config)
    : config_(config),
      model_(initial),
      ticks_per_second_(initial.nominal_ticks_per_second()),
      oscillator_(initial.frequency_ppb() * 1e-9) {}

double DisciplinedClock::rate() const {
  double correction = frequency_ + slew_sign_ * slew_rate_ + smear_rate_;
  const double limit = config_.slew.total_limit;
  // What the kernel does with an ADJ_FREQUENCY beyond its limit; slews are planned within it.
  if (limit > 0.0) correction = std::clamp(correction, -limit, limit);
  return oscillator_ + correction;
}

void DisciplinedClock::rebase(uint64_t at) {
  model_ = model_.with_frequency(at, rate() * 1e9);
}

double DisciplinedClock::seconds_between(uint64_t from, uint64_t to) const {
  return static_cast<double>(static_cast<int64_t>(to - from)) / ticks_per_second_;
}

uint64_t DisciplinedClock::tick_of_utc(uint64_t now, UnixNanos utc) const {
  const UnixNanos reading = model_.utc_nanos(now);
  if (utc <= reading) return now;
  // Rounded up, plus one tick, so the reading has certainly reached `utc` at the result.
  const double ahead = static_cast<double>(utc - reading) * 1e-9 / (1.0 + rate());
  return now + static_cast<uint64_t>(std::ceil(ahead * ticks_per_second_)) + 1;
}

bool DisciplinedClock::apply(const engine::Action& action, uint64_t at) {
  if (const auto* s = std::get_if<engine::StepClock>(&action)) {
    step(at, s->offset);
  } else if (const auto* w = std::get_if<engine::SlewClock>(&action)) {
    slew(at, w->offset);
  } else if (const auto* f = std::get_if<engine::SetFrequency>(&action)) {
    set_frequency(at, f->frequency);
  } else if (const auto* l = std::get_if<engine::ScheduleLeap>(&action)) {
    schedule_leap(at, *l);
  } else {
    return false;
  }
  return true;
}

void DisciplinedClock::step(uint64_t at, double seconds) {
  advance(at);
  model_ = model_.stepped(at, NtpDuration::from_seconds(seconds));
  ++steps_;
}

double DisciplinedClock::slew_remaining(uint64_t now) const {
  if (slew_sign_ == 0 || reached(now, slew_end_)) return 0.0;
  return slew_sign_ * seconds_between(now, slew_end_) * slew_rate_;
}

void DisciplinedClock::start_slew(uint64_t at, double total) {
  const int sign = total > 0 ? 1 : -1;
  const double rate = engine::slew_rate(config_.slew, frequency_, sign);
  const auto duration =
      static_cast<uint64_t>(std::llround(std::abs(total) / rate * ticks_per_second_));
  if (duration == 0) {
    slew_sign_ = 0;
  } else {
    slew_sign_ = sign;
    slew_rate_ = rate;
    slew_end_ = at + duration;
  }
}

void DisciplinedClock::slew(uint64_t at, double seconds) {
  advance(at);
  // A new slew replaces the remainder of the old one with their sum, as the engine assumes.
  start_slew(at, slew_remaining(at) + seconds);
  rebase(at);
}

void DisciplinedClock::set_frequency(uint64_t at, double frequency) {
  advance(at);
  // The rest of a running slew goes on at the rate the new frequency leaves (the engine
  // re-plans its own account of the slew the same way).
  const double remaining = slew_remaining(at);
  frequency_ = frequency;
  if (slew_sign_ != 0) start_slew(at, remaining);
  rebase(at);
}

void DisciplinedClock::schedule_leap(uint64_t at, const engine::ScheduleLeap& leap) {
  advance(at);
  if (smearing()) {
    // A cancellation mid-smear keeps what was smeared so far: the discipline measures the
    // difference like any other offset. A re-announcement of the same leap changes nothing.
    if (leap.kind == leap_kind_) return;
    end_smear(at);
  }
  leap_kind_ = leap.kind;
  leap_at_ = leap.at_utc;
  leap_smear_ = leap.smear;
  advance(at);  // a leap already due starts (smear) or happens (step) now
}

void DisciplinedClock::end_slew(uint64_t now) {
  overshoot_ += slew_sign_ * slew_rate_ * seconds_between(slew_end_, now);
  slew_sign_ = 0;
  rebase(now);
}

void DisciplinedClock::end_smear(uint64_t now) {
  if (reached(now, smear_end_)) overshoot_ += smear_rate_ * seconds_between(smear_end_, now);
  smear_rate_ = 0.0;
  leap_kind_ = engine::LeapKind::kNone;
  rebase(now);
}

bool DisciplinedClock::advance(uint64_t now) {
  bool changed = false;
  if (slew_sign_ != 0 && reached(now, slew_end_)) {
    end_slew(now);
    changed = true;
  }
  if (smearing() && reached(now, smear_end_)) {
    end_smear(now);
    ++leaps_;
    changed = true;
  }
  const int direction = leap_direction(leap_kind_);
  if (direction == 0 || smearing()) return changed;

  const UnixNanos reading = model_.utc_nanos(now);
  if (!leap_smear_) {
    if (reading < leap_at_) return changed;
    // Step at the tick where the reading crossed midnight, not at `now`: an insertion repeats
    // the second that began there, so the one-second window is exact.
    const double past = static_cast<double>(reading - leap_at_) * 1e-9 / (1.0 + rate());
    const uint64_t at = now - static_cast<uint64_t>(std::llround(past * ticks_per_second_));
    model_ = model_.stepped(at, NtpDuration::from_seconds(int64_t{-direction}));
    leap_kind_ = engine::LeapKind::kNone;
    ++leaps_;
    return true;
  }
  const auto half_window = static_cast<int64_t>(config_.smear_window * 0.5e9);
  if (reading < leap_at_ - half_window) return changed;
  // Started late (announced inside the window): the rest of the window takes the whole second.
  const double span = std::max(1.0, static_cast<double>(leap_at_ + half_window - reading) * 1e-9);
  smear_rate_ = -direction / span;
  smear_end_ = now + static_cast<uint64_t>(std::llround(span * ticks_per_second_));
  rebase(now);
  return true;
}

std::optional<uint64_t> DisciplinedClock::next_event(uint64_t now) const {
  std::optional<uint64_t> next;
  auto consider = [&](uint64_t tick) {
    if (!next || static_cast<int64_t>(tick - *next) < 0) next = tick;
  };
  if (slew_sign_ != 0) consider(slew_end_);
  if (smearing()) {
    consider(smear_end_);
  } else if (leap_kind_ != engine::LeapKind::kNone) {
    const auto half_window = static_cast<int64_t>(config_.smear_window * 0.5e9);
    consider(tick_of_utc(now, leap_smear_ ? leap_at_ - half_window : leap_at_));
  }
  return next;
}

}  // namespace wiretime::clock

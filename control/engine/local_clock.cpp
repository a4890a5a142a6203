#include "control/engine/local_clock.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

LocalClock::LocalClock(DisciplineMode mode, double precision,
                       std::optional<double> initial_frequency)
    : discipline_(&discipline_for(mode)), precision_(precision) {
  if (initial_frequency) {
    s_.frequency = std::clamp(*initial_frequency, -kMaxFreq, kMaxFreq);
    s_.state = ClockState::kFset;
  }
}

void LocalClock::update_jitter(double offset) {
  const double e = jitter_ * jitter_;
  const double d = std::max(std::abs(offset - s_.last_offset), precision_);
  jitter_ = std::sqrt(e + (d * d - e) / kAvg);
}

void LocalClock::poll_adjust(double offset, std::optional<double> score, int min_poll,
                             int max_poll) {
  int& poll = s_.poll;
  if (score) {
    // chrony's adjust_poll(): the score moves the exponent by its whole part.
    score_ += *score;
    if (score_ >= 1.0) {
      poll += static_cast<int>(score_);
      score_ -= static_cast<int>(score_);
    } else if (score_ < 0.0) {
      poll += static_cast<int>(score_ - 1.0);
      score_ -= static_cast<int>(score_ - 1.0);
    }
    if (poll < min_poll) {
      poll = min_poll;
      score_ = 0.0;
    } else if (poll > max_poll) {
      poll = max_poll;
      score_ = 1.0;
    }
    return;
  }
  // RFC A.5.5.6 poll-adjust: lengthen the poll while offsets stay within PGATE jitters,
  // shorten it otherwise.
  const bool good = std::abs(offset) < kPgate * jitter_;
  if (good) {
    count_ += poll;
    if (count_ > kLimit) {
      count_ = kLimit;
      if (poll < max_poll) {
        count_ = 0;
        ++poll;
      }
    }
  } else {
    count_ -= poll << 1;
    if (count_ < -kLimit) {
      count_ = -kLimit;
      if (poll > min_poll) {
        count_ = 0;
        --poll;
      }
    }
  }
  poll = std::clamp(poll, min_poll, max_poll);
}

ClockCommand LocalClock::finish(ClockCommand cmd, double new_frequency) {
  new_frequency = std::clamp(new_frequency, -kMaxFreq, kMaxFreq);
  cmd.frequency_delta = new_frequency - s_.frequency;
  const double e = wander_ * wander_;
  wander_ = std::sqrt(e + (cmd.frequency_delta * cmd.frequency_delta - e) / kAvg);
  s_.frequency = new_frequency;
  cmd.frequency = s_.frequency;
  return cmd;
}

ClockCommand LocalClock::update(const ClockUpdate& u, int min_poll, int max_poll) {
  ClockCommand cmd;
  cmd.frequency = s_.frequency;
  if (std::abs(u.offset) > kPanicThreshold) {
    cmd.action = ClockAction::kPanic;
    return cmd;
  }
  const double mu = s_.have_update ? u.time - s_.last_update : 0.0;
  double freq = s_.frequency;

  if (std::abs(u.offset) > kStepThreshold) {
    if (s_.state == ClockState::kSync) {
      // A single large offset may be a spike: wait up to the stepout interval.
      s_.state = ClockState::kSpik;
      spike_start_ = u.time;
      return cmd;
    }
    if (s_.state == ClockState::kSpik && u.time - spike_start_ < kStepout) return cmd;
    if (!discipline_->step(s_, u, freq)) return cmd;
    cmd.action = ClockAction::kStep;
    cmd.step = u.offset;
    s_.residual = 0.0;
    s_.last_offset = 0.0;
    count_ = 0;
    score_ = 0.0;
    s_.poll = min_poll;
    s_.last_update = u.time;
    s_.have_update = true;
    if (s_.state == ClockState::kNset && discipline_->frequency_unknown_after_step(u)) {
      s_.state = ClockState::kFreq;
      s_.freq_start = u.time;
      s_.base_offset = 0.0;
    } else {
      s_.state = ClockState::kSync;
    }
    return finish(cmd, freq);
  }

  update_jitter(u.offset);
  cmd.action = ClockAction::kSlew;
  if (!discipline_->correct(s_, u, mu, freq, cmd)) {
    cmd.action = ClockAction::kIgnore;
    return cmd;
  }
  if (s_.state == ClockState::kFset || s_.state == ClockState::kSpik) s_.state = ClockState::kSync;
  s_.last_offset = u.offset;
  s_.last_update = u.time;
  s_.have_update = true;
  poll_adjust(u.offset, u.poll_score, min_poll, max_poll);
  return finish(cmd, freq);
}

ClockCommand LocalClock::adjust() {
  return discipline_->adjust(s_);
}

}  // namespace wiretime::engine

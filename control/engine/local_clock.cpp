#include "control/engine/local_clock.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

LocalClock::LocalClock(DisciplineMode mode, double precision,
                       std::optional<double> initial_frequency)
    : mode_(mode), precision_(precision) {
  if (initial_frequency) {
    frequency_ = std::clamp(*initial_frequency, -kMaxFreq, kMaxFreq);
    state_ = ClockState::kFset;
  }
}

void LocalClock::update_jitter(double offset) {
  const double e = jitter_ * jitter_;
  const double d = std::max(std::abs(offset - last_offset_), precision_);
  jitter_ = std::sqrt(e + (d * d - e) / kAvg);
}

void LocalClock::poll_adjust(double offset, std::optional<double> score, int min_poll,
                             int max_poll) {
  if (score) {
    // chrony's adjust_poll(): the score moves the exponent by its whole part.
    score_ += *score;
    if (score_ >= 1.0) {
      poll_ += static_cast<int>(score_);
      score_ -= static_cast<int>(score_);
    } else if (score_ < 0.0) {
      poll_ += static_cast<int>(score_ - 1.0);
      score_ -= static_cast<int>(score_ - 1.0);
    }
    if (poll_ < min_poll) {
      poll_ = min_poll;
      score_ = 0.0;
    } else if (poll_ > max_poll) {
      poll_ = max_poll;
      score_ = 1.0;
    }
    return;
  }
  // RFC A.5.5.6 poll-adjust: lengthen the poll while offsets stay within PGATE jitters,
  // shorten it otherwise.
  const bool good = std::abs(offset) < kPgate * jitter_;
  if (good) {
    count_ += poll_;
    if (count_ > kLimit) {
      count_ = kLimit;
      if (poll_ < max_poll) {
        count_ = 0;
        ++poll_;
      }
    }
  } else {
    count_ -= poll_ << 1;
    if (count_ < -kLimit) {
      count_ = -kLimit;
      if (poll_ > min_poll) {
        count_ = 0;
        --poll_;
      }
    }
  }
  poll_ = std::clamp(poll_, min_poll, max_poll);
}

ClockCommand LocalClock::finish(ClockCommand cmd, double new_frequency) {
  new_frequency = std::clamp(new_frequency, -kMaxFreq, kMaxFreq);
  cmd.frequency_delta = new_frequency - frequency_;
  const double e = wander_ * wander_;
  wander_ = std::sqrt(e + (cmd.frequency_delta * cmd.frequency_delta - e) / kAvg);
  frequency_ = new_frequency;
  cmd.frequency = frequency_;
  return cmd;
}

ClockCommand LocalClock::update(const ClockUpdate& u, int min_poll, int max_poll) {
  ClockCommand cmd;
  cmd.frequency = frequency_;
  if (std::abs(u.offset) > kPanicThreshold) {
    cmd.action = ClockAction::kPanic;
    return cmd;
  }
  const double mu = have_update_ ? u.time - last_update_ : 0.0;
  double freq = frequency_;

  if (std::abs(u.offset) > kStepThreshold) {
    switch (state_) {
      case ClockState::kSync:
        // A single large offset may be a spike: wait up to the stepout interval.
        state_ = ClockState::kSpik;
        spike_start_ = u.time;
        return cmd;
      case ClockState::kSpik:
        if (u.time - spike_start_ < kStepout) return cmd;
        break;
      case ClockState::kFreq:
        // The RFC waits out the stepout before stepping in FREQ so it can measure frequency
        // from the drift. The regression has the frequency already (docs/engine.md).
        if (mode_ == DisciplineMode::kRfcPllFll) {
          if (u.time - freq_start_ < kStepout) return cmd;
          freq += (u.offset - base_offset_) / std::max(u.time - freq_start_, 1.0);
        } else if (u.frequency_valid) {
          freq += u.frequency;
        }
        break;
      default:
        if (mode_ == DisciplineMode::kRegression && u.frequency_valid) freq += u.frequency;
        break;
    }
    cmd.action = ClockAction::kStep;
    cmd.step = u.offset;
    residual_ = 0.0;
    last_offset_ = 0.0;
    count_ = 0;
    score_ = 0.0;
    poll_ = min_poll;
    last_update_ = u.time;
    have_update_ = true;
    if (state_ == ClockState::kNset &&
        !(mode_ == DisciplineMode::kRegression && u.frequency_valid)) {
      state_ = ClockState::kFreq;
      freq_start_ = u.time;
      base_offset_ = 0.0;
    } else {
      state_ = ClockState::kSync;
    }
    return finish(cmd, freq);
  }

  update_jitter(u.offset);
  cmd.action = ClockAction::kSlew;
  if (mode_ == DisciplineMode::kRfcPllFll) {
    switch (state_) {
      case ClockState::kNset:
        // First sample: remember the offset, measure frequency from the drift during FREQ.
        residual_ = u.offset;
        base_offset_ = u.offset;
        state_ = ClockState::kFreq;
        freq_start_ = u.time;
        last_offset_ = u.offset;
        last_update_ = u.time;
        have_update_ = true;
        cmd.action = ClockAction::kIgnore;
        return cmd;
      case ClockState::kFreq:
        // RFC: no correction while the frequency is measured from the drift over the stepout.
        if (u.time - freq_start_ < kStepout) {
          cmd.action = ClockAction::kIgnore;
          return cmd;
        }
        freq += (u.offset - base_offset_) / (u.time - freq_start_);
        state_ = ClockState::kSync;
        break;
      default: {
        const double tau = std::ldexp(1.0, poll_);
        if (poll_ >= kAllanPoll) freq += (u.offset - last_offset_) / std::max(tau, mu) * kFllGain;
        // ntpd's numerator: the update interval up to the Allan intercept (the RFC text caps
        // it at the poll interval, which starves the loop when the filter skips samples).
        const double t = std::min(mu, std::ldexp(1.0, kAllanPoll));
        const double d = 4.0 * kPllGain * tau;
        freq += u.offset * t / (d * d);
        break;
      }
    }
    residual_ = u.offset;
  } else {
    switch (state_) {
      case ClockState::kNset:
        state_ = ClockState::kFreq;
        freq_start_ = u.time;
        break;
      case ClockState::kFreq:
        if (u.frequency_valid) freq += u.frequency;
        break;
      default:
        if (u.frequency_valid) freq += u.frequency;
        break;
    }
    cmd.slew = u.offset;
  }
  if (state_ == ClockState::kFset || state_ == ClockState::kSpik) state_ = ClockState::kSync;
  if (state_ == ClockState::kFreq && mode_ == DisciplineMode::kRegression && u.frequency_valid)
    state_ = ClockState::kSync;
  last_offset_ = u.offset;
  last_update_ = u.time;
  have_update_ = true;
  poll_adjust(u.offset, u.poll_score, min_poll, max_poll);
  return finish(cmd, freq);
}

ClockCommand LocalClock::adjust() {
  ClockCommand cmd;
  cmd.frequency = frequency_;
  if (mode_ != DisciplineMode::kRfcPllFll || residual_ == 0.0) return cmd;
  const double tau = std::ldexp(1.0, std::min(poll_, kAllanPoll));
  const double d = residual_ / (kPllGain * tau);
  residual_ -= d;
  cmd.action = ClockAction::kSlew;
  cmd.slew = d;
  return cmd;
}

}  // namespace wiretime::engine

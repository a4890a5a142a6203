#include "control/engine/discipline.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"
#include "control/engine/root_dist.hpp"

namespace wiretime::engine {
namespace {

// RFC 5905 section 11.3 hybrid PLL/FLL with ntpd's loop constants (docs/engine.md): the clock
// filter feeds selection, the phase is amortized once a second by clock_adjust.
class RfcPllFll final : public Discipline {
 public:
  DisciplineMode mode() const override { return DisciplineMode::kRfcPllFll; }

  bool step(const DisciplineState& s, const ClockUpdate& u, double& freq) const override {
    if (s.state != ClockState::kFreq) return true;
    // The RFC waits out the stepout before stepping in FREQ so it can measure the frequency
    // from the drift.
    if (u.time - s.freq_start < kStepout) return false;
    freq += (u.offset - s.base_offset) / std::max(u.time - s.freq_start, 1.0);
    return true;
  }

  bool frequency_unknown_after_step(const ClockUpdate&) const override { return true; }

  bool correct(DisciplineState& s, const ClockUpdate& u, double mu, double& freq,
               ClockCommand&) const override {
    switch (s.state) {
      case ClockState::kNset:
        // First sample: remember the offset, measure frequency from the drift during FREQ.
        s.residual = u.offset;
        s.base_offset = u.offset;
        s.state = ClockState::kFreq;
        s.freq_start = u.time;
        s.last_offset = u.offset;
        s.last_update = u.time;
        s.have_update = true;
        return false;
      case ClockState::kFreq:
        // RFC: no correction while the frequency is measured from the drift over the stepout.
        if (u.time - s.freq_start < kStepout) return false;
        freq += (u.offset - s.base_offset) / (u.time - s.freq_start);
        s.state = ClockState::kSync;
        break;
      default: {
        const double tau = std::ldexp(1.0, s.poll);
        if (s.poll >= kAllanPoll) freq += (u.offset - s.last_offset) / std::max(tau, mu) * kFllGain;
        // ntpd's numerator: the update interval up to the Allan intercept (the RFC text caps
        // it at the poll interval, which starves the loop when the filter skips samples).
        const double t = std::min(mu, std::ldexp(1.0, kAllanPoll));
        const double d = 4.0 * kPllGain * tau;
        freq += u.offset * t / (d * d);
        break;
      }
    }
    // The slew itself comes from clock_adjust(), a fraction each second.
    s.residual = u.offset;
    return true;
  }

  bool needs_adjust_timer() const override { return true; }

  ClockCommand adjust(DisciplineState& s) const override {
    ClockCommand cmd;
    cmd.frequency = s.frequency;
    if (s.residual == 0.0) return cmd;
    const double tau = std::ldexp(1.0, std::min(s.poll, kAllanPoll));
    const double d = s.residual / (kPllGain * tau);
    s.residual -= d;
    cmd.action = ClockAction::kSlew;
    cmd.slew = d;
    return cmd;
  }

  void before_sample(Association&, double, double, const SourceContext&) const override {}

  bool sample_triggers_update(bool filter_fresh) const override { return filter_fresh; }

  bool candidate(Association& a, double now, const SourceContext&, Candidate& c) const override {
    a.distance = root_dist(PeerDistance{
        a.peer.root_delay.to_seconds(), a.peer.root_dispersion.to_seconds(), a.filter.delay(),
        a.filter.dispersion(), a.filter.jitter(), now - a.filter.time()});
    c.offset = a.filter.offset();
    c.jitter = a.filter.jitter();
    c.root_distance = a.distance;
    c.distance = a.distance;
    return true;
  }

  bool fresh_update(const Association& peer, double& last) const override {
    if (peer.filter.time() <= last) return false;
    last = peer.filter.time();
    return true;
  }

  // RFC c.t = p->t: the filter may hand over a sample several polls old.
  double update_epoch(const Association& peer, double) const override { return peer.filter.time(); }

  std::optional<double> poll_score(const Association&, double,
                                   const SourceContext&) const override {
    return std::nullopt;
  }

  double peer_delay(const Association& peer, double, const SourceContext&) const override {
    return peer.filter.delay();
  }

  // Only steps re-express the filter, as ntpd's filter would otherwise hold pre-step offsets.
  bool reexpress(const ClockCommand& cmd, double& frequency_delta) const override {
    frequency_delta = 0.0;
    return cmd.action == ClockAction::kStep;
  }
};

// Per-source weighted regression (offset_regression.hpp) supplies offset and frequency; every
// update corrects both in full.
class Regression final : public Discipline {
 public:
  DisciplineMode mode() const override { return DisciplineMode::kRegression; }

  bool step(const DisciplineState& s, const ClockUpdate& u, double& freq) const override {
    // The regression has the frequency already: no stepout wait in FREQ (docs/engine.md).
    if (s.state != ClockState::kSpik && u.frequency_valid) freq += u.frequency;
    return true;
  }

  bool frequency_unknown_after_step(const ClockUpdate& u) const override {
    return !u.frequency_valid;
  }

  bool correct(DisciplineState& s, const ClockUpdate& u, double, double& freq,
               ClockCommand& cmd) const override {
    if (s.state == ClockState::kNset) {
      s.state = ClockState::kFreq;
      s.freq_start = u.time;
    }
    // The first update too: a regression of two samples already has the frequency, and
    // leaving it for the next update let the clock drift on at the oscillator's full error
    // for another poll (at default polling without iburst: 6 ms at 50 ppm, converged at 203 s).
    if (u.frequency_valid) freq += u.frequency;
    cmd.slew = u.offset;
    if (s.state == ClockState::kFreq && u.frequency_valid) s.state = ClockState::kSync;
    return true;
  }

  bool needs_adjust_timer() const override { return false; }

  ClockCommand adjust(DisciplineState& s) const override {
    ClockCommand cmd;
    cmd.frequency = s.frequency;
    return cmd;
  }

  void before_sample(Association& a, double offset, double now,
                     const SourceContext& ctx) const override {
    // chrony's test for a source it no longer tracks: the new sample against what the
    // regression predicted for it, beside the sample's own distance.
    if (a.regression.size() >= 2) {
      const RegressionEstimate before = a.regression.estimate(now, ctx.precision, ctx.wander);
      a.prediction_error = std::abs(offset - before.offset);
    } else {
      a.prediction_error = 0.0;
    }
    a.prediction_distance = a.last_sample.delay / 2.0 + a.last_sample.dispersion;
  }

  bool sample_triggers_update(bool) const override { return true; }

  bool candidate(Association& a, double now, const SourceContext& ctx,
                 Candidate& c) const override {
    // The regression's own error bound replaces the worst-case dispersion growth of 15 ppm:
    // the server's root distance, half the best round trip (the exchange's error bound) and
    // three standard errors of the estimate (docs/engine.md).
    const RegressionEstimate est = a.regression.estimate(now, ctx.precision, ctx.wander);
    if (a.regression.size() < 2 && !ctx.synchronized) {
      a.selection = SelectionStatus::kNoSamples;
      return false;
    }
    const double root_delay = a.peer.root_delay.to_seconds();
    const double root_disp = a.peer.root_dispersion.to_seconds();
    // Root distance as in RFC 5905 root_dist(): the round trip floored at MINDISP, so the
    // correctness interval never shrinks below +-2.5 ms however quiet the statistics.
    a.distance = std::max(kMinDisp, root_delay + est.min_delay) / 2.0 + root_disp +
                 3.0 * est.offset_sd + ctx.precision;
    c.offset = est.offset;
    c.jitter = est.residual_sd;
    c.frequency = est.frequency;
    c.frequency_valid = est.frequency_valid;
    c.root_distance = a.distance;
    // Ranking and weighting use the sample spread without the floor, so that close
    // truechimers are not all pruned as outliers and the better one weighs more.
    c.distance =
        root_delay / 2.0 + root_disp + est.min_delay / 2.0 + 3.0 * est.offset_sd + ctx.precision;
    return true;
  }

  bool fresh_update(const Association&, double&) const override { return true; }

  double update_epoch(const Association&, double now) const override { return now; }

  std::optional<double> poll_score(const Association& peer, double now,
                                   const SourceContext& ctx) const override {
    // chrony's get_poll_adj(): a source whose newest sample missed the prediction by more than
    // the sample's own distance is not being tracked, so poll faster by the log of the miss;
    // otherwise steer the number of samples the runs test keeps towards the target (more:
    // the offsets are still noise at this poll, so lengthen it; fewer: the wander shows).
    if (peer.prediction_distance > 0.0 && peer.prediction_error > peer.prediction_distance)
      return -std::log2(peer.prediction_error / peer.prediction_distance);
    const RegressionEstimate pe = peer.regression.estimate(now, ctx.precision, ctx.wander);
    const double target = std::max(1, ctx.poll_target);
    // The target counts polls: a `burst` poll brings kBurstCount samples.
    const double polls = pe.samples / (peer.config.burst ? double{kBurstCount} : 1.0);
    double score = (polls / target - 1.0) / target;
    if (polls < target) score *= 2.0;  // shorten faster than lengthen, as chrony does
    return score;
  }

  double peer_delay(const Association& peer, double now, const SourceContext& ctx) const override {
    return peer.regression.estimate(now, ctx.precision, ctx.wander).min_delay;
  }

  // Every correction re-expresses the stored samples in the corrected timescale.
  bool reexpress(const ClockCommand& cmd, double& frequency_delta) const override {
    frequency_delta = cmd.frequency_delta;
    return true;
  }
};

}  // namespace

const Discipline& discipline_for(DisciplineMode mode) {
  static const RfcPllFll rfc;
  static const Regression regression;
  if (mode == DisciplineMode::kRfcPllFll) return rfc;
  return regression;
}

}  // namespace wiretime::engine

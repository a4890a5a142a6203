// Per-source offset/frequency estimate by weighted linear regression over recent samples, in the
// manner of chrony's sourcestats: the window shrinks when the residuals stop looking random
// (runs test), and samples are weighted by their delay above the minimum, because the offset
// error of an exchange is bounded by half of its excess delay (RFC 5905 section 8).
#pragma once

#include <array>

namespace wiretime::engine {

struct RegressionSample {
  double time = 0.0;  // steady seconds of T4
  double offset = 0.0;
  double delay = 0.0;
};

struct RegressionEstimate {
  bool valid = false;            // at least one sample
  bool frequency_valid = false;  // enough samples and span for a slope
  int samples = 0;               // samples in the chosen window
  double offset = 0.0;           // estimated offset at `now`, s
  double frequency = 0.0;        // d(offset)/dt: the clock runs slow by this much, s/s
  double offset_sd = 0.0;        // standard error of `offset`, s
  double frequency_sd = 0.0;     // standard error of `frequency`, s/s
  double min_delay = 0.0;        // minimum delay in the window, s
  double residual_sd = 0.0;      // weighted residual scatter, s (the source's jitter)
  double asymmetry = 0.0;        // coefficient of the excess delay (0: not significant)
};

class OffsetRegression {
 public:
  static constexpr int kMaxSamples = 64;
  static constexpr int kMinRunsSamples = 6;  // below this the runs test has no power

  void add(const RegressionSample& sample);
  // The discipline moved the clock by `phase` at `now` and changed its rate by `frequency`:
  // re-express the stored offsets in the clock's new timescale.
  void apply_correction(double phase, double frequency, double now);
  // Drops the oldest samples so at most `keep` remain (used after a step or a spike).
  void trim(int keep);
  void clear() { count_ = 0; }
  int size() const { return count_; }
  // `precision` is the local clock's reading resolution, the noise floor of any sample.
  // `wander` is the assumed frequency random walk of the oscillator (s/s per sqrt(s)): a
  // sample of age a deviates from any straight line through the present by about
  // wander * sqrt(a^3 / 3), so old samples weigh less (random-walk FM).
  RegressionEstimate estimate(double now, double precision, double wander) const;

 private:
  // Coefficient of the excess delay in the offsets, from consecutive differences (0: none).
  double asymmetry(const double* excess, int n) const;
  const RegressionSample& at(int age) const;  // age 0 = newest
  RegressionSample& at(int age);
  std::array<RegressionSample, kMaxSamples> ring_{};
  int head_ = 0;  // index of the newest sample
  int count_ = 0;
};

}  // namespace wiretime::engine

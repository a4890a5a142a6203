#include "control/engine/offset_regression.hpp"

#include <algorithm>
#include <cmath>

namespace wiretime::engine {
namespace {

// The weight floor stands for the minimum-delay sample's own excess over the path's true
// minimum, which no sample shows. It is estimated from the spacing of the two smallest excesses
// (kFloorRank), scaled: when the round trip's jitter is the sum of both directions' (density
// rising from zero), the smallest excess lies about 1 / (sqrt(2) - 1) = 2.4 spacings above the
// true minimum; with one-sided jitter (flat density) about 1. 2 sits between; with the spacing
// alone (scale 1) a few start-up samples that happened to arrive close together were trusted
// to 0.3 us when each was worth several, and S5 (iburst) drifted past 100 us after its first
// 64 s poll in one seed of three (accuracy_bench sweep 1, 1.7, 2, 2.5: docs/accuracy.md).
constexpr int kFloorRank = 1;
constexpr double kFloorScale = 2.0;
// Variance of a uniform error within +-excess/2.
constexpr double kExcessVar = 1.0 / 12.0;
constexpr int kMinAsymmetrySamples = 8;
// Significance of the asymmetry coefficient, in standard errors: off below 2 (a symmetric
// path keeps 0), in full from 4.
constexpr double kAsymmetryOff = 2.0;
constexpr double kAsymmetryOn = 4.0;
// Exchanges whose excess is beyond this many times the median excess do not vote on it.
constexpr double kBulkExcess = 4.0;

struct Fit {
  double intercept = 0.0;  // at `now`
  double slope = 0.0;
  double intercept_var = 0.0;
  double slope_var = 0.0;
  double scale = 0.0;  // weighted residual variance factor
  bool slope_valid = false;
};

// Wald-Wolfowitz runs test on residual signs: true when there are too few runs for the
// residuals to be noise, i.e. the straight line no longer fits the whole window.
bool too_few_runs(const double* residuals, int n) {
  int plus = 0;
  int runs = 0;
  for (int i = 0; i < n; ++i) {
    if (residuals[i] >= 0) ++plus;
    if (i == 0 || ((residuals[i] >= 0) != (residuals[i - 1] >= 0))) ++runs;
  }
  const int minus = n - plus;
  if (plus == 0 || minus == 0) return n >= OffsetRegression::kMinRunsSamples;
  const double np = plus;
  const double nm = minus;
  const double nn = n;
  const double mean = 2.0 * np * nm / nn + 1.0;
  const double var = 2.0 * np * nm * (2.0 * np * nm - nn) / (nn * nn * (nn - 1.0));
  return var > 0.0 && (runs - mean) / std::sqrt(var) < -1.65;
}

}  // namespace

const RegressionSample& OffsetRegression::at(int age) const {
  return ring_[(head_ - age + kMaxSamples) % kMaxSamples];
}
RegressionSample& OffsetRegression::at(int age) {
  return ring_[(head_ - age + kMaxSamples) % kMaxSamples];
}

void OffsetRegression::add(const RegressionSample& sample) {
  head_ = (head_ + 1) % kMaxSamples;
  ring_[head_] = sample;
  count_ = std::min(count_ + 1, kMaxSamples);
}

void OffsetRegression::apply_correction(double phase, double frequency, double now) {
  for (int i = 0; i < count_; ++i) {
    auto& s = at(i);
    s.offset -= phase + frequency * (s.time - now);
  }
}

void OffsetRegression::trim(int keep) {
  count_ = std::clamp(keep, 0, count_);
}

double OffsetRegression::asymmetry(const double* excess, int n) const {
  // Path asymmetry: when one direction carries the jitter, an exchange's offset error is
  // proportional to its excess delay (coefficient +-1/2; 0 when both directions jitter alike,
  // chrony estimates the same correlation). It is a property of the path, so it is taken from
  // the whole history, from each sample's departure from the straight line through its two
  // neighbours (offset and excess alike): the clock's phase and frequency drift between three
  // polls are small against the change of the excess, so a moving offset does not hide it at
  // any poll interval. Robust statistics, so that a few exchanges held up far longer on one
  // side (a queue burst, a reordered reply) cannot decide it: exchanges beyond kBulkExcess
  // times the median excess are left out, the sign of (departure of offset) x (departure of
  // excess) is a fair coin on a symmetric path, and the coefficient is the median of the
  // ratios (docs/engine.md).
  if (n < kMinAsymmetrySamples) return 0.0;
  std::array<double, kMaxSamples> sorted{};
  std::copy(excess, excess + n, sorted.begin());
  std::nth_element(sorted.begin(), sorted.begin() + n / 2, sorted.begin() + n);
  const double cutoff = kBulkExcess * sorted[n / 2];
  std::array<int, kMaxSamples> bulk{};
  int nb = 0;
  for (int i = 0; i < n; ++i)
    if (excess[i] <= cutoff) bulk[nb++] = i;
  std::array<double, kMaxSamples> ratio{};
  int m = 0;
  int agree = 0;
  for (int k = 1; k + 1 < nb; ++k) {
    const int a = bulk[k - 1];
    const int b = bulk[k];
    const int c = bulk[k + 1];
    const double span = at(a).time - at(c).time;
    if (!(span > 0.0)) continue;
    const double wa = (at(b).time - at(c).time) / span;  // interpolation weight of a
    const double de = excess[b] - (wa * excess[a] + (1.0 - wa) * excess[c]);
    const double dy = at(b).offset - (wa * at(a).offset + (1.0 - wa) * at(c).offset);
    if (de == 0.0 || dy == 0.0) continue;
    ratio[m++] = dy / de;
    if ((dy > 0.0) == (de > 0.0)) ++agree;
  }
  if (m < kMinAsymmetrySamples - 2) return 0.0;
  // Neighbouring departures share samples: about one in two is independent.
  const double z = std::abs(2.0 * agree - m) / std::sqrt(2.0 * m);
  if (z <= kAsymmetryOff) return 0.0;
  std::nth_element(ratio.begin(), ratio.begin() + m / 2, ratio.begin() + m);
  const double c_raw = ratio[m / 2];
  // Fade in between kAsymmetryOff and kAsymmetryOn standard errors, so that the model does not
  // switch on and off between updates, and a clear asymmetry is used at its full size.
  const double c_mag =
      std::abs(c_raw) * std::clamp((z - kAsymmetryOff) / (kAsymmetryOn - kAsymmetryOff), 0.0, 1.0);
  return std::clamp(std::copysign(c_mag, c_raw), -0.5, 0.5);
}

RegressionEstimate OffsetRegression::estimate(double now, double precision, double wander) const {
  RegressionEstimate est;
  if (count_ == 0) return est;
  const int n_all = count_;
  double min_delay = at(0).delay;
  for (int i = 1; i < n_all; ++i) min_delay = std::min(min_delay, at(i).delay);

  // Weight: the offset error of an exchange is uniform within +-excess/2 when both directions
  // jitter alike (variance excess^2 / 12). The floor stands for the unknown excess of the
  // minimum-delay sample itself, taken from the spread of the smallest excesses.
  std::array<double, kMaxSamples> excess{};
  for (int i = 0; i < n_all; ++i) excess[i] = at(i).delay - min_delay;
  std::array<double, kMaxSamples> sorted = excess;
  std::sort(sorted.begin(), sorted.begin() + n_all);
  const double low_excess = sorted[std::min(n_all - 1, kFloorRank)];
  const double floor_excess = kFloorScale * low_excess;
  const double floor_var = precision * precision + floor_excess * floor_excess * kExcessVar;
  const double asym = asymmetry(excess.data(), n_all);
  std::array<double, kMaxSamples> weight{};
  auto reweight = [&](double excess_factor) {
    for (int i = 0; i < n_all; ++i) {
      const double age = std::max(0.0, now - at(i).time);
      weight[i] = 1.0 / (floor_var + excess[i] * excess[i] * kExcessVar * excess_factor +
                         wander * wander * age * age * age / 3.0);
    }
  };
  // Once the excess explains part of the error, the rest shrinks: with all the jitter on one
  // side (|c| = 1/2) the excess no longer predicts any spread.
  reweight(std::max(0.0, 1.0 - 4.0 * asym * asym));

  auto fit_window = [&](int n, double* residuals) {
    auto y = [&](int i) { return at(i).offset - asym * (excess[i] + low_excess); };
    Fit f;
    double w_sum = 0.0;
    double wt = 0.0;
    double wy = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      w_sum += weight[i];
      wt += weight[i] * (s.time - now);
      wy += weight[i] * y(i);
    }
    const double t_mean = wt / w_sum;
    const double y_mean = wy / w_sum;
    double sxx = 0.0;
    double sxy = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      const double dt = s.time - now - t_mean;
      sxx += weight[i] * dt * dt;
      sxy += weight[i] * dt * (y(i) - y_mean);
    }
    f.slope_valid = n >= 2 && sxx > 0.0;
    f.slope = f.slope_valid ? sxy / sxx : 0.0;
    f.intercept = y_mean - f.slope * t_mean;
    double rss = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      residuals[i] = y(i) - (f.intercept + f.slope * (s.time - now));
      rss += weight[i] * residuals[i] * residuals[i];
    }
    // Unit weighted variance is what the weights predict; never claim better than that.
    f.scale = n > 2 ? std::max(1.0, rss / (n - 2)) : 1.0;
    f.intercept_var = f.scale * (1.0 / w_sum + (sxx > 0.0 ? t_mean * t_mean / sxx : 0.0));
    f.slope_var = sxx > 0.0 ? f.scale / sxx : 0.0;
    return f;
  };

  std::array<double, kMaxSamples> residuals{};
  int n = n_all;
  Fit f = fit_window(n, residuals.data());
  while (n > kMinRunsSamples && too_few_runs(residuals.data(), n)) {
    n = std::max(kMinRunsSamples, n - std::max(1, n / 4));
    f = fit_window(n, residuals.data());
  }
  est.valid = true;
  est.samples = n;
  est.offset = f.intercept;
  est.frequency = f.slope;
  est.frequency_valid = f.slope_valid && (at(0).time - at(n - 1).time) > 0.0;
  est.offset_sd = std::sqrt(f.intercept_var);
  est.frequency_sd = std::sqrt(f.slope_var);
  est.min_delay = min_delay;
  est.asymmetry = asym;
  double r2 = 0.0;
  for (int i = 0; i < n; ++i) r2 += residuals[i] * residuals[i];
  est.residual_sd = std::max(precision, std::sqrt(r2 / n));
  return est;
}

}  // namespace wiretime::engine

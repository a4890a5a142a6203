#include "control/engine/offset_regression.hpp"

#include <algorithm>
#include <cmath>

namespace wiretime::engine {
namespace {

// The weight floor is the second-smallest excess: the minimum-delay sample has an unknown
// excess of its own, of about that size.
constexpr int kFloorRank = 1;
// Variance of a uniform error within +-excess/2.
constexpr double kExcessVar = 1.0 / 12.0;
constexpr int kMinAsymmetrySamples = 8;
// Shrinkage of the asymmetry coefficient, in standard errors (tuned on S1/S3: docs/engine.md).
constexpr double kAsymmetrySignificance = 1.0;

struct Fit {
  double intercept = 0.0;  // at `now`
  double slope = 0.0;
  double intercept_var = 0.0;
  double slope_var = 0.0;
  double scale = 0.0;  // weighted residual variance factor
  bool slope_valid = false;
  double asymmetry = 0.0;  // coefficient of the excess delay, 0 when not significant
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
  const double floor_var = precision * precision + low_excess * low_excess * kExcessVar;
  std::array<double, kMaxSamples> weight{};
  auto reweight = [&](double excess_factor) {
    for (int i = 0; i < n_all; ++i) {
      const double age = std::max(0.0, now - at(i).time);
      weight[i] = 1.0 / (floor_var + excess[i] * excess[i] * kExcessVar * excess_factor +
                         wander * wander * age * age * age / 3.0);
    }
  };
  reweight(1.0);

  auto fit_window = [&](int n, double* residuals) {
    Fit f;
    double w_sum = 0.0;
    double wt = 0.0;
    double wy = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      w_sum += weight[i];
      wt += weight[i] * (s.time - now);
      wy += weight[i] * s.offset;
    }
    const double t_mean = wt / w_sum;
    const double y_mean = wy / w_sum;
    double sxx = 0.0;
    double sxy = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      const double dt = s.time - now - t_mean;
      sxx += weight[i] * dt * dt;
      sxy += weight[i] * dt * (s.offset - y_mean);
    }
    f.slope_valid = n >= 2 && sxx > 0.0;
    f.slope = f.slope_valid ? sxy / sxx : 0.0;
    f.intercept = y_mean - f.slope * t_mean;
    double rss = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      residuals[i] = s.offset - (f.intercept + f.slope * (s.time - now));
      rss += weight[i] * residuals[i] * residuals[i];
    }
    // Unit weighted variance is what the weights predict; never claim better than that.
    f.scale = n > 2 ? std::max(1.0, rss / (n - 2)) : 1.0;
    f.intercept_var = f.scale * (1.0 / w_sum + (sxx > 0.0 ? t_mean * t_mean / sxx : 0.0));
    f.slope_var = sxx > 0.0 ? f.scale / sxx : 0.0;
    if (n < kMinAsymmetrySamples || !f.slope_valid) return f;

    // Path asymmetry: when one direction carries the jitter, an exchange's offset error is
    // proportional to its excess delay (chrony estimates the same correlation). Add the excess
    // as a regressor and keep it only when its coefficient is significant; the offset is then
    // read at zero excess. Physically the coefficient lies within +-1/2.
    double we = 0.0;
    for (int i = 0; i < n; ++i) we += weight[i] * excess[i];
    const double e_mean = we / w_sum;
    double see = 0.0;
    double sxe = 0.0;
    double sey = 0.0;
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      const double dt = s.time - now - t_mean;
      const double de = excess[i] - e_mean;
      see += weight[i] * de * de;
      sxe += weight[i] * dt * de;
      sey += weight[i] * de * (s.offset - y_mean);
    }
    const double det = sxx * see - sxe * sxe;
    if (!(det > 0.0)) return f;
    const double c_raw = (sxx * sey - sxe * sxy) / det;
    // Scale from the unrestricted fit, for the coefficient's standard error.
    double rss_raw = 0.0;
    {
      const double b_raw = (see * sxy - sxe * sey) / det;
      const double a_raw = y_mean - b_raw * t_mean - c_raw * e_mean;
      for (int i = 0; i < n; ++i) {
        const auto& s = at(i);
        const double r = s.offset - (a_raw + b_raw * (s.time - now) + c_raw * excess[i]);
        rss_raw += weight[i] * r * r;
      }
    }
    const double c_sd = std::sqrt(std::max(1.0, rss_raw / (n - 3)) * sxx / det);
    // Soft threshold: shrink the coefficient by k standard errors, so that it fades in and
    // out smoothly instead of switching the model on and off between updates.
    const double c_mag = std::max(0.0, std::abs(c_raw) - kAsymmetrySignificance * c_sd);
    if (c_mag == 0.0) return f;
    const double c = std::clamp(std::copysign(c_mag, c_raw), -0.5, 0.5);
    const double b = (sxy - c * sxe) / sxx;
    const double a = y_mean - b * t_mean - c * e_mean;
    double rss3 = 0.0;
    std::array<double, kMaxSamples> r3{};
    for (int i = 0; i < n; ++i) {
      const auto& s = at(i);
      r3[i] = s.offset - (a + b * (s.time - now) + c * excess[i]);
      rss3 += weight[i] * r3[i] * r3[i];
    }
    const double scale3 = std::max(1.0, rss3 / (n - 3));
    f.asymmetry = c;
    f.slope = b;
    f.intercept = a;
    f.scale = scale3;
    f.intercept_var =
        scale3 *
        (1.0 / w_sum +
         (see * t_mean * t_mean - 2.0 * sxe * t_mean * e_mean + sxx * e_mean * e_mean) / det);
    f.slope_var = scale3 * see / det;
    for (int i = 0; i < n; ++i) residuals[i] = r3[i];
    return f;
  };

  std::array<double, kMaxSamples> residuals{};
  int n = n_all;
  Fit f = fit_window(n, residuals.data());
  while (n > kMinRunsSamples && too_few_runs(residuals.data(), n)) {
    n = std::max(kMinRunsSamples, n - std::max(1, n / 4));
    f = fit_window(n, residuals.data());
  }
  if (f.asymmetry != 0.0) {
    // Once the excess explains part of the error, the rest shrinks: with all the jitter on
    // one side (|c| = 1/2) the excess no longer predicts any spread. Refit with that model.
    const double shrink = std::max(0.0, 1.0 - 4.0 * f.asymmetry * f.asymmetry);
    reweight(shrink);
    const Fit g = fit_window(n, residuals.data());
    if (g.asymmetry != 0.0)
      f = g;
    else
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
  est.asymmetry = f.asymmetry;
  double r2 = 0.0;
  for (int i = 0; i < n; ++i) r2 += residuals[i] * residuals[i];
  est.residual_sd = std::max(precision, std::sqrt(r2 / n));
  return est;
}

}  // namespace wiretime::engine

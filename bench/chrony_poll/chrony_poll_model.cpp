// Reference model of chronyd 4.3's per-source sample handling and poll rule, fed with the
// exchanges of the anchor scenarios, to estimate how many packets chronyd sends where the
// issue's figures do not say (issue 13: S3 at default polling). Not part of the daemon.
//
// What is modelled, after chrony's sources (ntp_core.c, sourcestats.c, regress.c):
// - process_response(): offset/delay of a client exchange, peer dispersion = precision + skew *
//   local interval, test A (maxdelay 3 s) and test C (check_delay_dev_ratio, maxdelaydevratio
//   10, maxclockerror 1 ppm); a sample failing a test adjusts the poll by +0.02 and is dropped.
// - process_sample(): error_in_estimate = |-offset - SST_PredictOffset()|, the sample is
//   accumulated, SST_DoNewRegression() runs, then adjust_poll(get_poll_adj(error, peer
//   dispersion + delay / 2)) with poll_target 8, minpoll 6, maxpoll 10.
// - SST_DoNewRegression(): peer-distance weights (SD_TO_DIST_RATIO 0.7), the jitter-asymmetry
//   estimate and correction (multiple regression, 10 consecutive |a| >= 0.45), and
//   RGR_FindBestRegression() with the 5 % runs-test table extended by the runs samples
//   (REGRESS_RUNS_RATIO 2); the samples it drops are pruned. At most 64 samples.
// - the next poll is 2^poll * (1 + 0.02 U) (SAMPLING_RANDOMNESS).
//
// Why the clock discipline itself is left out: chronyd re-expresses every stored sample on each
// clock correction (SST_SlewSamples: offset += doffset + dfreq * age), a linear map that leaves
// the regression's residuals, weights, runs test, prediction error and delay test unchanged.
// So the sample handling sees the same numbers when fed with the free-running oscillator's
// phase (the scenario's +50 ppm with its 1e-9/sqrt(s) wander, drawn each second as the
// simulator does; the constant 50 ppm is left out, which changes nothing for the same reason)
// plus each exchange's path error.
//
//   chrony_poll_model [--only S1] [--seeds N] [--steady S]
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/sim/anchor_scenarios.hpp"

namespace {

using wiretime::engine::Prng;

constexpr int kMaxSamples = 64;
constexpr int kRunsRatio = 2;
constexpr int kBuf = kMaxSamples * kRunsRatio;
constexpr double kWorstCaseFreqBound = 2000.0e-6;
constexpr double kMinSkew = 1.0e-12;
constexpr double kMaxSkew = 1.0e+02;
constexpr double kMinStddev = 1.0e-9;
constexpr double kMaxAsymmetry = 0.5;
constexpr double kMinAsymmetry = 0.45;
constexpr int kMinAsymmetryRun = 10;
constexpr int kMaxAsymmetryRun = 1000;
constexpr double kSdToDistRatio = 0.7;
constexpr int kMinSamplesForRegress = 3;
constexpr double kMaxDelayDevRatio = 10.0;  // chrony's default maxdelaydevratio
constexpr double kMaxDelay = 3.0;           // default maxdelay
constexpr double kMaxClockError = 1e-6;     // default maxclockerror
constexpr int kPollTarget = 8;
constexpr int kMinPoll = 6;
constexpr int kMaxPoll = 10;
constexpr double kSamplingRandomness = 0.02;
// chronyd's measured precision on a current x86 host and the servers' (2^-24 s each).
constexpr double kSysPrecision = 0x1.0p-24;
constexpr double kServerPrecision = 0x1.0p-24;

// regress.c: 5 % critical number of runs.
constexpr unsigned char kCriticalRuns[] = {
    0,  0,  0,  0,  0,  0,  0,  0,  2,  3,  3,  3,  4,  4,  5,  5,  5,  6,  6,  7,  7,  7,
    8,  8,  9,  9,  9,  10, 10, 11, 11, 11, 12, 12, 13, 13, 14, 14, 14, 15, 15, 16, 16, 17,
    17, 18, 18, 18, 19, 19, 20, 20, 21, 21, 21, 22, 22, 23, 23, 24, 24, 25, 25, 26, 26, 26,
    27, 27, 28, 28, 29, 29, 30, 30, 30, 31, 31, 32, 32, 33, 33, 34, 34, 35, 35, 35, 36, 36,
    37, 37, 38, 38, 39, 39, 40, 40, 40, 41, 41, 42, 42, 43, 43, 44, 44, 45, 45, 46, 46, 46,
    47, 47, 48, 48, 49, 49, 50, 50, 51, 51, 52, 52, 52, 53, 53, 54, 54, 55, 55, 56};

double t_coef(int dof) {
  static constexpr double kCoefs[] = {636.6, 31.6,  12.92, 8.61,  6.869, 5.959, 5.408, 5.041,
                                      4.781, 4.587, 4.437, 4.318, 4.221, 4.140, 4.073, 4.015,
                                      3.965, 3.922, 3.883, 3.850, 3.819, 3.792, 3.768, 3.745,
                                      3.725, 3.707, 3.690, 3.674, 3.659, 3.646, 3.633, 3.622,
                                      3.611, 3.601, 3.591, 3.582, 3.574, 3.566, 3.558, 3.551};
  return dof <= 40 ? kCoefs[dof - 1] : 3.5;
}

int n_runs(const double* r, int n) {
  int runs = 1;
  for (int i = 1; i < n; ++i)
    if (!((r[i - 1] < 0.0 && r[i] < 0.0) || (r[i - 1] > 0.0 && r[i] > 0.0))) ++runs;
  return runs;
}

double median(const double* x, int n) {
  std::array<double, kBuf> tmp{};
  std::copy(x, x + n, tmp.begin());
  std::sort(tmp.begin(), tmp.begin() + n);
  return (n & 1) ? tmp[n / 2] : 0.5 * (tmp[n / 2] + tmp[n / 2 - 1]);
}

struct Regression {
  double b0 = 0, b1 = 0, s2 = 0, sb0 = 0, sb1 = 0;
  int start = 0, runs = 0, dof = 0;
};

// RGR_FindBestRegression: x, y indexed from -m; w from 0.
bool find_best_regression(const double* x, const double* y, const double* w, int n, int m,
                          Regression& r) {
  if (n < kMinSamplesForRegress) return false;
  std::array<double, kBuf> resid{};
  int start = 0;
  int resid_start = 0;
  double a = 0, b = 0, u = 0, V = 0, W = 0;
  int nruns = 0;
  for (;;) {
    W = 0;
    double U = 0;
    for (int i = start; i < n; ++i) {
      U += x[i] / w[i];
      W += 1.0 / w[i];
    }
    u = U / W;
    double P = 0, Q = 0;
    V = 0;
    for (int i = start; i < n; ++i) {
      const double ui = x[i] - u;
      P += y[i] / w[i];
      Q += y[i] * ui / w[i];
      V += ui * ui / w[i];
    }
    b = Q / V;
    a = P / W - b * u;
    resid_start = std::max(-m, n - (n - start) * kRunsRatio);
    for (int i = resid_start; i < n; ++i) resid[i - resid_start] = y[i] - a - b * x[i];
    nruns = n_runs(resid.data(), n - resid_start);
    if (nruns > kCriticalRuns[n - resid_start] || n - start <= kMinSamplesForRegress) {
      if (start != resid_start) nruns = n_runs(resid.data() + (start - resid_start), n - start);
      break;
    }
    ++start;
  }
  double ss = 0;
  for (int i = start; i < n; ++i) ss += resid[i - resid_start] * resid[i - resid_start] / w[i];
  const int np = n - start;
  ss /= np - 2;
  r.b1 = b;
  r.b0 = a;
  r.sb1 = std::sqrt(ss / V);
  const double aa = u * r.sb1;
  r.sb0 = std::sqrt(ss / W + aa * aa);
  r.s2 = ss * np / W;
  r.start = start;
  r.dof = np - 2;
  r.runs = nruns;
  return true;
}

// RGR_MultipleRegress: the slope of y on x2 with x1 (and an intercept) as the other regressor.
bool multiple_regress(const double* x1, const double* x2, const double* y, int n, double& b2) {
  if (n < 4) return false;
  double Sx1 = 0, Sx2 = 0, Sx1x1 = 0, Sx1x2 = 0, Sx2x2 = 0, Sx1y = 0, Sx2y = 0, Sy = 0;
  for (int i = 0; i < n; ++i) {
    Sx1 += x1[i];
    Sx2 += x2[i];
    Sx1x1 += x1[i] * x1[i];
    Sx1x2 += x1[i] * x2[i];
    Sx2x2 += x2[i] * x2[i];
    Sx1y += x1[i] * y[i];
    Sx2y += x2[i] * y[i];
    Sy += y[i];
  }
  const double U = n * (Sx1x2 * Sx1y - Sx1x1 * Sx2y) + Sx1 * Sx1 * Sx2y - Sx1 * Sx2 * Sx1y +
                   Sy * (Sx2 * Sx1x1 - Sx1 * Sx1x2);
  const double V1 = n * (Sx1x2 * Sx1x2 - Sx1x1 * Sx2x2);
  const double V2 = Sx1 * Sx1 * Sx2x2 + Sx2 * Sx2 * Sx1x1;
  const double V3 = -2.0 * Sx1 * Sx2 * Sx1x2;
  const double V = V1 + V2 + V3;
  if (std::fabs(V) * 1.0e10 <= -V1 + V2 + std::fabs(V3)) return false;
  b2 = U / V;
  return true;
}

// sourcestats.c, one source, times in true seconds (see the header for why).
class SourceStats {
 public:
  void accumulate(double time, double offset_ntp, double delay, double dispersion) {
    if (n_ > 0 && n_ == kMaxSamples) prune(1);
    last_ = (last_ + 1) % kBuf;
    times_[last_] = time;
    offsets_[last_] = -offset_ntp;  // sourcestats: positive = local clock fast
    delays_[last_] = delay;
    dispersions_[last_ % kMaxSamples] = dispersion;
    if (n_ == 0 || delays_[last_] < delays_[min_delay_]) min_delay_ = last_;
    ++n_;
  }

  void regress() {
    std::array<double, kBuf> times_back{};
    std::array<double, kBuf> offsets{};
    std::array<double, kMaxSamples> distances{};
    std::array<double, kMaxSamples> weights{};
    for (int i = -runs_; i < n_; ++i) {
      times_back[i + runs_] = times_[runs_index(i)] - times_[last_];
      offsets[i + runs_] = offsets_[runs_index(i)];
    }
    if (n_ > 0) {
      double min_distance = DBL_MAX;
      for (int i = 0; i < n_; ++i) {
        distances[i] = 0.5 * delays_[runs_index(i)] + dispersions_[buf_index(i)];
        min_distance = std::min(min_distance, distances[i]);
      }
      const double med = median(distances.data(), n_);
      double sd = (med - min_distance) / kSdToDistRatio;
      sd = std::clamp(sd, kSysPrecision, std::max(kSysPrecision, min_distance));
      min_distance += kSysPrecision;
      for (int i = 0; i < n_; ++i) {
        double sd_weight = 1.0;
        if (distances[i] > min_distance) sd_weight += (distances[i] - min_distance) / sd;
        weights[i] = sd_weight * sd_weight;
      }
    }
    correct_asymmetry(times_back.data(), offsets.data());
    Regression r;
    ok_ = find_best_regression(times_back.data() + runs_, offsets.data() + runs_, weights.data(),
                               n_, runs_, r);
    if (ok_) {
      frequency_ = r.b1;
      skew_ = std::clamp(r.sb1 * t_coef(r.dof), kMinSkew, kMaxSkew);
      offset_ = r.b0;
      offset_time_ = times_[last_];
      std_dev_ = std::max(kMinStddev, std::sqrt(r.s2));
      prune(r.start);
    } else {
      frequency_ = 0.0;
      skew_ = kWorstCaseFreqBound;
    }
  }

  double predict_offset(double when) const {
    if (n_ < 3) return n_ > 0 ? offsets_[last_] : 0.0;
    return offset_ + (when - offset_time_) * frequency_;
  }

  // check_delay_dev_ratio() of ntp_core.c (test C).
  bool delay_test(double when, double offset_ntp, double delay) const {
    if (n_ < 6) return true;
    const double ago = when - offset_time_;
    const double predicted = offset_ + ago * frequency_;
    const double max_delta = std_dev_ * kMaxDelayDevRatio + ago * (skew_ + kMaxClockError);
    const double delta = (delay - delays_[min_delay_]) / 2.0;
    if (delta <= max_delta) return true;
    return std::fabs(offset_ntp + predicted) - delta > max_delta;
  }

  double skew_range() const { return std::min(skew_, kWorstCaseFreqBound); }
  int samples() const { return n_; }
  bool asymmetry_active() const { return std::abs(asymmetry_run_) >= kMinAsymmetryRun; }

 private:
  int runs_index(int i) const { return (last_ + 2 * kBuf - n_ + i + 1) % kBuf; }
  int buf_index(int i) const { return (last_ + kBuf - n_ + i + 1) % kMaxSamples; }

  void prune(int new_oldest) {
    if (!new_oldest) return;
    n_ -= new_oldest;
    runs_ = std::min(runs_ + new_oldest, n_ * (kRunsRatio - 1));
    min_delay_ = runs_index(-runs_);
    for (int i = -runs_ + 1; i < n_; ++i)
      if (delays_[runs_index(i)] < delays_[min_delay_]) min_delay_ = runs_index(i);
  }

  void correct_asymmetry(const double* times_back, double* offsets) {
    const double min_delay = delays_[min_delay_];
    const int n = runs_ + n_;
    std::array<double, kBuf> d{};
    for (int i = 0; i < n; ++i) d[i] = delays_[runs_index(i - runs_)] - min_delay;
    double a = 0.0;
    if (!multiple_regress(times_back, d.data(), offsets, n, a) || a * asymmetry_run_ < 0.0) {
      asymmetry_ = 0.0;
      asymmetry_run_ = 0;
      return;
    }
    if (a <= -kMinAsymmetry && asymmetry_run_ > -kMaxAsymmetryRun)
      --asymmetry_run_;
    else if (a >= kMinAsymmetry && asymmetry_run_ < kMaxAsymmetryRun)
      ++asymmetry_run_;
    if (std::abs(asymmetry_run_) < kMinAsymmetryRun) return;
    asymmetry_ = std::clamp(a, -kMaxAsymmetry, kMaxAsymmetry);
    for (int i = 0; i < n; ++i) offsets[i] -= asymmetry_ * d[i];
  }

  std::array<double, kBuf> times_{};
  std::array<double, kBuf> offsets_{};
  std::array<double, kBuf> delays_{};
  std::array<double, kMaxSamples> dispersions_{};
  int n_ = 0;
  int runs_ = 0;
  int last_ = 0;
  int min_delay_ = 0;
  bool ok_ = false;
  double frequency_ = 0.0;
  double skew_ = kWorstCaseFreqBound;
  double offset_ = 0.0;
  double offset_time_ = 0.0;
  double std_dev_ = 4.0;
  double asymmetry_ = 0.0;
  int asymmetry_run_ = 0;
};

struct PollState {
  int poll = kMinPoll;
  double score = 0.0;
  void adjust(double adj) {
    score += adj;
    if (score >= 1.0) {
      poll += static_cast<int>(score);
      score -= static_cast<int>(score);
    }
    if (score < 0.0) {
      poll += static_cast<int>(score - 1.0);
      score -= static_cast<int>(score - 1.0);
    }
    if (poll < kMinPoll) {
      poll = kMinPoll;
      score = 0.0;
    } else if (poll > kMaxPoll) {
      poll = kMaxPoll;
      score = 1.0;
    }
  }
};

double poll_adj(double error, double distance, int samples) {
  if (error > distance) return -std::log2(error / distance);
  double adj = (static_cast<double>(samples) / kPollTarget - 1.0) / kPollTarget;
  if (samples < kPollTarget) adj *= 2.0;
  return adj;
}

struct Outcome {
  double packets_per_day = 0.0;
  double mean_interval = 0.0;
  double mean_samples = 0.0;
  double dropped_pct = 0.0;
  bool asymmetry = false;
};

Outcome run(const wiretime::sim::Scenario& s, uint64_t seed) {
  const auto& srv = s.servers.at(0);
  Prng prng(seed * 0x9e3779b97f4a7c15ULL + 17);
  SourceStats stats;
  PollState poll;
  // Oscillator: phase x (local - true) with a frequency random walk, a new step each second.
  double t = 0.0, x = 0.0, y = 0.0, next_step = 1.0;
  auto advance = [&](double to) {
    while (next_step <= to) {
      x += y * (next_step - t);
      t = next_step;
      y += s.oscillator.wander * prng.normal();
      next_step += 1.0;
    }
    x += y * (to - t);
    t = to;
  };
  auto fuzz = [&] { return kServerPrecision * (prng.uniform() - prng.uniform()); };
  double now = 0.0;
  uint64_t sent = 0, dropped = 0, good = 0;
  double sum_samples = 0.0;
  double first_measured = -1.0, last_measured = 0.0;
  while (now < s.duration) {
    advance(now);
    const double t1 = now + x;
    const double up = srv.up.sample(prng);
    const double down = srv.down.sample(prng);
    const double t2 = now + up + fuzz();
    const double t3 = now + up + fuzz();
    advance(now + up + down);
    const double t4 = now + up + down + x;
    if (now >= s.warmup) {
      ++sent;
      if (first_measured < 0) first_measured = now;
      last_measured = now;
    }
    const double offset = ((t2 - t1) + (t3 - t4)) / 2.0;
    const double precision = kSysPrecision + kServerPrecision;
    const double delay = std::max(precision, std::fabs((t4 - t1) - (t3 - t2)));
    const double time = (t1 + t4) / 2.0 - x;  // local average, on the true timescale
    const double dispersion = precision + stats.skew_range() * std::fabs(t4 - t1);
    const bool test_a = delay - dispersion <= kMaxDelay;
    const bool test_c = stats.delay_test(time, offset, delay);
    if (test_a && test_c) {
      const double error = std::fabs(-offset - stats.predict_offset(time));
      stats.accumulate(time, offset, delay, dispersion);
      stats.regress();
      poll.adjust(poll_adj(error, dispersion + 0.5 * delay, stats.samples()));
      if (now >= s.warmup) {
        ++good;
        sum_samples += stats.samples();
      }
    } else {
      poll.adjust(0.02);
      if (now >= s.warmup) ++dropped;
    }
    now += std::ldexp(1.0, poll.poll) * (1.0 + kSamplingRandomness * prng.uniform());
  }
  Outcome o;
  const double span = s.duration - s.warmup;
  o.packets_per_day = static_cast<double>(sent) * 86400.0 / span;
  o.mean_interval = sent > 1 ? (last_measured - first_measured) / static_cast<double>(sent - 1) : 0;
  o.mean_samples = good ? sum_samples / static_cast<double>(good) : 0.0;
  o.dropped_pct = sent ? 100.0 * static_cast<double>(dropped) / static_cast<double>(sent) : 0.0;
  o.asymmetry = stats.asymmetry_active();
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::string only;
  int seeds = 3;
  double steady = 200000.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc)
      seeds = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--steady") && i + 1 < argc)
      steady = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--only S1|S2|S3] [--seeds N] [--steady S]\n", argv[0]);
      return 2;
    }
  }
  using wiretime::sim::AnchorPoll;
  struct Named {
    const char* name;
    wiretime::sim::Scenario (*make)(AnchorPoll, uint64_t, double);
  };
  const Named scenarios[] = {{"S1", wiretime::sim::anchor_s1_lan},
                             {"S2", wiretime::sim::anchor_s2_wan},
                             {"S3", wiretime::sim::anchor_s3_asymmetric}};
  std::printf("chronyd 4.3 sample handling + poll rule, default polling (6..10, target 8)\n");
  std::printf("%-4s %5s %10s %10s %10s %8s %5s\n", "scen", "seed", "pkts/day", "mean_s", "samples",
              "drop%", "asym");
  for (const auto& sc : scenarios) {
    if (!only.empty() && only != sc.name) continue;
    double per_day = 0.0, interval = 0.0;
    for (int seed = 1; seed <= seeds; ++seed) {
      const auto s = sc.make(AnchorPoll::kDefault, static_cast<uint64_t>(seed), steady);
      const Outcome o = run(s, static_cast<uint64_t>(seed));
      std::printf("%-4s %5d %10.0f %10.0f %10.1f %8.1f %5s\n", sc.name, seed, o.packets_per_day,
                  o.mean_interval, o.mean_samples, o.dropped_pct, o.asymmetry ? "yes" : "no");
      per_day += o.packets_per_day / seeds;
      interval += o.mean_interval / seeds;
    }
    std::printf("%-4s %5s %10.0f %10.0f\n", sc.name, "mean", per_day, interval);
  }
  return 0;
}

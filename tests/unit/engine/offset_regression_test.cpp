#include "control/engine/offset_regression.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "control/engine/prng.hpp"

namespace wiretime::engine {
namespace {

TEST(OffsetRegression, RecoversLineFromCleanSamples) {
  OffsetRegression r;
  for (int i = 0; i < 20; ++i) r.add({16.0 * i, 1e-3 + 2e-6 * 16.0 * i, 200e-6});
  const double now = 16.0 * 19 + 8.0;
  const auto e = r.estimate(now, 1e-9, 0.0);
  ASSERT_TRUE(e.valid);
  ASSERT_TRUE(e.frequency_valid);
  EXPECT_NEAR(e.offset, 1e-3 + 2e-6 * now, 1e-12);
  EXPECT_NEAR(e.frequency, 2e-6, 1e-12);
  EXPECT_NEAR(e.min_delay, 200e-6, 1e-15);
}

TEST(OffsetRegression, CorrectionReexpressesSamples) {
  OffsetRegression r;
  for (int i = 0; i < 10; ++i) r.add({10.0 * i, 5e-3 + 1e-6 * 10.0 * i, 1e-4});
  const auto before = r.estimate(90.0, 1e-9, 0.0);
  r.apply_correction(before.offset, before.frequency, 90.0);
  const auto after = r.estimate(90.0, 1e-9, 0.0);
  EXPECT_NEAR(after.offset, 0.0, 1e-12);
  EXPECT_NEAR(after.frequency, 0.0, 1e-12);
}

TEST(OffsetRegression, DelayWeightingBeatsPlainMean) {
  // Symmetric exponential jitter: the weighted estimate is several times closer than the mean.
  Prng prng(42);
  OffsetRegression r;
  double plain = 0.0;
  for (int i = 0; i < 64; ++i) {
    const double up = prng.exponential(10e-6);
    const double down = prng.exponential(10e-6);
    const double offset = (up - down) / 2.0;
    plain += offset / 64.0;
    r.add({16.0 * i, offset, 200e-6 + up + down});
  }
  const auto e = r.estimate(16.0 * 63, 1e-9, 1e-9);
  EXPECT_LT(std::abs(e.offset), 1.5e-6);
  EXPECT_GT(e.offset_sd, 0.0);
  (void)plain;
}

TEST(OffsetRegression, AsymmetricJitterIsNotABias) {
  // All jitter on the way up: each offset is +excess/2. The excess regressor removes it.
  Prng prng(7);
  OffsetRegression r;
  double mean = 0.0;
  for (int i = 0; i < 64; ++i) {
    const double up = prng.exponential(100e-6);
    const double down = prng.exponential(1e-6);
    const double offset = (up - down) / 2.0;
    mean += offset / 64.0;
    r.add({16.0 * i, offset, 200e-6 + up + down});
  }
  const auto e = r.estimate(16.0 * 63, 1e-9, 1e-9);
  EXPECT_GT(mean, 30e-6);
  EXPECT_LT(std::abs(e.offset), 2e-6);
}

TEST(OffsetRegression, AsymmetryFoundAtLongPollsUnderWander) {
  // One-sided jitter, 256 s polls, the offset wandering by hundreds of microseconds over the
  // window (frequency random walk 1e-9 /sqrt(s)): the coefficient comes from each sample's
  // departure from its neighbours, so the drift does not hide it.
  Prng prng(11);
  OffsetRegression r;
  double phase = 0.0;
  double freq = 0.0;
  for (int i = 0; i < 64; ++i) {
    freq += 1e-9 * std::sqrt(256.0) * (prng.uniform() - 0.5) * 3.46;
    phase += freq * 256.0;
    const double up = prng.exponential(100e-6);
    const double down = prng.exponential(1e-6);
    r.add({256.0 * i, phase + (up - down) / 2.0, 200e-6 + up + down});
  }
  const auto e = r.estimate(256.0 * 63, 1e-9, 1e-9);
  EXPECT_NEAR(e.asymmetry, 0.5, 0.05);
  EXPECT_LT(std::abs(e.offset - phase), 5e-6);
}

TEST(OffsetRegression, FewOneSidedOutliersOnASymmetricPathAreNoAsymmetry) {
  // A symmetric LAN path where a few replies are held up 5 ms on the way back (a queue burst,
  // a reordered packet): those exchanges alone must not turn on the asymmetry model.
  Prng prng(5);
  OffsetRegression r;
  for (int i = 0; i < 64; ++i) {
    const double up = prng.exponential(10e-6);
    double down = prng.exponential(10e-6);
    if (i % 13 == 5) down += 5e-3;
    r.add({16.0 * i, (up - down) / 2.0, 200e-6 + up + down});
  }
  const auto e = r.estimate(16.0 * 63, 1e-9, 1e-9);
  EXPECT_EQ(e.asymmetry, 0.0);
  EXPECT_LT(std::abs(e.offset), 5e-6);
}

TEST(OffsetRegression, RunsTestDropsSamplesBeforeAKink) {
  // The frequency changed 32 samples ago: a straight line through all samples leaves long runs
  // of same-signed residuals, so the window shrinks to the recent straight part.
  OffsetRegression r;
  for (int i = 0; i < 64; ++i) {
    const double t = 16.0 * i;
    const double offset = i < 32 ? 0.0 : 1e-6 * (t - 16.0 * 32);
    r.add({t, offset + ((i % 2) ? 1e-8 : -1e-8), 1e-4});
  }
  const auto e = r.estimate(16.0 * 63, 1e-9, 0.0);
  EXPECT_LT(e.samples, 40);
  EXPECT_NEAR(e.frequency, 1e-6, 1e-7);
}

}  // namespace
}  // namespace wiretime::engine

#include "control/engine/clock_filter.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

TEST(ClockFilter, PicksMinimumDelaySample) {
  ClockFilter f;
  EXPECT_TRUE(f.add({0.001, 0.010, 0.0, 0.0}, 0.0, 1e-7, false));
  EXPECT_TRUE(f.add({0.002, 0.005, 0.0, 16.0}, 16.0, 1e-7, false));
  // A higher-delay sample leaves the peer variables on the older, better one, and does not
  // trigger a system update (RFC: only newer samples are used).
  EXPECT_FALSE(f.add({0.009, 0.020, 0.0, 32.0}, 32.0, 1e-7, false));
  EXPECT_DOUBLE_EQ(f.offset(), 0.002);
  EXPECT_DOUBLE_EQ(f.delay(), 0.005);
  EXPECT_DOUBLE_EQ(f.time(), 16.0);
  EXPECT_EQ(f.valid_stages(), 3);
}

TEST(ClockFilter, DispersionAgesAndJitterMeasuresSpread) {
  ClockFilter f;
  for (int i = 0; i < 8; ++i)
    f.add({i % 2 ? 1e-4 : -1e-4, 1e-3, 0.0, 16.0 * i}, 16.0 * i, 1e-9, false);
  EXPECT_GT(f.jitter(), 1e-4);
  EXPECT_LT(f.jitter(), 3e-4);
  // Oldest stage aged by PHI for each of the 7 later shifts of 16 s.
  EXPECT_NEAR(f.stages()[7].dispersion, 7 * 16.0 * kPhi, 1e-12);
  EXPECT_GT(f.dispersion(), 0.0);
  EXPECT_LT(f.dispersion(), 16.0 * 8 * kPhi);
}

TEST(ClockFilter, EmptyStagesKeepDispersionHigh) {
  ClockFilter f;
  f.add({0.0, 1e-3, 0.0, 0.0}, 0.0, 1e-9, false);
  EXPECT_GT(f.dispersion(), 7.0);  // seven MAXDISP stages weigh in
}

TEST(ClockFilter, CorrectionReexpressesStoredOffsets) {
  ClockFilter f;
  f.add({0.010, 1e-3, 0.0, 0.0}, 0.0, 1e-9, false);
  f.apply_correction(0.010, 1e-6, 10.0);
  // Sample at t=0 seen from the corrected timescale at t=10: -phase - freq * (0 - 10).
  EXPECT_NEAR(f.offset(), 1e-5, 1e-12);
  EXPECT_NEAR(f.stages()[0].offset, 1e-5, 1e-12);
}

}  // namespace
}  // namespace wiretime::engine

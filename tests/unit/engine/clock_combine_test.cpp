#include "control/engine/clock_combine.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

TEST(ClockCombine, WeightsByInverseDistance) {
  Candidate a;
  a.offset = 0.001;
  a.distance = 0.001;
  a.frequency = 1e-6;
  a.frequency_valid = true;
  Candidate b;
  b.offset = 0.004;
  b.distance = 0.002;
  const std::vector<Candidate> c{a, b};
  const auto r = clock_combine(c, 0);
  EXPECT_NEAR(r.offset, (0.001 / 0.001 + 0.004 / 0.002) / (1 / 0.001 + 1 / 0.002), 1e-15);
  EXPECT_TRUE(r.frequency_valid);
  EXPECT_DOUBLE_EQ(r.frequency, 1e-6);  // only `a` has a frequency
  EXPECT_GT(r.jitter, 0.0);
}

}  // namespace
}  // namespace wiretime::engine

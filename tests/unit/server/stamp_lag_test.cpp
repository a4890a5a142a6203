#include "dataplane/server/stamp_lag.hpp"

#include <gtest/gtest.h>

namespace wiretime::server {
namespace {

// A running mean of sane lags (what a served timestamp is moved by), totals of all of them.
TEST(StampLag, FollowsTheMeasuredLagAndIgnoresDescheduledOnesInTheMean) {
  StampLag lag;
  EXPECT_EQ(lag.mean_ns(), 0);
  lag.add(30'000);
  EXPECT_EQ(lag.mean_ns(), 30'000);  // the first sample sets it
  lag.add(38'000);
  EXPECT_EQ(lag.mean_ns(), 31'000);  // 7/8 old + 1/8 new
  lag.add(50'000'000);               // a 50 ms stall: counted, not followed
  lag.add(-5);                       // a stamp before the read: the same
  EXPECT_EQ(lag.mean_ns(), 31'000);
  EXPECT_EQ(lag.count(), 4u);
  EXPECT_EQ(lag.max_ns(), 50'000'000);
  EXPECT_EQ(lag.total_mean_ns(), (30'000 + 38'000 + 50'000'000 - 5) / 4);
}

// The median of the recent followed lags: a tail of late ones (under half) does not move it,
// stalls over the bound are not in it, and old lags leave the window.
TEST(StampLag, MedianIgnoresTheTailAndForgetsOldLags) {
  StampLag lag(1'000'000);
  EXPECT_EQ(lag.median_ns(), 0);
  for (int i = 0; i < 40; ++i) lag.add(20'000 + (i % 5) * 1'000);  // 20-24 us
  for (int i = 0; i < 20; ++i) lag.add(300'000);                   // a tail at 300 us
  for (int i = 0; i < 50; ++i) lag.add(5'000'000);                 // stalls: not followed
  EXPECT_EQ(lag.median_ns(), 23'000);                              // the 31st of 60 followed lags
  EXPECT_GT(lag.mean_ns(), 100'000);                               // what a mean would have given
  for (size_t i = 0; i < StampLag::kWindow; ++i) lag.add(30'000);
  EXPECT_EQ(lag.median_ns(), 30'000);
}

TEST(StampLag, FormatsMicroseconds) {
  EXPECT_EQ(format_us(12'345), "12.3 us");
  EXPECT_EQ(format_us(-1'500), "-1.5 us");
}

}  // namespace
}  // namespace wiretime::server

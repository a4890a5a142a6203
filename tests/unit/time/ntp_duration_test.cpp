#include "dataplane/time/ntp_duration.hpp"

#include <gtest/gtest.h>

namespace wiretime {
namespace {

TEST(NtpDuration, NanosRoundTrip) {
  for (int64_t ns :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{999'999'999}, int64_t{-999'999'999},
        int64_t{1'500'000'000}, int64_t{-2'000'000'001}, int64_t{86'400'000'000'000}}) {
    EXPECT_EQ(NtpDuration::from_nanos(ns).to_nanos(), ns) << ns;
  }
}

TEST(NtpDuration, RoundsHalfAwayFromZero) {
  // 1 unit = 0.2328 ns, 2 units = 0.4657 ns -> 0 ns, 3 units = 0.698 ns -> 1 ns.
  EXPECT_EQ(NtpDuration::from_raw(2).to_nanos(), 0);
  EXPECT_EQ(NtpDuration::from_raw(3).to_nanos(), 1);
  EXPECT_EQ(NtpDuration::from_raw(-3).to_nanos(), -1);
  EXPECT_EQ(NtpDuration::from_raw(-2).to_nanos(), 0);
}

TEST(NtpDuration, SecondsConversions) {
  EXPECT_EQ(NtpDuration::from_seconds(int64_t{3}).raw(), int64_t{3} << 32);
  EXPECT_DOUBLE_EQ(NtpDuration::from_seconds(0.5).to_seconds(), 0.5);
  EXPECT_DOUBLE_EQ(NtpDuration::from_seconds(-1.25).to_seconds(), -1.25);
  EXPECT_EQ(NtpDuration::from_seconds(1e30), NtpDuration::max());
  EXPECT_EQ(NtpDuration::from_seconds(-1e30), NtpDuration::min());
}

TEST(NtpDuration, ArithmeticAndOrdering) {
  const auto a = NtpDuration::from_nanos(1'000);
  const auto b = NtpDuration::from_nanos(-3'000);
  EXPECT_LT(b, a);
  EXPECT_EQ((a + b).to_nanos(), -2'000);
  EXPECT_EQ((a - b).to_nanos(), 4'000);
  EXPECT_EQ(b.abs().to_nanos(), 3'000);
  EXPECT_EQ((-a).to_nanos(), -1'000);
  EXPECT_EQ(NtpDuration::from_raw(-3).half().raw(), -2);
}

}  // namespace
}  // namespace wiretime

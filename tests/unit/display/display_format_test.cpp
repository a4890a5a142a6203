#include "config/display/display_format.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

// 2026-01-01T00:00:00Z, as the era pivot.
constexpr UnixNanos kPivot = 1'767'225'600LL * 1'000'000'000;

TEST(DisplayFormat, NtpTimeAsVrpPrintsIt) {
  // The CE sample of `display ntp sessions verbose`.
  EXPECT_EQ(ntp_time(NtpTimestamp::from_parts(0xE224561B, 0x7E379B77), kPivot),
            "09:49:15.493 UTC Mar 24 2020(E224561B.7E379B77)");
  EXPECT_EQ(ntp_time(NtpTimestamp{}, kPivot), "00:00:00.000 UTC Jan 1 1900(00000000.00000000)");
  // Milliseconds are cut, not rounded: .99976 s stays in its second.
  EXPECT_EQ(ntp_time(NtpTimestamp::from_parts(0xE224561B, 0xFFF00000), kPivot),
            "09:49:15.999 UTC Mar 24 2020(E224561B.FFF00000)");
}

TEST(DisplayFormat, NtpTimeTakesTheEraNearestThePivot) {
  // Seconds 0x00000010 are 1900 in era 0 but 2036 in era 1: a pivot in 2035 picks 2036.
  const UnixNanos pivot_2035 = 2'051'222'400LL * 1'000'000'000;
  EXPECT_EQ(ntp_time(NtpTimestamp::from_parts(0x10, 0), pivot_2035),
            "06:28:32.000 UTC Feb 7 2036(00000010.00000000)");
  EXPECT_EQ(ntp_time(NtpTimestamp::from_parts(0xFFFFFFFF, 0), pivot_2035),
            "06:28:15.000 UTC Feb 7 2036(FFFFFFFF.00000000)");
}

TEST(DisplayFormat, Numbers) {
  EXPECT_EQ(milliseconds(0.0038128, 4), "3.8128");
  EXPECT_EQ(milliseconds(-0.00059951, 4), "-0.5995");
  EXPECT_EQ(milliseconds(-0.0000000001, 2), "0.00");
  EXPECT_EQ(milliseconds(0.03126, 2), "31.26");
  EXPECT_EQ(precision(-18), "2^18");
  EXPECT_EQ(precision(-24), "2^24");
  EXPECT_EQ(seconds(1024.0), "1024");
  EXPECT_EQ(seconds(355.9), "355");
  EXPECT_EQ(seconds(0.0), "0");
  EXPECT_EQ(seconds(0.0625), "0.0625");
}

TEST(DisplayFormat, ReferenceIds) {
  EXPECT_EQ(reference_id(0x7F7F0100, 8), "LOCAL(0)");
  EXPECT_EQ(reference_id(0x7F7F0103, 0), "LOCAL(3)");
  EXPECT_EQ(reference_id_raw(0x7F7F0100, 2), "127.127.1.0");
  EXPECT_EQ(reference_id(0x02020202, 3), "2.2.2.2");
  EXPECT_EQ(reference_id(0x47505300, 1), "GPS");    // "GPS\0"
  EXPECT_EQ(reference_id(0x494E4954, 16), "INIT");  // unsynchronised server
  EXPECT_EQ(reference_id(0x52415445, 0), "RATE");   // kiss code
  EXPECT_EQ(reference_id(0x47505300, 2), "71.80.83.0");
  EXPECT_EQ(reference_id(0, 16), "none");
  EXPECT_EQ(reference_id(0x01020304, 1), "1.2.3.4");  // not printable: dotted
}

}  // namespace
}  // namespace wiretime::display

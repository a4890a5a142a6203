// The datagram chronyd's refclock SOCK driver reads (chrony's refclock_sock.c struct sock_sample).
#include <gtest/gtest.h>

#include <cstddef>

#include "control/daemon/chrony_sock_feed.hpp"

namespace wiretime::daemon {
namespace {

TEST(ChronySock, SampleLayoutIsChronys) {
  EXPECT_EQ(offsetof(ChronySockSample, tv), 0u);
  EXPECT_EQ(offsetof(ChronySockSample, offset), 16u);
  EXPECT_EQ(offsetof(ChronySockSample, pulse), 24u);
  EXPECT_EQ(offsetof(ChronySockSample, leap), 28u);
  EXPECT_EQ(offsetof(ChronySockSample, magic), 36u);
  EXPECT_EQ(kChronySockMagic, 0x534f434b);  // "SOCK"
}

TEST(ChronySock, OffsetIsTrueTimeMinusTheStampedSystemTime) {
  // System time 1.000001234 s (chrony sees 1.000001 s), our clock 12.5 us later.
  const ChronySockSample s = chrony_sock_sample(1'000'001'234, 1'000'013'734, 1);
  EXPECT_EQ(s.tv.tv_sec, 1);
  EXPECT_EQ(s.tv.tv_usec, 1);
  EXPECT_NEAR(s.offset, 12.734e-6, 1e-12);
  EXPECT_EQ(s.leap, 1);
  EXPECT_EQ(s.pulse, 0);
  EXPECT_EQ(s.magic, kChronySockMagic);
  const ChronySockSample neg = chrony_sock_sample(-1'500, -1'000, 0);
  EXPECT_EQ(neg.tv.tv_sec, -1);
  EXPECT_EQ(neg.tv.tv_usec, 999'998);
  EXPECT_NEAR(neg.offset, 1.0e-6, 1e-12);
}

}  // namespace
}  // namespace wiretime::daemon

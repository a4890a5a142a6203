#include "dataplane/time/ntp_short.hpp"

#include <gtest/gtest.h>

namespace wiretime {
namespace {

TEST(NtpShort, CaptureValues) {
  // tcpdump-ntp.pcap frame 6: root delay 0x000027cc = 0.155457 s.
  EXPECT_NEAR(NtpShort::from_raw(0x27cc).to_seconds(), 0.155457, 1e-6);
  EXPECT_EQ(NtpShort::from_raw(0x27cc).to_duration().raw(), int64_t{0x27cc} << 16);
}

TEST(NtpShort, FromDurationRoundsAndSaturates) {
  EXPECT_EQ(NtpShort::from_duration(NtpDuration::from_seconds(int64_t{1})).raw(), 0x10000u);
  EXPECT_EQ(NtpShort::from_duration(NtpDuration::from_raw(0x8000)).raw(), 1u);  // half rounds up
  EXPECT_EQ(NtpShort::from_duration(NtpDuration::from_raw(0x7fff)).raw(), 0u);
  EXPECT_EQ(NtpShort::from_duration(NtpDuration::from_seconds(int64_t{-1})).raw(), 0u);
  EXPECT_EQ(NtpShort::from_duration(NtpDuration::from_seconds(int64_t{70000})).raw(), 0xffffffffu);
}

}  // namespace
}  // namespace wiretime

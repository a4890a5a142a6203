#include "dataplane/time/ntp_timestamp.hpp"

#include <gtest/gtest.h>

namespace wiretime {
namespace {

constexpr int64_t kNs = 1'000'000'000;

TEST(NtpTimestamp, UnixEpochIsNtpSeconds2208988800) {
  const auto ts = NtpTimestamp::from_unix_nanos(0);
  EXPECT_EQ(ts.seconds(), 2'208'988'800u);
  EXPECT_EQ(ts.fraction(), 0u);
  EXPECT_EQ(ts.to_unix_nanos(0), 0);
}

TEST(NtpTimestamp, KnownCaptureValueMatchesWireshark) {
  // tcpdump-ntp.pcap frame 2 receive: 0xdcf25a3984199119 = 2017-06-19 14:12:09.516015118 UTC.
  const auto ts = NtpTimestamp::from_raw(0xdcf25a3984199119ULL);
  EXPECT_EQ(ts.to_unix_nanos_rfc4330(), 1'497'881'529 * kNs + 516'015'118);
  EXPECT_EQ(ts.to_unix_nanos(1'700'000'000 * kNs), 1'497'881'529 * kNs + 516'015'118);
}

TEST(NtpTimestamp, Rfc4330RuleMatchesWiresharkEra1) {
  // suricata capture: 0x1857abc34a5f2cfe = 2049-01-16 02:34:43.290514766 UTC (era 1).
  const auto ts = NtpTimestamp::from_raw(0x1857abc34a5f2cfeULL);
  // Wireshark truncates to ...766 ns; we round to nearest.
  EXPECT_EQ(ts.to_unix_nanos_rfc4330(), 2'494'377'283 * kNs + 290'514'767);
}

TEST(NtpTimestamp, EraRolloverChoosesEraNearestPivot) {
  const UnixNanos era1 = kNtpEra1StartUnixNanos;
  EXPECT_EQ(era1, 2'085'978'496 * kNs);  // 2036-02-07T06:28:16Z
  const auto last_of_era0 = NtpTimestamp::from_parts(0xffffffffu, 0);
  const auto first_of_era1 = NtpTimestamp::from_parts(0, 0);
  EXPECT_EQ(NtpTimestamp::from_unix_nanos(era1), first_of_era1);
  EXPECT_EQ(NtpTimestamp::from_unix_nanos(era1 - kNs), last_of_era0);
  // Pivot just before the rollover: a small seconds value belongs to era 1.
  EXPECT_EQ(first_of_era1.to_unix_nanos(era1 - 10 * kNs), era1);
  EXPECT_EQ(last_of_era0.to_unix_nanos(era1 + 10 * kNs), era1 - kNs);
  // Pivot in 2026: a 1978 value is still read as 1978, a 2039 value as 2039.
  const UnixNanos now2026 = 1'795'000'000 * kNs;
  EXPECT_EQ(NtpTimestamp::from_unix_nanos(0).to_unix_nanos(now2026), 0);
  const UnixNanos y2039 = 2'192'000'000 * kNs;
  EXPECT_EQ(NtpTimestamp::from_unix_nanos(y2039).to_unix_nanos(now2026), y2039);
}

TEST(NtpTimestamp, Rfc4330TieGoesToEra0) {
  const auto ts = NtpTimestamp::from_parts(0x80000000u, 0);
  EXPECT_EQ(ts.to_unix_nanos_rfc4330(), (int64_t{0x80000000} - kNtpUnixEpochOffsetSeconds) * kNs);
}

TEST(NtpTimestamp, DifferenceAcrossRolloverIsExact) {
  const auto before = NtpTimestamp::from_parts(0xffffffffu, 0x80000000u);
  const auto after = NtpTimestamp::from_parts(0, 0x40000000u);
  EXPECT_EQ((after - before).raw(), int64_t{0x40000000} + int64_t{0x80000000});
  EXPECT_EQ((before - after).to_nanos(), -750'000'000);
  EXPECT_EQ(before + (after - before), after);
}

TEST(NtpTimestamp, NanosecondRoundTripIsExact) {
  // 2^-32 s is finer than 1 ns, so every nanosecond value must survive a round trip.
  for (int64_t ns : {int64_t{0}, int64_t{1}, int64_t{499'999'999}, int64_t{500'000'000},
                     int64_t{999'999'999}, int64_t{123'456'789}}) {
    const UnixNanos t = 1'700'000'000 * kNs + ns;
    EXPECT_EQ(NtpTimestamp::from_unix_nanos(t).to_unix_nanos(t), t) << ns;
  }
  for (int64_t i = 0; i < 100'000; ++i) {
    const UnixNanos t = 1'700'000'000 * kNs + i * 9'973;
    ASSERT_EQ(NtpTimestamp::from_unix_nanos(t).to_unix_nanos(t), t) << i;
  }
}

TEST(NtpTimestamp, FractionRoundsToNearestAndCarries) {
  // (1e9 - 1) ns * 2^32 / 1e9 = 4294967291.705 rounds to ...292, no carry.
  const auto ts = NtpTimestamp::from_unix_nanos(kNs - 1);
  EXPECT_EQ(ts.seconds(), 2'208'988'800u);
  EXPECT_EQ(ts.fraction(), 0xfffffffcu);
  // 1 ns = 4.29 units rounds to 4; half a unit below the next second rounds up and carries.
  EXPECT_EQ(NtpTimestamp::from_unix_nanos(1).fraction(), 4u);
  const auto top = NtpTimestamp::from_raw(0xdcf25a39ffffffffULL);
  EXPECT_EQ(top.to_unix_nanos(1'497'881'529 * kNs) % kNs, 0);  // 0.99999999977 s -> next second
}

TEST(NtpTimestamp, BeforeUnixEpoch) {
  const UnixNanos t = -1;  // 1969-12-31T23:59:59.999999999
  const auto ts = NtpTimestamp::from_unix_nanos(t);
  EXPECT_EQ(ts.seconds(), 2'208'988'799u);
  EXPECT_EQ(ts.to_unix_nanos(0), t);
}

}  // namespace
}  // namespace wiretime

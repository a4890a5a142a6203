#include "dataplane/rx/rx_stamp.hpp"

#include <gtest/gtest.h>

namespace wiretime::rx {
namespace {

using dpdk::NicStampKind;
using dpdk::StampSource;

TEST(RxStamp, WithoutANicStampTheBurstTscIsTheStamp) {
  const dpdk::NicClockRegression nic;
  const RxStamp s = rx_stamp(1000, std::nullopt, NicStampKind::kNicClock, nic);
  EXPECT_EQ(s.source, StampSource::kTsc);
  EXPECT_EQ(s.ticks, 1000u);
}

TEST(RxStamp, UtcMicrosecondsBecomeNanoseconds) {
  const dpdk::NicClockRegression nic;
  const RxStamp s = rx_stamp(1000, 1'700'000'000'123'456ULL, NicStampKind::kUtcMicros, nic);
  EXPECT_EQ(s.source, StampSource::kNicUtc);
  EXPECT_EQ(s.utc_ns, 1'700'000'000'123'456'000LL);
}

TEST(RxStamp, NicClockStampsMapOntoTheTscOnceTheFitIsReady) {
  dpdk::NicClockRegression nic;
  // Not enough pairs yet: the burst's TSC stands in.
  EXPECT_EQ(rx_stamp(1000, 500, NicStampKind::kNicClock, nic).source, StampSource::kTsc);
  // TSC = 2 x NIC + 100.
  for (uint64_t i = 1; i <= dpdk::NicClockRegression::kMinPairs; ++i) {
    nic.add(i * 1000, 2 * i * 1000 + 100);
  }
  const RxStamp s = rx_stamp(99999, 2500, NicStampKind::kNicClock, nic);
  EXPECT_EQ(s.source, StampSource::kNicTsc);
  EXPECT_NEAR(static_cast<double>(s.ticks), 5100.0, 1.0);
  // A port without stamps ignores a raw value.
  EXPECT_EQ(rx_stamp(7, 2500, NicStampKind::kNone, nic).ticks, 7u);
}

TEST(RxStamp, RequestsOfOneBurstGetDistinctReceiveTimes) {
  // 1 GHz ticks from NTP time 0xe0000000.00000000 at tick 0.
  const auto model = clock::ClockModel::from_rate(
      0, NtpTimestamp::from_raw(0xe000000000000000ULL).to_unix_nanos_rfc4330(), 1e9);
  RxStamp s;
  s.ticks = 1'000'000'000;  // one second later
  const NtpTimestamp t0 = request_receive_time(s, model, 0);
  EXPECT_EQ(t0.raw() >> 32, 0xe0000001ULL);
  EXPECT_EQ(request_receive_time(s, model, 3).raw(), t0.raw() + 3);
  RxStamp utc;
  utc.source = StampSource::kNicUtc;
  utc.utc_ns = NtpTimestamp::from_raw(0xe000000500000000ULL).to_unix_nanos_rfc4330();
  EXPECT_EQ(request_receive_time(utc, model, 1).raw(), 0xe000000500000001ULL);
}

}  // namespace
}  // namespace wiretime::rx

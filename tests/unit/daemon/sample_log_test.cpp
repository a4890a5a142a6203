#include "control/daemon/sample_log.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

TEST(SampleLog, FormatsUtc) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_utc(1'700'000'000'123'456'789), "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(format_utc(951'782'400'000'000'000), "2000-02-29T00:00:00.000000000Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999999999Z");
}

TEST(SampleLog, FormatsSampleAsKeyValues) {
  Sample s;
  s.server = wire::Ipv4Address::from_host_order(0xc6120001);
  s.server_port = 123;
  s.t4_utc = 1'700'000'000'000'000'000;
  s.offset = NtpDuration::from_nanos(-1234);
  s.delay = NtpDuration::from_nanos(45678);
  s.stratum = 1;
  EXPECT_EQ(format_sample(s),
            "2023-11-14T22:13:20.000000000Z sample server=198.18.0.1:123 offset_ns=-1234 "
            "delay_ns=45678 stratum=1 rx_stamp=tsc");
}

}  // namespace
}  // namespace wiretime::daemon

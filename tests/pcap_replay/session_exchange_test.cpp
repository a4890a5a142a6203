#include "tests/pcap_replay/session_exchange.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wiretime::replay {
namespace {

constexpr UnixNanos kBase = 1'795'000'000'000'000'000;  // 2026-11-18

wire::NtpHeader reply(NtpTimestamp origin, UnixNanos t2, UnixNanos t3) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kServer;
  h.stratum = 1;
  h.precision = -20;
  h.origin = origin;
  h.receive = NtpTimestamp::from_unix_nanos(t2);
  h.transmit = NtpTimestamp::from_unix_nanos(t3);
  return h;
}

TEST(SessionExchange, OffsetAndDelayFromTheMatchingRequest) {
  const auto cookie = NtpTimestamp::from_raw(0x0123456789abcdefULL);
  const std::vector<CapturedRequest> requests = {{NtpTimestamp::from_raw(1), kBase - 1'000'000},
                                                 {cookie, kBase}};
  // Server 3 us ahead, 40 us each way, 10 us inside the server.
  const auto e = match_exchange(requests, reply(cookie, kBase + 43'000, kBase + 53'000),
                                kBase + 90'000, 0x1p-24);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->origin, cookie);
  EXPECT_EQ(e->t1, kBase);
  EXPECT_EQ(e->t2, kBase + 43'000);
  EXPECT_EQ(e->t3, kBase + 53'000);
  EXPECT_EQ(e->t4, kBase + 90'000);
  EXPECT_EQ(e->offset_ns, 3'000);
  EXPECT_EQ(e->delay_ns, 80'000);
  EXPECT_EQ(to_csv(*e),
            "0123456789abcdef,1795000000000000000,1795000000000043000,"
            "1795000000000053000,1795000000000090000,3000,80000");
}

TEST(SessionExchange, UnknownOriginMatchesNothing) {
  const std::vector<CapturedRequest> requests = {{NtpTimestamp::from_raw(7), kBase}};
  EXPECT_FALSE(match_exchange(requests, reply(NtpTimestamp::from_raw(8), kBase + 10, kBase + 20),
                              kBase + 30, 0x1p-24));
}

TEST(SessionExchange, RequestsAfterTheReplyDoNotCount) {
  const auto cookie = NtpTimestamp::from_raw(42);
  const std::vector<CapturedRequest> requests = {{cookie, kBase}, {cookie, kBase + 50'000}};
  const auto e = match_exchange(requests, reply(cookie, kBase + 10'000, kBase + 11'000),
                                kBase + 20'000, 0x1p-24);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->t1, kBase);
  EXPECT_FALSE(match_exchange(requests, reply(cookie, kBase, kBase), kBase - 1, 0x1p-24));
}

TEST(SessionExchange, DelayIsFlooredAtThePrecision) {
  const auto cookie = NtpTimestamp::from_raw(42);
  const std::vector<CapturedRequest> requests = {{cookie, kBase}};
  const auto e = match_exchange(requests, reply(cookie, kBase + 100, kBase + 100), kBase + 100,
                                0x1p-20);  // 954 ns
  ASSERT_TRUE(e);
  EXPECT_EQ(e->delay_ns, 954);
}

}  // namespace
}  // namespace wiretime::replay

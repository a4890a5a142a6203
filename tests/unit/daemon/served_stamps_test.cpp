#include "control/daemon/served_stamps.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace wiretime::daemon {
namespace {

// Served-clock times: microseconds from an arbitrary instant.
NtpTimestamp at_us(int64_t us) {
  return NtpTimestamp::from_raw(0xe900000000000000ull) + NtpDuration::from_nanos(us * 1000);
}

NtpTimestamp ts(uint64_t raw) {
  return NtpTimestamp::from_raw(raw);
}

TapRecord request(NtpTimestamp origin, NtpTimestamp receive, NtpTimestamp transmit) {
  return TapRecord{false, wire::NtpMode::kClient, origin, receive, transmit, 0, {}, {}};
}

TapRecord reply(NtpTimestamp origin, NtpTimestamp receive, NtpTimestamp transmit) {
  return TapRecord{true, wire::NtpMode::kServer, origin, receive, transmit, 0, {}, {}};
}

double us(double v) {
  return v * 1000;
}

// A basic exchange: T2 is late on the kernel's RX stamp, T3 early on its TX stamp; both errors
// are reported and the advances follow the lags (the lcore has not applied any yet).
TEST(ServedStamps, MeasuresBasicRepliesAgainstTheKernelStamps) {
  ServedStamps s;
  s.request(request({}, {}, ts(11)), at_us(100));
  const auto r = s.reply(reply(ts(11), at_us(108), at_us(120)), at_us(150));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->interleaved);
  EXPECT_EQ(r->receive, at_us(108));
  EXPECT_EQ(r->kernel_tx, at_us(150));
  ASSERT_TRUE(r->t2_error_ns && r->t3_error_ns);
  EXPECT_NEAR(static_cast<double>(*r->t2_error_ns), us(8), 1);
  EXPECT_NEAR(static_cast<double>(*r->t3_error_ns), us(-30), 1);
  EXPECT_NEAR(static_cast<double>(s.rx_advance_ns()), us(8), 1);
  EXPECT_NEAR(static_cast<double>(s.tx_advance_ns()), us(30), 1);
  EXPECT_EQ(s.replies(), 1u);
  EXPECT_EQ(s.t2_errors().count, 1u);
  EXPECT_EQ(s.t3_basic_errors().count, 1u);
}

// Replies served with the advances applied show the lag left; the advance is then that error
// plus the advance, so a steady lag keeps it where it is and a change moves it by an eighth.
TEST(ServedStamps, AdvancesConvergeWhileTheLcoreAppliesThem) {
  ServedStamps s;
  int64_t rx_applied = 0;
  int64_t tx_applied = 0;
  for (int i = 0; i < 200; ++i) {
    const int64_t base = 1'000'000 * i;  // one exchange a second
    const uint64_t cookie = 1000 + static_cast<uint64_t>(i);
    // The lcore sees the request 9 us after the kernel and reads T3 40 us before the kernel
    // stamps the reply; it applies what it was told.
    s.request(request({}, {}, ts(cookie)), at_us(base));
    const NtpTimestamp t2 = at_us(base + 9) - NtpDuration::from_nanos(rx_applied);
    const NtpTimestamp t3 = at_us(base + 20) + NtpDuration::from_nanos(tx_applied);
    ASSERT_TRUE(s.reply(reply(ts(cookie), t2, t3), at_us(base + 60)));
    rx_applied = s.rx_advance_ns();
    tx_applied = s.tx_advance_ns();
  }
  EXPECT_NEAR(static_cast<double>(rx_applied), us(9), 10);
  EXPECT_NEAR(static_cast<double>(tx_applied), us(40), 10);
  // The errors over all replies start at the full lag and end near zero.
  EXPECT_EQ(s.t2_errors().max_ns / 1000, 9);
  EXPECT_EQ(s.t3_basic_errors().min_ns / 1000, -40);
  EXPECT_LT(s.t3_basic_errors().max_ns, 100);
}

// An interleaved reply (transmit before receive) carries the departure the lcore saved for the
// T2 its request names as origin; it is judged against the kernel's stamp of that earlier
// reply, and does not move the T3 advance.
TEST(ServedStamps, JudgesInterleavedRepliesByTheDepartureTheyCarry) {
  ServedStamps s;
  s.request(request({}, {}, ts(21)), at_us(0));
  ASSERT_TRUE(s.reply(reply(ts(21), at_us(5), at_us(10)), at_us(30)));
  const int64_t tx_advance = s.tx_advance_ns();
  // The client's next request: origin = our T2, receive = its RX of our reply (its nonce).
  s.request(request(at_us(5), ts(777), ts(22)), at_us(1'000'000));
  const auto r = s.reply(reply(ts(777), at_us(1'000'004), at_us(29)), at_us(1'000'025));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->interleaved);
  ASSERT_TRUE(r->t3_error_ns);
  EXPECT_NEAR(static_cast<double>(*r->t3_error_ns), us(-1), 1);  // 29 served, 30 departed
  ASSERT_TRUE(r->t2_error_ns);
  EXPECT_NEAR(static_cast<double>(*r->t2_error_ns), us(4), 1);
  EXPECT_EQ(s.tx_advance_ns(), tx_advance);
  EXPECT_EQ(s.t3_interleaved_errors().count, 1u);
  EXPECT_EQ(s.t3_basic_errors().count, 1u);
}

// A reply whose request the tap missed still dates its departure (for the store) and its T3;
// KoDs (no T2) and frames of our own client are not the server's.
TEST(ServedStamps, KeepsDeparturesWithoutTheRequestAndSkipsKissOfDeath) {
  ServedStamps s;
  const auto r = s.reply(reply(ts(31), at_us(5), at_us(10)), at_us(12));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->t2_error_ns);
  ASSERT_TRUE(r->t3_error_ns);
  EXPECT_EQ(s.t2_errors().count, 0u);
  EXPECT_EQ(s.rx_advance_ns(), 0);
  EXPECT_FALSE(s.reply(reply(ts(41), ts(41), ts(41)), at_us(20)));  // a KoD
  TapRecord incoming = reply(ts(51), at_us(5), at_us(10));
  incoming.outgoing = false;  // a reply to our client
  EXPECT_FALSE(s.reply(incoming, at_us(20)));
  EXPECT_EQ(s.replies(), 1u);
}

}  // namespace
}  // namespace wiretime::daemon

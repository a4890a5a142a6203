#include "control/daemon/kernel_stamp_matcher.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::daemon {
namespace {

NtpTimestamp ts(uint64_t raw) {
  return NtpTimestamp::from_raw(raw);
}

wire::NtpHeader request(NtpTimestamp cookie, NtpTimestamp nonce = {}) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.version = 4;
  h.transmit = cookie;
  h.receive = nonce;
  return h;
}

wire::NtpHeader reply(NtpTimestamp origin, NtpTimestamp transmit) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kServer;
  h.version = 4;
  h.stratum = 1;
  h.origin = origin;
  h.receive = transmit;
  h.transmit = transmit;
  return h;
}

TapRecord record(const wire::NtpHeader& h, bool outgoing, UnixNanos stamp) {
  return TapRecord{outgoing, h.mode, h.origin, h.receive, h.transmit, stamp, {}, {}};
}

TEST(KernelStampMatcher, PairsTheRequestAndItsReply) {
  KernelStampMatcher m;
  EXPECT_FALSE(m.saw_outgoing());
  m.add(record(request(ts(11)), true, 1000));
  m.add(record(request(ts(22)), true, 1500));  // another association's request
  m.add(record(reply(ts(11), ts(77)), false, 2000));
  EXPECT_TRUE(m.saw_outgoing());
  const auto e = m.exchange(reply(ts(11), ts(77)));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->cookie, ts(11));
  EXPECT_EQ(e->t1, 1000);
  EXPECT_EQ(e->t4, 2000);
}

TEST(KernelStampMatcher, BothEndsOrNeither) {
  KernelStampMatcher m;
  // Only the reply was seen (a PMD bypassing the taps): no exchange, the TSC stamps stay.
  m.add(record(reply(ts(11), ts(77)), false, 2000));
  EXPECT_FALSE(m.exchange(reply(ts(11), ts(77))));
  // Only the request: neither.
  m.add(record(request(ts(33)), true, 3000));
  EXPECT_FALSE(m.exchange(reply(ts(33), ts(88))));
  // A reply with another transmit field than the one seen (a second answer): neither.
  m.add(record(reply(ts(33), ts(88)), false, 3200));
  EXPECT_FALSE(m.exchange(reply(ts(33), ts(89))));
  EXPECT_TRUE(m.exchange(reply(ts(33), ts(88))));
  // A zero origin never matches (a request whose receive field is zero would).
  m.add(record(request(ts(44)), true, 4000));
  m.add(record(reply(NtpTimestamp{}, ts(99)), false, 4100));
  EXPECT_FALSE(m.exchange(reply(NtpTimestamp{}, ts(99))));
}

TEST(KernelStampMatcher, InterleavedReplyEchoesTheNonce) {
  KernelStampMatcher m;
  m.add(record(request(ts(55), ts(66)), true, 5000));
  m.add(record(reply(ts(66), ts(70)), false, 5100));
  const auto e = m.exchange(reply(ts(66), ts(70)));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->cookie, ts(55));  // the control loop knows the request by its cookie
  EXPECT_EQ(e->t1, 5000);
  EXPECT_EQ(e->t4, 5100);
}

TEST(KernelStampMatcher, KeepsTheMostRecentFrames) {
  KernelStampMatcher m;
  m.add(record(request(ts(1)), true, 10));
  m.add(record(reply(ts(1), ts(2)), false, 20));
  for (uint64_t i = 0; i < KernelStampMatcher::kCapacity; ++i) {
    m.add(record(request(ts(1000 + i)), true, 30));
  }
  EXPECT_FALSE(m.exchange(reply(ts(1), ts(2))));  // overwritten
}

TEST(KernelStampMatcher, TapRecordOfAnEncodedFrame) {
  wire::Ipv4UdpSpec spec;
  spec.eth.has_vlan = true;
  spec.eth.vlan_tci = 100;
  spec.src_port = 50000;
  std::array<uint8_t, 256> frame{};
  const size_t n = wire::encode_ipv4_ntp(frame, spec, request(ts(5), ts(6)));
  ASSERT_GT(n, 0u);
  const auto r = tap_record(std::span<const uint8_t>(frame.data(), n), true, 123);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->outgoing);
  EXPECT_EQ(r->mode, wire::NtpMode::kClient);
  EXPECT_EQ(r->transmit, ts(5));
  EXPECT_EQ(r->receive, ts(6));
  EXPECT_EQ(r->stamp, 123);
  // Not NTP: another UDP port, or a truncated frame.
  spec.src_port = 5353;
  spec.dst_port = 5353;
  const size_t m = wire::encode_ipv4_ntp(frame, spec, request(ts(5)));
  EXPECT_FALSE(tap_record(std::span<const uint8_t>(frame.data(), m), true, 1));
  EXPECT_TRUE(tap_record(std::span<const uint8_t>(frame.data(), m), true, 1, 5353));
  EXPECT_FALSE(tap_record(std::span<const uint8_t>(frame.data(), 30), true, 1));
}

}  // namespace
}  // namespace wiretime::daemon

// Transmit stamps from the socket error queue find their request whatever the kernel (or an
// interposing simulator) numbers them from (issue 13 item 8).
#include "control/daemon/tx_stamp_matcher.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {
namespace {

NtpTimestamp cookie(uint64_t n) {
  return NtpTimestamp::from_raw(0x9e3779b97f4a7c15ULL * n | 1);
}

// The request as the error queue loops it back: some bytes of headers, then the NTP packet.
std::vector<uint8_t> looped(NtpTimestamp c, size_t headers = 42) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.transmit = c;
  std::array<uint8_t, wire::kNtpHeaderSize> ntp{};
  wire::encode_ntp(ntp, h);
  std::vector<uint8_t> packet(headers, 0xee);
  packet.insert(packet.end(), ntp.begin(), ntp.end());
  return packet;
}

TxStampMatcher with_three() {
  TxStampMatcher m;
  for (uint32_t i = 0; i < 3; ++i) m.sent({i, cookie(i + 1), 1000 + i});
  return m;
}

TEST(TxStampMatcher, PacketNamesTheRequestWhateverTheKeys) {
  TxStampMatcher m = with_three();
  // A simulator's keys start at 5000, and the stamps come out of order.
  const auto p2 = looped(cookie(3));
  const auto b = m.match(true, 5002, p2);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->sequence, 2u);
  const auto p0 = looped(cookie(1), 0);  // no headers at all
  const auto a = m.match(true, 5000, p0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->cookie, cookie(1));
  EXPECT_EQ(m.pending(), 1u);
  // A packet of no pending request (a duplicate stamp) matches nothing, even with a key.
  EXPECT_FALSE(m.match(true, 5001, p2));
  EXPECT_EQ(m.pending(), 1u);
}

TEST(TxStampMatcher, KeysCountFromTheFirstStampSeenWhenTheDataIsWithheld) {
  TxStampMatcher m = with_three();
  // Keys only (OPT_TSONLY or tstamp_allow_data = 0), numbered from 77 by a simulator: the
  // first stamp seen is that of the first datagram sent.
  const auto a = m.match(true, 77, {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sequence, 0u);
  const auto c = m.match(true, 79, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cookie, cookie(3));
  const auto b = m.match(true, 78, {});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->before, 1001);
  EXPECT_FALSE(m.match(true, 80, {}));  // nothing sent with that number
}

TEST(TxStampMatcher, RequestReportedBeforeItsStampKeepsTheKeysAligned) {
  TxStampMatcher m;
  m.sent({0, cookie(1), 1});
  // The reply came first: request 0 was reported with its fallback T1.
  ASSERT_EQ(m.take_all().size(), 1u);
  m.sent({1, cookie(2), 2});
  // Its stamp (key 40) still comes first in the queue and must not be taken for request 1.
  EXPECT_FALSE(m.match(true, 40, {}));
  const auto b = m.match(true, 41, {});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->cookie, cookie(2));
}

TEST(TxStampMatcher, KeyOriginLearntFromAPacketMatch) {
  TxStampMatcher m = with_three();
  // The first stamp carries the packet of request 1 (key 11): keys are sequence + 10.
  ASSERT_TRUE(m.match(true, 11, looped(cookie(2))));
  const auto c = m.match(true, 12, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sequence, 2u);
}

TEST(TxStampMatcher, StampWithNeitherKeyNorPacketMatchesNothing) {
  TxStampMatcher m = with_three();
  EXPECT_FALSE(m.match(false, 0, {}));
  EXPECT_EQ(m.pending(), 3u);
}

}  // namespace
}  // namespace wiretime::daemon

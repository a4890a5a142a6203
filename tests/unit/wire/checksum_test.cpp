#include "dataplane/wire/checksum.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "dataplane/wire/byte_order.hpp"
#include "tests/unit/wire/hex.hpp"

namespace wiretime::wire {
namespace {

using test::from_hex;

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the carry).
  const auto bytes = from_hex("0001f203f4f5f6f7");
  EXPECT_EQ(checksum_accumulate(bytes), 0xddf2u);
  EXPECT_EQ(internet_checksum(bytes), 0x220d);
}

TEST(Checksum, OddLengthPadsWithZero) {
  EXPECT_EQ(internet_checksum(from_hex("0001f203f4f5f6")),
            internet_checksum(from_hex("0001f203f4f5f600")));
}

TEST(Checksum, KnownIpv4Header) {
  // Classic example header (192.168.0.1 -> 192.168.0.199, UDP) with checksum b861.
  auto header = from_hex("450000730000400040110000c0a80001c0a800c7");
  EXPECT_EQ(internet_checksum(header), 0xb861);
  store_be16(header.data() + 10, 0xb861);
  EXPECT_EQ(internet_checksum(header), 0);
}

TEST(Checksum, CapturedIpv4UdpVerifies) {
  // tcpdump-ntp-time.pcap frame 2 (server reply, checksum good per tshark): IP header then UDP.
  const auto frame = from_hex(
      "00241dd70b17bceafaa47900080045b8004c228240003e11735684c7040184c79881007bc1250038ded8240208"
      "e8000000150000095284c707c9dd47fb3a567637c0dd47fff4edb0ccbcdd47fff4ee0f4743dd47fff4ee1119"
      "cf");
  const std::span<const uint8_t> ip(frame.data() + 14, 20);
  EXPECT_EQ(internet_checksum(ip), 0);
  const std::span<const uint8_t> udp(frame.data() + 34, frame.size() - 34);
  const Ipv4Address src{{132, 199, 4, 1}};
  const Ipv4Address dst{{132, 199, 152, 129}};
  EXPECT_TRUE(udp_checksum_is_valid(IpAddress::from(src), IpAddress::from(dst), udp));
  auto zeroed = std::vector<uint8_t>(udp.begin(), udp.end());
  store_be16(zeroed.data() + 6, 0);
  EXPECT_EQ(udp_checksum_ipv4(src, dst, zeroed), 0xded8);
  zeroed[20] ^= 1;
  store_be16(zeroed.data() + 6, 0xded8);
  EXPECT_FALSE(udp_checksum_is_valid(IpAddress::from(src), IpAddress::from(dst), zeroed));
}

TEST(Checksum, CapturedIpv6UdpVerifies) {
  // zeek-NTP-digest.pcap frame 1, UDP checksum 9a81 (good per tshark).
  const auto frame = from_hex(
      "b827eb4fff14b40c25058e1386dd6e000000004c11fd2003005160120121000000000000000220030051601201"
      "1000000000dcf70123007b007b004c9a81230206e800000091000006b7b6a580dbdcd2a7d77a05d46a000000"
      "00000000000000000000000000dcd2aa817b9f9bdc00000001ac017b69915ce5a7a9fb73ac8bd1603b");
  Ipv6Address src;
  Ipv6Address dst;
  std::copy(frame.begin() + 22, frame.begin() + 38, src.bytes.begin());
  std::copy(frame.begin() + 38, frame.begin() + 54, dst.bytes.begin());
  std::vector<uint8_t> udp(frame.begin() + 54, frame.end());
  EXPECT_TRUE(udp_checksum_is_valid(IpAddress::from(src), IpAddress::from(dst), udp));
  store_be16(udp.data() + 6, 0);
  EXPECT_EQ(udp_checksum_ipv6(src, dst, udp), 0x9a81);
  // Families must match.
  EXPECT_FALSE(udp_checksum_is_valid(IpAddress::from(src), IpAddress{}, udp));
}

TEST(Checksum, ComputedZeroIsSentAsAllOnes) {
  // Choose a payload word so that the complemented sum is zero.
  const Ipv4Address a{{0, 0, 0, 0}};
  std::vector<uint8_t> udp = from_hex("0000000000080000");  // ports 0, length 8, csum 0
  // pseudo sum: proto 17 + length 8 = 0x19; udp sum: length 8 = 0x08 -> total 0x21.
  // Set the source port to 0xffff - 0x21 so the total is 0xffff and the result would be 0.
  store_be16(udp.data(), 0xffde);
  EXPECT_EQ(udp_checksum_ipv4(a, a, udp), 0xffff);
}

TEST(Checksum, IncrementalUpdateMatchesFullRecompute) {
  auto data = from_hex("45b8004c228240003e11000084c7040184c79881");
  const uint16_t before = internet_checksum(data);
  const uint16_t old_word = load_be16(data.data() + 4);
  store_be16(data.data() + 4, 0x1234);
  EXPECT_EQ(checksum_update16(before, old_word, 0x1234), internet_checksum(data));
}

// The word-wide accumulator against the textbook 16-bit one's-complement sum: every length
// (odd tails, 2-byte tails), all-ones data (the 0xffff/0 ambiguity), and chained partial sums.
TEST(Checksum, WideAccumulatorEqualsSixteenBitSum) {
  auto reference = [](std::span<const uint8_t> bytes, uint32_t sum) {
    for (size_t i = 0; i < bytes.size(); i += 2) {
      sum += static_cast<uint32_t>(bytes[i]) << 8;
      if (i + 1 < bytes.size()) sum += bytes[i + 1];
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
  };
  uint32_t state = 12345;
  std::vector<uint8_t> data(1500);
  for (int pattern = 0; pattern < 3; ++pattern) {
    for (uint8_t& b : data) {
      state = state * 1103515245u + 12345u;
      b = pattern == 0 ? static_cast<uint8_t>(state >> 16) : pattern == 1 ? 0xff : 0x00;
    }
    for (size_t len = 0; len <= data.size(); len += len < 80 ? 1 : 37) {
      const std::span<const uint8_t> bytes(data.data(), len);
      for (const uint32_t start : {0u, 1u, 0xfffeu, 0xffffu}) {
        ASSERT_EQ(checksum_accumulate(bytes, start), reference(bytes, start))
            << "pattern " << pattern << " length " << len << " start " << start;
      }
    }
  }
}

}  // namespace
}  // namespace wiretime::wire

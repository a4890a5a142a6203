#include "dataplane/wire/frame_encoder.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"
#include "tests/unit/wire/frame_builder.hpp"
#include "tests/unit/wire/hex.hpp"

namespace wiretime::wire {
namespace {

using test::from_hex;

NtpHeader server_header() {
  NtpHeader h;
  h.version = 4;
  h.mode = NtpMode::kServer;
  h.stratum = 2;
  h.poll = 8;
  h.precision = -24;
  h.root_delay = NtpShort::from_raw(0x15);
  h.root_dispersion = NtpShort::from_raw(0x952);
  h.reference_id = 0x84c707c9;
  h.reference = NtpTimestamp::from_raw(0xdd47fb3a567637c0ull);
  h.origin = NtpTimestamp::from_raw(0xdd47fff4edb0ccbcull);
  h.receive = NtpTimestamp::from_raw(0xdd47fff4ee0f4743ull);
  h.transmit = NtpTimestamp::from_raw(0xdd47fff4ee1119cfull);
  return h;
}

TEST(FrameEncoder, ReproducesCapturedFrameByteForByte) {
  // tcpdump-ntp-time.pcap frame 2, including IP id, TOS, TTL and both checksums.
  const auto captured = from_hex(
      "00241dd70b17bceafaa47900080045b8004c228240003e11735684c7040184c79881007bc1250038ded8240208"
      "e8000000150000095284c707c9dd47fb3a567637c0dd47fff4edb0ccbcdd47fff4ee0f4743dd47fff4ee1119"
      "cf");
  Ipv4UdpSpec spec;
  spec.eth.dst = {{0x00, 0x24, 0x1d, 0xd7, 0x0b, 0x17}};
  spec.eth.src = {{0xbc, 0xea, 0xfa, 0xa4, 0x79, 0x00}};
  spec.src_ip = {{132, 199, 4, 1}};
  spec.dst_ip = {{132, 199, 152, 129}};
  spec.src_port = 123;
  spec.dst_port = 49445;
  spec.ttl = 62;
  spec.tos = 0xb8;
  spec.identification = 0x2282;
  std::array<uint8_t, 256> buf{};
  ASSERT_EQ(encode_ipv4_ntp(buf, spec, server_header()), captured.size());
  EXPECT_TRUE(std::equal(captured.begin(), captured.end(), buf.begin()));
}

TEST(FrameEncoder, Ipv4NtpWithVlanAndMacRoundTrips) {
  Ipv4UdpSpec spec;
  spec.eth = {{{2, 0, 0, 0, 0, 1}}, {{2, 0, 0, 0, 0, 2}}, true, 0x2064};
  spec.src_ip = {{10, 0, 0, 1}};
  spec.dst_ip = {{10, 0, 0, 2}};
  spec.dst_port = 50000;
  const std::array<uint8_t, 20> digest = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                          11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const NtpMac mac{42, digest};
  std::array<uint8_t, 256> buf{};
  const size_t len = encode_ipv4_ntp(buf, spec, server_header(), &mac);
  ASSERT_EQ(len, 14u + 4 + 20 + 8 + 48 + 24);
  EXPECT_EQ(udp_payload_offset(spec.eth, IpVersion::kV4), 14u + 4 + 20 + 8);
  const DecodedFrame f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  ASSERT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.vlans[0].vid, 100);
  EXPECT_EQ(f.vlans[0].pcp, 1);
  EXPECT_EQ(f.src_ip.v4, spec.src_ip);
  EXPECT_EQ(f.dst_port, 50000);
  EXPECT_EQ(f.ttl, 64);
  EXPECT_EQ(f.ntp.header.transmit, server_header().transmit);
  ASSERT_TRUE(f.ntp.has_mac);
  EXPECT_EQ(f.ntp.mac.key_id, 42u);
  EXPECT_EQ(f.ntp.mac.digest[19], 20);
  // Every smaller buffer is refused without writing past it.
  for (size_t n = 0; n < len; ++n) {
    EXPECT_EQ(encode_ipv4_ntp(std::span(buf).first(n), spec, server_header(), &mac), 0u) << n;
  }
}

TEST(FrameEncoder, Ipv6NtpRoundTrips) {
  Ipv6UdpSpec spec;
  spec.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  spec.dst_ip.bytes = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  spec.traffic_class = 0xb8;
  spec.flow_label = 0x12345;
  spec.hop_limit = 255;
  std::array<uint8_t, 256> buf{};
  const size_t len = encode_ipv6_ntp(buf, spec, server_header());
  ASSERT_EQ(len, 14u + 40 + 8 + 48);
  const DecodedFrame f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_TRUE(f.is_ipv6());
  EXPECT_EQ(f.src_ip.v6, spec.src_ip);
  EXPECT_EQ(f.dst_ip.v6, spec.dst_ip);
  EXPECT_EQ(f.tos, 0xb8);
  EXPECT_EQ(f.flow_label, 0x12345u);
  EXPECT_EQ(f.ttl, 255);
  EXPECT_EQ(f.ntp.header.reference_id, 0x84c707c9u);
  for (size_t n = 0; n < len; ++n) {
    EXPECT_EQ(encode_ipv6_ntp(std::span(buf).first(n), spec, server_header()), 0u) << n;
  }
}

TEST(FrameEncoder, ShortUdpFramesArePaddedToMinimum) {
  Ipv4UdpSpec spec;
  spec.src_ip = {{10, 0, 0, 1}};
  spec.dst_ip = {{10, 0, 0, 2}};
  spec.src_port = 1000;
  spec.dst_port = 2000;
  std::array<uint8_t, 128> buf;
  buf.fill(0xcc);
  const std::vector<uint8_t> payload = {1, 2, 3};
  const size_t len = encode_ipv4_udp(buf, spec, payload);
  ASSERT_EQ(len, kMinEthernetFrameSize);
  EXPECT_EQ(buf[59], 0);
  EXPECT_EQ(buf[60], 0xcc);  // nothing written past the frame
  const DecodedFrame f = decode_frame(std::span(buf).first(len));
  EXPECT_EQ(f.error, DecodeError::kNotNtp);
  ASSERT_EQ(f.udp_payload.size(), 3u);
  EXPECT_EQ(f.udp_payload[2], 3);
  EXPECT_EQ(encode_ipv4_udp(std::span(buf).first(59), spec, payload), 0u);

  Ipv6UdpSpec spec6;
  const size_t len6 = encode_ipv6_udp(buf, spec6, payload);
  EXPECT_EQ(len6, 14u + 40 + 8 + 3);
  // Default ports are 123, so the payload {1, 2, 3} is read as NTP version 0.
  EXPECT_EQ(decode_frame(std::span(buf).first(len6)).error, DecodeError::kBadNtpVersion);
}

TEST(FrameEncoder, ArpRequestReplyAndGratuitous) {
  const MacAddress own{{2, 0, 0, 0, 0, 0xaa}};
  const MacAddress peer{{2, 0, 0, 0, 0, 0xbb}};
  const Ipv4Address own_ip{{10, 1, 1, 1}};
  const Ipv4Address peer_ip{{10, 1, 1, 2}};
  std::array<uint8_t, 128> buf{};

  size_t len = encode_arp_request(buf, {}, own, own_ip, peer_ip);
  ASSERT_EQ(len, 60u);
  DecodedFrame f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk);
  ASSERT_TRUE(f.is_arp);
  EXPECT_EQ(f.dst_mac, MacAddress::broadcast());
  EXPECT_EQ(f.src_mac, own);
  EXPECT_EQ(f.arp.operation, ArpOperation::kRequest);
  EXPECT_EQ(f.arp.sender_ip, own_ip);
  EXPECT_EQ(f.arp.target_ip, peer_ip);
  EXPECT_EQ(f.arp.target_mac, MacAddress{});

  const ArpPacket request{ArpOperation::kRequest, peer, peer_ip, MacAddress{}, own_ip};
  EthernetSpec vlan;
  vlan.has_vlan = true;
  vlan.vlan_tci = 7;
  len = encode_arp_reply(buf, vlan, request, own);
  ASSERT_EQ(len, 60u);  // 14 + 4 + 28 = 46, padded
  f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk);
  EXPECT_EQ(f.vlans[0].vid, 7);
  EXPECT_EQ(f.dst_mac, peer);
  EXPECT_EQ(f.arp.operation, ArpOperation::kReply);
  EXPECT_EQ(f.arp.sender_mac, own);
  EXPECT_EQ(f.arp.sender_ip, own_ip);
  EXPECT_EQ(f.arp.target_mac, peer);
  EXPECT_EQ(f.arp.target_ip, peer_ip);

  len = encode_gratuitous_arp(buf, {}, own, own_ip);
  f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk);
  EXPECT_EQ(f.dst_mac, MacAddress::broadcast());
  EXPECT_EQ(f.arp.sender_ip, own_ip);
  EXPECT_EQ(f.arp.target_ip, own_ip);

  EXPECT_EQ(encode_gratuitous_arp(std::span(buf).first(59), {}, own, own_ip), 0u);
}

TEST(FrameEncoder, RestampKeepsChecksumsValid) {
  const NtpTimestamp later = NtpTimestamp::from_raw(0xe9790aa1fc20ca7cull);
  std::array<uint8_t, 256> buf{};

  Ipv4UdpSpec spec4;
  spec4.src_ip = {{10, 0, 0, 1}};
  spec4.dst_ip = {{10, 0, 0, 2}};
  size_t len = encode_ipv4_ntp(buf, spec4, server_header());
  ASSERT_TRUE(restamp_ntp_transmit(std::span(buf).first(len), 34, later));
  DecodedFrame f = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_EQ(f.ntp.header.transmit, later);

  Ipv6UdpSpec spec6;
  len = encode_ipv6_ntp(buf, spec6, server_header());
  for (uint64_t raw : {0ull, 0xffffffffffffffffull, 0x0123456789abcdefull}) {
    ASSERT_TRUE(restamp_ntp_transmit(std::span(buf).first(len), 54, NtpTimestamp::from_raw(raw)));
    f = decode_frame(std::span(buf).first(len));
    ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error) << " " << raw;
    EXPECT_EQ(f.ntp.header.transmit.raw(), raw);
  }

  // An IPv4 datagram sent without checksum keeps it that way.
  len = encode_ipv4_ntp(buf, spec4, server_header());
  store_be16(buf.data() + 34 + 6, 0);
  ASSERT_TRUE(restamp_ntp_transmit(std::span(buf).first(len), 34, later));
  EXPECT_EQ(load_be16(buf.data() + 34 + 6), 0);
  EXPECT_EQ(decode_frame(std::span(buf).first(len)).error, DecodeError::kOk);

  EXPECT_FALSE(restamp_ntp_transmit(std::span(buf).first(34 + 8 + 47), 34, later));
}

}  // namespace
}  // namespace wiretime::wire

namespace wiretime::wire {
namespace {

using test::Bytes;
using test::cat;

Bytes echo_request_icmp(uint8_t type, size_t data_len) {
  Bytes m = {type, 0, 0, 0, 0x12, 0x34, 0x00, 0x07};
  for (size_t i = 0; i < data_len; ++i) m.push_back(static_cast<uint8_t>(i));
  return m;
}

// The reply swapped into the request's own frame is byte for byte the frame the full encoder
// builds from the swapped fields, for every shape it takes; other shapes are left to the
// encoder (0).
TEST(FrameEncoder, NtpReplyInPlaceEqualsTheFullEncoder) {
  using test::Bytes;
  using test::cat;
  const Bytes mac_trailer = cat({{0, 0, 0, 7}, Bytes(20, 0xab)});
  const Bytes extension = {0, 0x10, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  struct Case {
    const char* name;
    Bytes frame;
    bool with_mac;
  };
  Bytes tos_v4 = test::ipv4_udp(test::ntp_request());
  tos_v4[1] = 0xb8;  // DSCP EF: kept in the reply
  store_be16(tos_v4.data() + 10, 0);
  store_be16(tos_v4.data() + 10, internet_checksum({tos_v4.data(), 20}));
  Bytes labelled_v6 = test::ipv6_udp(test::ntp_request());
  labelled_v6[1] = 0xa1;  // traffic class 0x0a, flow label 0x1xxxx: the reply's label is 0
  labelled_v6[2] = 0x23;
  const std::vector<Case> cases = {
      {"ipv4", cat({test::ethernet(0x0800), tos_v4}), false},
      {"ipv4 vlan", cat({test::ethernet(0x0800, {0x8100'a064}), tos_v4}), false},
      {"ipv4 extension field",
       cat({test::ethernet(0x0800), test::ipv4_udp(cat({test::ntp_request(), extension}))}), false},
      {"ipv4 mac",
       cat({test::ethernet(0x0800), test::ipv4_udp(cat({test::ntp_request(), mac_trailer}))}),
       true},
      {"ipv6", cat({test::ethernet(0x86dd), labelled_v6}), false},
      {"ipv6 vlan mac",
       cat({test::ethernet(0x86dd, {0x8100'0007}),
            test::ipv6_udp(cat({test::ntp_request(), mac_trailer}))}),
       true},
  };
  const std::array<uint8_t, 20> digest{};
  const NtpMac mac{7, digest};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const DecodedFrame request = decode_frame(c.frame);
    ASSERT_EQ(request.error, DecodeError::kOk);
    ASSERT_TRUE(request.is_ntp);
    Bytes expected(256);
    expected.resize(
        encode_ntp_reply(expected, request, server_header(), c.with_mac ? &mac : nullptr));
    ASSERT_GT(expected.size(), 0u);
    Bytes frame = c.frame;
    const size_t n =
        encode_ntp_reply_in_place(frame, request, server_header(), c.with_mac ? &mac : nullptr);
    ASSERT_EQ(n, expected.size());
    EXPECT_EQ(Bytes(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n)), expected);
  }
}

TEST(FrameEncoder, NtpReplyInPlaceLeavesOtherShapesToTheEncoder) {
  using test::Bytes;
  using test::cat;
  const std::vector<Bytes> others = {
      // IPv4 options (a record-route stub, padded)
      cat({test::ethernet(0x0800),
           test::ipv4_udp(test::ntp_request(), 40000, 123, {0x07, 0x03, 0x04, 0x00})}),
      // 802.1ad outer tag alone, and QinQ
      cat({test::ethernet(0x0800, {0x88a8'0064}), test::ipv4_udp(test::ntp_request())}),
      cat({test::ethernet(0x0800, {0x88a8'0064, 0x8100'0007}),
           test::ipv4_udp(test::ntp_request())}),
      // IPv6 hop-by-hop options header before UDP
      [] {
        Bytes segment = test::udp(40000, 123, test::ntp_request());
        test::fill_udp_checksum_v6(segment, test::v6(1), test::v6(2));
        return cat({test::ethernet(0x86dd),
                    test::ipv6(0, cat({Bytes{17, 0, 1, 4, 0, 0, 0, 0}, segment}))});
      }(),
  };
  for (size_t i = 0; i < others.size(); ++i) {
    SCOPED_TRACE(i);
    const DecodedFrame request = decode_frame(others[i]);
    ASSERT_EQ(request.error, DecodeError::kOk);
    ASSERT_TRUE(request.is_ntp);
    Bytes frame = others[i];
    EXPECT_EQ(encode_ntp_reply_in_place(frame, request, server_header()), 0u);
    EXPECT_EQ(frame, others[i]);  // untouched
  }
}

TEST(FrameEncoder, IcmpEchoReply) {
  Bytes icmp = echo_request_icmp(8, 33);
  store_be16(icmp.data() + 2, internet_checksum(icmp));
  const Bytes request_frame = cat({test::ethernet(0x0800, {0x8100'0064}), test::ipv4(1, icmp)});
  const DecodedFrame request = decode_frame(request_frame);
  ASSERT_EQ(request.error, DecodeError::kNotUdp);
  std::array<uint8_t, 256> buf{};
  const size_t len = encode_icmp_echo_reply(buf, request);
  ASSERT_EQ(len, 18u + 20 + 8 + 33);
  const DecodedFrame reply = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(reply.error, DecodeError::kNotUdp);  // IPv4 header checksum verified here
  EXPECT_EQ(reply.dst_mac, request.src_mac);
  EXPECT_EQ(reply.src_mac, request.dst_mac);
  EXPECT_EQ(reply.vlans[0].vid, 100);
  EXPECT_EQ(reply.src_ip, request.dst_ip);
  EXPECT_EQ(reply.dst_ip, request.src_ip);
  EXPECT_EQ(reply.ip_protocol, kIpProtoIcmp);
  ASSERT_EQ(reply.l4.size(), icmp.size());
  EXPECT_EQ(reply.l4[0], 0);  // echo reply
  EXPECT_EQ(internet_checksum(reply.l4), 0);
  EXPECT_TRUE(std::equal(icmp.begin() + 4, icmp.end(), reply.l4.begin() + 4));
  EXPECT_EQ(encode_icmp_echo_reply(std::span(buf).first(len - 1), request), 0u);

  // Not an echo request, or a corrupt one: no reply.
  Bytes bad = icmp;
  bad.back() ^= 1;
  EXPECT_EQ(
      encode_icmp_echo_reply(buf, decode_frame(cat({test::ethernet(0x0800), test::ipv4(1, bad)}))),
      0u);
  Bytes unreachable = echo_request_icmp(3, 4);
  store_be16(unreachable.data() + 2, internet_checksum(unreachable));
  EXPECT_EQ(encode_icmp_echo_reply(
                buf, decode_frame(cat({test::ethernet(0x0800), test::ipv4(1, unreachable)}))),
            0u);
  EXPECT_EQ(
      encode_icmp_echo_reply(
          buf, decode_frame(cat({test::ethernet(0x0800), test::ipv4_udp(test::ntp_request())}))),
      0u);
}

TEST(FrameEncoder, Icmpv6EchoReply) {
  Bytes icmp = echo_request_icmp(128, 16);
  // 0xd9bc computed independently (Python, RFC 4443 pseudo-header) for this message.
  ASSERT_EQ(icmpv6_checksum(test::v6(1), test::v6(2), icmp), 0xd9bc);
  store_be16(icmp.data() + 2, 0xd9bc);
  const Bytes request_frame = cat({test::ethernet(0x86dd), test::ipv6(58, icmp)});
  const DecodedFrame request = decode_frame(request_frame);  // spans point into request_frame
  ASSERT_EQ(request.error, DecodeError::kNotUdp);
  std::array<uint8_t, 256> buf{};
  const size_t len = encode_icmpv6_echo_reply(buf, request, 255);
  ASSERT_EQ(len, 14u + 40 + 8 + 16);
  const DecodedFrame reply = decode_frame(std::span(buf).first(len));
  ASSERT_EQ(reply.error, DecodeError::kNotUdp);
  EXPECT_EQ(reply.src_ip.v6, test::v6(2));
  EXPECT_EQ(reply.dst_ip.v6, test::v6(1));
  EXPECT_EQ(reply.ttl, 255);
  ASSERT_EQ(reply.l4.size(), icmp.size());
  EXPECT_EQ(reply.l4[0], 129);
  EXPECT_EQ(icmpv6_checksum(reply.src_ip.v6, reply.dst_ip.v6, reply.l4), 0);
  Bytes bad = icmp;
  bad[5] ^= 1;
  EXPECT_EQ(encode_icmpv6_echo_reply(
                buf, decode_frame(cat({test::ethernet(0x86dd), test::ipv6(58, bad)}))),
            0u);
}

}  // namespace
}  // namespace wiretime::wire

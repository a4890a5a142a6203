#include "dataplane/wire/frame_decoder.hpp"

#include <gtest/gtest.h>

#include "tests/unit/wire/decoded_frame_compare.hpp"
#include "tests/unit/wire/frame_builder.hpp"
#include "tests/unit/wire/hex.hpp"

namespace wiretime::wire {
namespace {

using test::Bytes;
using test::cat;
using test::from_hex;

// Frames copied from /work/shared/testdata/ntp-pcaps (see README.md there for tshark decodes).
constexpr const char* kTimeReplyFrame =  // tcpdump-ntp-time.pcap frame 2, checksums good
    "00241dd70b17bceafaa47900080045b8004c228240003e11735684c7040184c79881007bc1250038ded8240208"
    "e8000000150000095284c707c9dd47fb3a567637c0dd47fff4edb0ccbcdd47fff4ee0f4743dd47fff4ee1119"
    "cf";
constexpr const char* kDigestV6Frame =  // zeek-NTP-digest.pcap frame 1
    "b827eb4fff14b40c25058e1386dd6e000000004c11fd2003005160120121000000000000000220030051601201"
    "1000000000dcf70123007b007b004c9a81230206e800000091000006b7b6a580dbdcd2a7d77a05d46a000000"
    "00000000000000000000000000dcd2aa817b9f9bdc00000001ac017b69915ce5a7a9fb73ac8bd1603b";
constexpr const char* kGreFrame =  // zeek-gre-sample.pcap frame 9
    "00c0ca14b05200022d564afd08004500006400004000ff2f1e49ac1b0142423b6d89000008004510004c000040"
    "0040117215423b6fbe121a0469007b007b00388fbc230b06ef00000000000002d67f7f0101c290f0ecd9a78f"
    "25c290f0c76aeb2000c290f0b6fe03b3e9c290f0f5d98dac25";
constexpr const char* kLoopbackFrame =  // zeek-ntp-no-extensions-mac.pcap (DLT_NULL), IP csum 0
    "020000004500006544820000401100007f0000017f000001007b007b0051fe64542020202020ffff2020ff2020"
    "2020202020202020202020202020ff202020ffffffffffff20202020202020ffffffffffff20202020202020"
    "20202020207fffffff202020ffffff20";
constexpr const char* kOffloadedFrame =  // tcpdump-ntp.pcap frame 1: UDP checksum bad (offload)
    "001213141516001213141517080045000064e2b5400040110e7fc0a86402c0a86401e2c6007b005049b6230000"
    "20000000000000000000000000000000000000000000000000000000000000000000000000a4b39cd101fb24"
    "bf0000000857ea530f6d74350cc5286bfec1ab8ca747c73584";

Ipv4Address v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {{a, b, c, d}};
}

TEST(FrameDecoder, CapturedIpv4ServerReply) {
  const auto bytes = from_hex(kTimeReplyFrame);
  const DecodedFrame f = decode_frame(bytes);
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_EQ(f.ethertype, kEthertypeIpv4);
  EXPECT_EQ(f.vlan_count, 0);
  EXPECT_EQ(f.src_mac, (MacAddress{{0xbc, 0xea, 0xfa, 0xa4, 0x79, 0x00}}));
  EXPECT_TRUE(f.is_ipv4());
  EXPECT_EQ(f.src_ip.v4, v4(132, 199, 4, 1));
  EXPECT_EQ(f.dst_ip.v4, v4(132, 199, 152, 129));
  EXPECT_EQ(f.ttl, 62);
  EXPECT_EQ(f.tos, 0xb8);
  EXPECT_EQ(f.ip_protocol, kIpProtoUdp);
  EXPECT_EQ(f.l3_offset, 14u);
  EXPECT_EQ(f.l4_offset, 34u);
  EXPECT_EQ(f.src_port, 123);
  EXPECT_EQ(f.dst_port, 49445);
  EXPECT_EQ(f.udp_payload.size(), 48u);
  ASSERT_TRUE(f.is_ntp);
  EXPECT_EQ(f.ntp.header.stratum, 2);
  EXPECT_EQ(f.ntp.header.transmit.raw(), 0xdd47fff4ee1119cfull);
}

TEST(FrameDecoder, CapturedIpv6WithMac) {
  const auto bytes = from_hex(kDigestV6Frame);
  const DecodedFrame f = decode_frame(bytes);
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_TRUE(f.is_ipv6());
  EXPECT_EQ(f.src_ip.v6.bytes[0], 0x20);
  EXPECT_EQ(f.src_ip.v6.bytes[15], 0x02);
  EXPECT_EQ(f.dst_ip.v6.bytes[13], 0xf7);
  EXPECT_EQ(f.ttl, 253);
  EXPECT_EQ(f.tos, 0xe0);
  EXPECT_EQ(f.l4_offset, 54u);
  EXPECT_EQ(f.src_port, 123);
  ASSERT_TRUE(f.is_ntp);
  ASSERT_TRUE(f.ntp.has_mac);
  EXPECT_EQ(f.ntp.mac.key_id, 1u);
  EXPECT_EQ(f.ntp.mac.digest.size(), 16u);
}

TEST(FrameDecoder, GreIsDecapsulatedOnlyWhenAsked) {
  const auto bytes = from_hex(kGreFrame);
  DecodedFrame f = decode_frame(bytes);
  EXPECT_EQ(f.error, DecodeError::kNotUdp);
  EXPECT_EQ(f.ip_protocol, kIpProtoGre);
  EXPECT_EQ(f.src_ip.v4, v4(172, 27, 1, 66));

  FrameDecodeOptions o;
  o.decapsulate_gre = true;
  f = decode_frame(bytes, o);
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_TRUE(f.tunneled);
  EXPECT_EQ(f.outer_src_ip.v4, v4(172, 27, 1, 66));
  EXPECT_EQ(f.outer_dst_ip.v4, v4(66, 59, 109, 137));
  EXPECT_EQ(f.src_ip.v4, v4(66, 59, 111, 190));
  EXPECT_EQ(f.dst_ip.v4, v4(18, 26, 4, 105));
  EXPECT_EQ(f.l3_offset, 14u + 20 + 4);
  ASSERT_TRUE(f.is_ntp);
  EXPECT_EQ(f.ntp.header.stratum, 11);
  EXPECT_EQ(f.ntp.header.reference_id, 0x7f7f0101u);
}

TEST(FrameDecoder, LoopbackLinkAndChecksumOptions) {
  const auto bytes = from_hex(kLoopbackFrame);
  FrameDecodeOptions o;
  o.link_type = LinkType::kBsdLoopback;
  EXPECT_EQ(decode_frame(bytes, o).error, DecodeError::kBadIpv4Checksum);
  o.verify_ipv4_header_checksum = false;
  EXPECT_EQ(decode_frame(bytes, o).error, DecodeError::kBadUdpChecksum);
  o.verify_l4_checksums = false;
  const DecodedFrame f = decode_frame(bytes, o);
  EXPECT_EQ(f.error, DecodeError::kBadMacLength);  // NTPv2 with a 25-byte trailer
  EXPECT_TRUE(f.is_ntp);
  EXPECT_EQ(f.ntp.header.stratum, 32);
  EXPECT_EQ(f.src_ip.v4, v4(127, 0, 0, 1));
  EXPECT_EQ(f.udp_payload.size(), 73u);
}

TEST(FrameDecoder, OffloadedChecksumRejectedUnlessDisabled) {
  const auto bytes = from_hex(kOffloadedFrame);
  DecodedFrame f = decode_frame(bytes);
  EXPECT_EQ(f.error, DecodeError::kBadUdpChecksum);
  EXPECT_EQ(f.dst_port, 123);  // ports are known before the checksum verdict
  EXPECT_FALSE(f.is_ntp);
  FrameDecodeOptions o;
  o.verify_l4_checksums = false;
  f = decode_frame(bytes, o);
  ASSERT_EQ(f.error, DecodeError::kOk);
  EXPECT_EQ(f.ntp.mac.digest.size(), 20u);
}

TEST(FrameDecoder, BsdLoopbackFamilies) {
  const Bytes ip4 = test::ipv4_udp(test::ntp_request());
  const Bytes ip6 = test::ipv6_udp(test::ntp_request());
  FrameDecodeOptions o;
  o.link_type = LinkType::kBsdLoopback;
  EXPECT_EQ(decode_frame(cat({Bytes{0, 0, 0, 2}, ip4}), o).error, DecodeError::kOk);
  for (uint8_t af : std::initializer_list<uint8_t>{10, 24, 28, 30}) {
    EXPECT_EQ(decode_frame(cat({Bytes{af, 0, 0, 0}, ip6}), o).error, DecodeError::kOk) << int{af};
    EXPECT_EQ(decode_frame(cat({Bytes{0, 0, 0, af}, ip6}), o).error, DecodeError::kOk) << int{af};
  }
  EXPECT_EQ(decode_frame(cat({Bytes{7, 0, 0, 0}, ip4}), o).error, DecodeError::kUnknownLinkFamily);
  EXPECT_EQ(decode_frame(Bytes{2, 0, 0}, o).error, DecodeError::kLinkHeaderTooShort);
  // Family says IPv4 but the packet is IPv6.
  EXPECT_EQ(decode_frame(cat({Bytes{2, 0, 0, 0}, ip6}), o).error, DecodeError::kBadIpVersion);
}

TEST(FrameDecoder, RawIpLink) {
  FrameDecodeOptions o;
  o.link_type = LinkType::kRawIp;
  EXPECT_EQ(decode_frame(test::ipv4_udp(test::ntp_request()), o).error, DecodeError::kOk);
  EXPECT_EQ(decode_frame(test::ipv6_udp(test::ntp_request()), o).error, DecodeError::kOk);
  EXPECT_EQ(decode_frame(Bytes{0x50, 0, 0}, o).error, DecodeError::kBadIpVersion);
  EXPECT_EQ(decode_frame(Bytes{}, o).error, DecodeError::kLinkHeaderTooShort);
}

TEST(FrameDecoder, VlanTags) {
  const Bytes ip = test::ipv4_udp(test::ntp_request());
  DecodedFrame f = decode_frame(cat({test::ethernet(0x0800, {0x8100'a064}), ip}));
  ASSERT_EQ(f.error, DecodeError::kOk);
  ASSERT_EQ(f.vlan_count, 1);
  EXPECT_EQ(f.vlans[0].tpid, 0x8100);
  EXPECT_EQ(f.vlans[0].pcp, 5);
  EXPECT_FALSE(f.vlans[0].dei);
  EXPECT_EQ(f.vlans[0].vid, 100);
  EXPECT_EQ(f.vlans[0].tci(), 0xa064);
  EXPECT_EQ(f.l3_offset, 18u);

  f = decode_frame(cat({test::ethernet(0x0800, {0x88a8'1fff, 0x8100'0007}), ip}));
  ASSERT_EQ(f.error, DecodeError::kOk);
  ASSERT_EQ(f.vlan_tags().size(), 2u);
  EXPECT_EQ(f.vlans[0].tpid, 0x88a8);
  EXPECT_TRUE(f.vlans[0].dei);
  EXPECT_EQ(f.vlans[0].vid, 0xfff);
  EXPECT_EQ(f.vlans[1].vid, 7);
  EXPECT_EQ(f.l3_offset, 22u);

  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0800, {0x8100'0001, 0x8100'0002, 0x8100'0003}), ip}))
                .error,
            DecodeError::kTooManyVlanTags);
  const Bytes tagged = test::ethernet(0x0800, {0x8100'0001});
  EXPECT_EQ(decode_frame(std::span(tagged).first(16)).error, DecodeError::kEthernetTooShort);
}

TEST(FrameDecoder, EthernetRejections) {
  EXPECT_EQ(decode_frame(Bytes(13, 0)).error, DecodeError::kEthernetTooShort);
  DecodedFrame f = decode_frame(cat({test::ethernet(0x88f7), Bytes(44, 0)}));  // PTP
  EXPECT_EQ(f.error, DecodeError::kUnknownEthertype);
  EXPECT_EQ(f.ethertype, 0x88f7);
  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0040), Bytes(64, 0)})).error,
            DecodeError::kUnknownEthertype);  // 802.3 length field
}

Bytes arp_body(uint16_t htype, uint16_t ptype, uint8_t hlen, uint8_t plen, uint16_t op) {
  return cat({test::be16(htype), test::be16(ptype), Bytes{hlen, plen}, test::be16(op),
              Bytes{0x02, 0, 0, 0, 0, 9}, Bytes{10, 0, 0, 9}, Bytes(6, 0), Bytes{10, 0, 0, 1}});
}

TEST(FrameDecoder, Arp) {
  DecodedFrame f = decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 1)}));
  ASSERT_EQ(f.error, DecodeError::kOk);
  ASSERT_TRUE(f.is_arp);
  EXPECT_EQ(f.arp.operation, ArpOperation::kRequest);
  EXPECT_EQ(f.arp.sender_mac, (MacAddress{{0x02, 0, 0, 0, 0, 9}}));
  EXPECT_EQ(f.arp.sender_ip, v4(10, 0, 0, 9));
  EXPECT_EQ(f.arp.target_ip, v4(10, 0, 0, 1));
  f = decode_frame(cat({test::ethernet(0x0806, {0x8100'0005}), arp_body(1, 0x0800, 6, 4, 2)}));
  ASSERT_EQ(f.error, DecodeError::kOk);
  EXPECT_EQ(f.arp.operation, ArpOperation::kReply);

  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0806), arp_body(6, 0x0800, 6, 4, 1)})).error,
            DecodeError::kUnsupportedArp);
  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x86dd, 6, 4, 1)})).error,
            DecodeError::kUnsupportedArp);
  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x0800, 8, 4, 1)})).error,
            DecodeError::kUnsupportedArp);
  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 16, 1)})).error,
            DecodeError::kUnsupportedArp);
  EXPECT_EQ(decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 3)})).error,
            DecodeError::kBadArpOperation);
  Bytes short_arp = cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 1)});
  short_arp.pop_back();
  EXPECT_EQ(decode_frame(short_arp).error, DecodeError::kArpTooShort);
}

TEST(FrameDecoder, Ipv4OptionsAndPadding) {
  const Bytes options = {0x94, 0x04, 0x00, 0x00};  // router alert
  Bytes frame =
      cat({test::ethernet(0x0800), test::ipv4_udp(test::ntp_request(), 40000, 123, options)});
  DecodedFrame f = decode_frame(frame);
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_EQ(f.l4_offset, 14u + 24);
  EXPECT_EQ(f.ntp.header.transmit.raw(), 0x42u);

  // Ethernet trailer padding beyond the IP total length is ignored.
  frame = cat({test::ethernet(0x0800), test::ipv4(17, test::udp(1, 2, Bytes{})), Bytes(18, 0xee)});
  f = decode_frame(frame);
  EXPECT_EQ(f.error, DecodeError::kNotNtp);
  EXPECT_EQ(f.udp_payload.size(), 0u);
  EXPECT_EQ(f.l4.size(), 8u);
}

TEST(FrameDecoder, Ipv4Rejections) {
  const Bytes eth = test::ethernet(0x0800);
  const Bytes good = test::ipv4_udp(test::ntp_request());
  EXPECT_EQ(decode_frame(cat({eth, Bytes(good.begin(), good.begin() + 19)})).error,
            DecodeError::kIpv4TooShort);

  auto mutate = [&](auto change) {
    Bytes ip = good;
    change(ip);
    return decode_frame(cat({eth, ip})).error;
  };
  auto refresh = [](Bytes& ip) {
    const size_t ihl = size_t{ip[0] & 0x0fu} * 4;
    store_be16(ip.data() + 10, 0);
    store_be16(ip.data() + 10, internet_checksum(std::span(ip).first(std::min(ihl, ip.size()))));
  };
  EXPECT_EQ(mutate([&](Bytes& ip) { ip[0] = 0x65; }), DecodeError::kBadIpVersion);
  EXPECT_EQ(mutate([&](Bytes& ip) { ip[0] = 0x44; }), DecodeError::kBadIhl);
  EXPECT_EQ(mutate([&](Bytes& ip) {
              ip.resize(40);
              ip[0] = 0x4f;  // 60-byte header in a 40-byte packet
            }),
            DecodeError::kBadIhl);
  EXPECT_EQ(mutate([&](Bytes& ip) {
              store_be16(ip.data() + 2, static_cast<uint16_t>(ip.size() + 1));
              refresh(ip);
            }),
            DecodeError::kBadIpTotalLength);
  EXPECT_EQ(mutate([&](Bytes& ip) {
              store_be16(ip.data() + 2, 19);
              refresh(ip);
            }),
            DecodeError::kBadIpTotalLength);
  EXPECT_EQ(mutate([&](Bytes& ip) { ip[8] ^= 1; }), DecodeError::kBadIpv4Checksum);
  EXPECT_EQ(mutate([&](Bytes& ip) {
              store_be16(ip.data() + 6, 0x2000);  // more fragments
              refresh(ip);
            }),
            DecodeError::kFragment);
  EXPECT_EQ(mutate([&](Bytes& ip) {
              store_be16(ip.data() + 6, 0x0001);  // offset 8
              refresh(ip);
            }),
            DecodeError::kFragment);
  // DF alone is fine.
  EXPECT_EQ(mutate([&](Bytes& ip) {
              store_be16(ip.data() + 6, 0x4000);
              refresh(ip);
            }),
            DecodeError::kOk);
}

TEST(FrameDecoder, NotUdpKeepsIpFields) {
  const Bytes icmp = {8, 0, 0xf7, 0xff, 0, 0, 0, 0};
  DecodedFrame f = decode_frame(cat({test::ethernet(0x0800), test::ipv4(1, icmp)}));
  EXPECT_EQ(f.error, DecodeError::kNotUdp);
  EXPECT_EQ(f.ip_protocol, kIpProtoIcmp);
  EXPECT_EQ(f.src_ip.v4, test::kSrc4);
  EXPECT_EQ(f.l4.size(), 8u);
  EXPECT_EQ(f.l4_offset, 34u);
  f = decode_frame(cat({test::ethernet(0x86dd), test::ipv6(58, icmp)}));
  EXPECT_EQ(f.error, DecodeError::kNotUdp);
  EXPECT_EQ(f.ip_protocol, kIpProtoIcmpv6);
}

TEST(FrameDecoder, UdpRejectionsAndPorts) {
  const Bytes eth = test::ethernet(0x0800);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4(17, Bytes(7, 0))})).error, DecodeError::kUdpTooShort);
  Bytes seg = test::udp(40000, 123, test::ntp_request());
  store_be16(seg.data() + 4, 7);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4(17, seg)})).error, DecodeError::kBadUdpLength);
  store_be16(seg.data() + 4, static_cast<uint16_t>(seg.size() + 1));
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4(17, seg)})).error, DecodeError::kBadUdpLength);
  // A UDP length shorter than the IP payload bounds the payload.
  store_be16(seg.data() + 4, 8 + 48);
  test::fill_udp_checksum_v4(seg, test::kSrc4, test::kDst4);
  seg.push_back(0);
  seg.push_back(0);
  DecodedFrame f = decode_frame(cat({eth, test::ipv4(17, seg)}));
  EXPECT_EQ(f.error, DecodeError::kOk);
  EXPECT_EQ(f.udp_payload.size(), 48u);

  // Zero checksum is "not computed" over IPv4.
  Bytes zero = test::udp(40000, 123, test::ntp_request());
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4(17, zero)})).error, DecodeError::kOk);

  // Port selection.
  f = decode_frame(cat({eth, test::ipv4_udp(test::ntp_request(), 5000, 6000)}));
  EXPECT_EQ(f.error, DecodeError::kNotNtp);
  EXPECT_EQ(f.src_port, 5000);
  EXPECT_EQ(f.dst_port, 6000);
  EXPECT_FALSE(f.is_ntp);
  FrameDecodeOptions o;
  o.extra_ntp_port = 6000;
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4_udp(test::ntp_request(), 5000, 6000)}), o).error,
            DecodeError::kOk);
  o = {};
  o.decode_ntp_on_any_port = true;
  f = decode_frame(cat({eth, test::ipv4_udp(test::ntp_request(), 5000, 6000)}), o);
  EXPECT_EQ(f.error, DecodeError::kOk);
  EXPECT_TRUE(f.is_ntp);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4_udp(test::ntp_request(), 123, 6000)})).error,
            DecodeError::kOk);

  // NTP errors surface as the frame error.
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4_udp(Bytes(20, 0x23))})).error,
            DecodeError::kNtpTooShort);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv4_udp(Bytes(48, 0x3b))})).error,
            DecodeError::kBadNtpVersion);
}

TEST(FrameDecoder, Ipv6ExtensionHeaders) {
  const Bytes eth = test::ethernet(0x86dd);
  Bytes seg = test::udp(40000, 123, test::ntp_request());
  test::fill_udp_checksum_v6(seg, test::v6(1), test::v6(2));
  // hop-by-hop (8 bytes) -> destination options (16 bytes) -> routing (8 bytes) -> UDP
  const Bytes hbh = {60, 0, 1, 4, 0, 0, 0, 0};
  Bytes dst = {43, 1, 1, 12};
  dst.resize(16, 0);
  const Bytes rt = {17, 0, 0, 0, 0, 0, 0, 0};
  DecodedFrame f = decode_frame(cat({eth, test::ipv6(0, cat({hbh, dst, rt, seg}))}));
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_EQ(f.l4_offset, 14u + 40 + 32);
  EXPECT_EQ(f.ntp.header.transmit.raw(), 0x42u);

  const Bytes frag = {17, 0, 0, 1, 0, 0, 0, 7};
  f = decode_frame(cat({eth, test::ipv6(44, cat({frag, seg}))}));
  EXPECT_EQ(f.error, DecodeError::kFragment);
  EXPECT_EQ(
      decode_frame(cat({eth, test::ipv6(0, cat({Bytes{44, 0, 0, 0, 0, 0, 0, 0}, frag, seg}))}))
          .error,
      DecodeError::kFragment);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv6(0, Bytes{17, 0, 0, 0})})).error,
            DecodeError::kBadIpv6ExtensionHeader);
  EXPECT_EQ(decode_frame(cat({eth, test::ipv6(60, Bytes{17, 1, 0, 0, 0, 0, 0, 0})})).error,
            DecodeError::kBadIpv6ExtensionHeader);
}

TEST(FrameDecoder, Ipv6Rejections) {
  const Bytes eth = test::ethernet(0x86dd);
  const Bytes good = test::ipv6_udp(test::ntp_request());
  EXPECT_EQ(decode_frame(cat({eth, good})).error, DecodeError::kOk);
  EXPECT_EQ(decode_frame(cat({eth, Bytes(good.begin(), good.begin() + 39)})).error,
            DecodeError::kIpv6TooShort);
  Bytes bad = good;
  bad[0] = 0x40;
  EXPECT_EQ(decode_frame(cat({eth, bad})).error, DecodeError::kBadIpVersion);
  bad = good;
  store_be16(bad.data() + 4, static_cast<uint16_t>(good.size() - 40 + 1));
  EXPECT_EQ(decode_frame(cat({eth, bad})).error, DecodeError::kBadIpTotalLength);
  bad = good;
  bad.back() ^= 0xff;
  EXPECT_EQ(decode_frame(cat({eth, bad})).error, DecodeError::kBadUdpChecksum);
  bad = good;
  store_be16(bad.data() + 40 + 6, 0);
  EXPECT_EQ(decode_frame(cat({eth, bad})).error, DecodeError::kIpv6ZeroUdpChecksum);
  FrameDecodeOptions o;
  o.verify_l4_checksums = false;
  EXPECT_EQ(decode_frame(cat({eth, bad}), o).error, DecodeError::kOk);
}

Bytes gre(uint16_t flags, uint16_t protocol, const Bytes& extra, const Bytes& inner) {
  return cat({test::be16(flags), test::be16(protocol), extra, inner});
}

TEST(FrameDecoder, GreVariantsAndRejections) {
  FrameDecodeOptions o;
  o.decapsulate_gre = true;
  const Bytes eth = test::ethernet(0x0800);
  const Bytes inner4 = test::ipv4_udp(test::ntp_request());
  const Bytes inner6 = test::ipv6_udp(test::ntp_request());
  auto outer = [&](const Bytes& g) { return cat({eth, test::ipv4(47, g)}); };

  DecodedFrame f = decode_frame(outer(gre(0xb000, 0x0800, Bytes(12, 0), inner4)), o);  // C, K, S
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_EQ(f.l3_offset, 14u + 20 + 16);
  f = decode_frame(outer(gre(0, 0x86dd, {}, inner6)), o);
  ASSERT_EQ(f.error, DecodeError::kOk) << to_string(f.error);
  EXPECT_TRUE(f.is_ipv6());
  EXPECT_TRUE(f.outer_src_ip.version == IpVersion::kV4);

  EXPECT_EQ(decode_frame(outer(gre(0x0001, 0x0800, {}, inner4)), o).error,
            DecodeError::kUnsupportedGre);  // version 1 (PPTP)
  EXPECT_EQ(decode_frame(outer(gre(0x4000, 0x0800, {}, inner4)), o).error,
            DecodeError::kUnsupportedGre);  // routing present
  EXPECT_EQ(decode_frame(outer(gre(0, 0x6558, {}, inner4)), o).error,
            DecodeError::kUnsupportedGre);  // transparent Ethernet bridging
  EXPECT_EQ(decode_frame(outer(Bytes{0, 0, 8}), o).error, DecodeError::kGreTooShort);
  EXPECT_EQ(decode_frame(outer(Bytes{0x80, 0, 8, 0, 0}), o).error, DecodeError::kGreTooShort);
  EXPECT_EQ(
      decode_frame(outer(gre(0, 0x0800, {}, test::ipv4(47, gre(0, 0x0800, {}, inner4)))), o).error,
      DecodeError::kNestedTunnel);
  EXPECT_EQ(
      decode_frame(cat({test::ethernet(0x86dd), test::ipv6(47, gre(0, 0x0800, {}, inner4))}), o)
          .error,
      DecodeError::kUnsupportedGre);
}

// Every prefix of every valid frame must be rejected cleanly (ASan checks the reads).
TEST(FrameDecoder, EveryTruncationIsRejected) {
  FrameDecodeOptions o;
  o.decapsulate_gre = true;
  const std::vector<Bytes> frames = {
      from_hex(kTimeReplyFrame),
      from_hex(kDigestV6Frame),
      from_hex(kGreFrame),
      cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 1)}),
      cat({test::ethernet(0x0800, {0x88a8'0001, 0x8100'0002}),
           test::ipv4_udp(test::ntp_request())}),
  };
  for (const Bytes& frame : frames) {
    ASSERT_EQ(decode_frame(frame, o).error, DecodeError::kOk);
    for (size_t n = 0; n < frame.size(); ++n) {
      const Bytes prefix(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
      EXPECT_NE(decode_frame(prefix, o).error, DecodeError::kOk) << "prefix " << n;
    }
  }
}

// --- Reuse of one record across frames (the dataplane's way): the validity contract of
// DecodedFrame. A reused record must agree with a fresh decode in every field valid for the
// new frame, whatever the previous frame left in the layer records that are not reset.

struct ReuseCase {
  const char* name;
  Bytes frame;
  FrameDecodeOptions options;
  DecodeError expected;
};

FrameDecodeOptions with_link(LinkType link) {
  FrameDecodeOptions o;
  o.link_type = link;
  return o;
}

FrameDecodeOptions with_gre() {
  FrameDecodeOptions o;
  o.decapsulate_gre = true;
  return o;
}

Bytes extension_field(uint16_t type, size_t value_size) {
  Bytes value(value_size);
  for (size_t i = 0; i < value_size; ++i) value[i] = static_cast<uint8_t>(type + i);
  Bytes field(4 + value_size + 16, 0);
  field.resize(encode_ntp_extension_field(field, type, value));
  return field;
}

// The NTP record at its fullest: two extension fields (16 and 20 bytes) and a 16-byte digest.
Bytes ntp_with_extensions_and_mac() {
  Bytes mac = {0, 0, 0, 7};
  mac.resize(20, 0xab);
  return cat({test::ntp_request(), extension_field(0x0104, 12), extension_field(0x0204, 16), mac});
}

std::vector<ReuseCase> reuse_cases() {
  const Bytes eth4 = test::ethernet(0x0800);
  const Bytes eth6 = test::ethernet(0x86dd);
  FrameDecodeOptions loopback = with_link(LinkType::kBsdLoopback);
  loopback.verify_ipv4_header_checksum = false;
  loopback.verify_l4_checksums = false;
  Bytes control(12, 0);
  control[0] = 0x16;  // NTPv2 mode 6
  const Bytes frag = {17, 0, 0, 1, 0, 0, 0, 7};
  Bytes ns = {135, 0, 0, 0};
  ns.resize(24, 0x11);
  const Bytes udp_seg = test::udp(40000, 123, test::ntp_request());
  return {
      {"captured IPv4 reply", from_hex(kTimeReplyFrame), {}, DecodeError::kOk},
      {"captured IPv6 with MAC", from_hex(kDigestV6Frame), {}, DecodeError::kOk},
      {"captured GRE", from_hex(kGreFrame), with_gre(), DecodeError::kOk},
      {"GRE with inner IPv6",
       cat({eth4, test::ipv4(47, gre(0, 0x86dd, {}, test::ipv6_udp(test::ntp_request())))}),
       with_gre(), DecodeError::kOk},
      {"BSD loopback NTPv2", from_hex(kLoopbackFrame), loopback, DecodeError::kBadMacLength},
      {"raw IPv6", test::ipv6_udp(test::ntp_request()), with_link(LinkType::kRawIp),
       DecodeError::kOk},
      {"ARP request",
       cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 1)}),
       {},
       DecodeError::kOk},
      {"ARP reply, VLAN",
       cat({test::ethernet(0x0806, {0x8100'0005}), arp_body(1, 0x0800, 6, 4, 2)}),
       {},
       DecodeError::kOk},
      {"QinQ IPv4 NTP",
       cat({test::ethernet(0x0800, {0x88a8'0001, 0x8100'0002}),
            test::ipv4_udp(test::ntp_request())}),
       {},
       DecodeError::kOk},
      {"VLAN IPv6 NTP, extensions and MAC",
       cat({test::ethernet(0x86dd, {0x8100'a064}), test::ipv6_udp(ntp_with_extensions_and_mac())}),
       {},
       DecodeError::kOk},
      {"IPv4 NTP, one extension",
       cat({eth4, test::ipv4_udp(cat({test::ntp_request(), extension_field(0x0304, 8)}))}),
       {},
       DecodeError::kOk},
      {"NTP control", cat({eth4, test::ipv4_udp(control)}), {}, DecodeError::kOk},
      {"NTP trailer error",
       cat({eth4, test::ipv4_udp(cat({test::ntp_request(), Bytes(8, 0)}))}),
       {},
       DecodeError::kBadMacLength},
      {"UDP not NTP",
       cat({eth4, test::ipv4_udp(test::ntp_request(), 5000, 6000)}),
       {},
       DecodeError::kNotNtp},
      {"ICMP echo",
       cat({eth4, test::ipv4(1, Bytes{8, 0, 0, 0, 0, 1, 0, 1})}),
       {},
       DecodeError::kNotUdp},
      {"ICMPv6 NS", cat({eth6, test::ipv6(58, ns)}), {}, DecodeError::kNotUdp},
      {"IPv6 fragment",
       cat({eth6, test::ipv6(44, cat({frag, udp_seg}))}),
       {},
       DecodeError::kFragment},
      {"three VLAN tags",
       cat({test::ethernet(0x0800, {0x8100'0001, 0x8100'0002, 0x8100'0003}),
            test::ipv4_udp(test::ntp_request())}),
       {},
       DecodeError::kTooManyVlanTags},
      {"unknown ethertype",
       cat({test::ethernet(0x88f7), Bytes(44, 0)}),
       {},
       DecodeError::kUnknownEthertype},
  };
}

// Each case, every prefix of it and every single-byte corruption of it: reaches every layer's
// early exits as well as its successes.
struct Variant {
  const ReuseCase* from;
  std::string what;
  Bytes frame;
};

std::vector<Variant> variants_of(const std::vector<ReuseCase>& cases) {
  std::vector<Variant> out;
  for (const ReuseCase& c : cases) {
    out.push_back({&c, "whole", c.frame});
    for (size_t n = 0; n < c.frame.size(); ++n) {
      out.push_back({&c, "prefix " + std::to_string(n),
                     Bytes(c.frame.begin(), c.frame.begin() + static_cast<std::ptrdiff_t>(n))});
      Bytes corrupt = c.frame;
      corrupt[n] ^= 0xff;
      out.push_back({&c, "byte " + std::to_string(n) + " inverted", corrupt});
    }
  }
  return out;
}

TEST(FrameDecoderReuse, CasesDecodeAsIntended) {
  for (const ReuseCase& c : reuse_cases()) {
    EXPECT_EQ(decode_frame(c.frame, c.options).error, c.expected) << c.name;
  }
}

TEST(FrameDecoderReuse, RecordReusedAfterAnyFrameDecodesLikeAFreshOne) {
  const std::vector<ReuseCase> cases = reuse_cases();
  const std::vector<Variant> variants = variants_of(cases);
  int failures = 0;
  for (const ReuseCase& previous : cases) {
    for (const Variant& v : variants) {
      DecodedFrame reused;
      decode_frame(previous.frame, previous.options, reused);
      decode_frame(v.frame, v.from->options, reused);
      const DecodedFrame fresh = decode_frame(v.frame, v.from->options);
      const std::string diff = test::first_valid_difference(reused, fresh);
      if (!diff.empty() && ++failures <= 10) {
        ADD_FAILURE() << "after '" << previous.name << "', '" << v.from->name << "' " << v.what
                      << ": " << diff << " differs from a fresh decode";
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

// Every field, common or layer record, set to values no decode produces.
void poison(DecodedFrame& f, std::span<const uint8_t> junk) {
  const MacAddress mac{{0xee, 0xee, 0xee, 0xee, 0xee, 0xee}};
  const IpAddress ip = IpAddress::from(test::v6(0xee));
  f.error = DecodeError::kNestedTunnel;
  f.dst_mac = mac;
  f.src_mac = mac;
  f.vlan_count = kMaxVlanTags;
  f.vlans.fill(VlanTag{0xeeee, 7, true, 0xeee});
  f.ethertype = 0xeeee;
  f.is_arp = true;
  f.arp = {ArpOperation::kReply, mac, {{0xee, 0xee, 0xee, 0xee}}, mac, {{0xee, 0xee, 0xee, 0xee}}};
  f.src_ip = ip;
  f.dst_ip = ip;
  f.ip_protocol = 0xee;
  f.ttl = 0xee;
  f.tos = 0xee;
  f.flow_label = 0xeeeee;
  f.tunneled = true;
  f.outer_src_ip = ip;
  f.outer_dst_ip = ip;
  f.l3_offset = 0xeeee;
  f.l4_offset = 0xeeee;
  f.l4 = junk;
  f.src_port = 0xeeee;
  f.dst_port = 0xeeee;
  f.udp_payload = junk;
  f.is_ntp = true;
  NtpHeader& h = f.ntp.header;
  h.leap = LeapIndicator::kUnsynchronized;
  h.version = 0xee;
  h.mode = NtpMode::kPrivate;
  h.stratum = 0xee;
  h.poll = -18;
  h.precision = -18;
  h.root_delay = NtpShort::from_raw(0xeeeeeeee);
  h.root_dispersion = NtpShort::from_raw(0xeeeeeeee);
  h.reference_id = 0xeeeeeeee;
  h.reference = NtpTimestamp::from_raw(0xeeeeeeeeeeeeeeee);
  h.origin = h.reference;
  h.receive = h.reference;
  h.transmit = h.reference;
  f.ntp.is_time_packet = true;
  f.ntp.extension_count = kMaxExtensionFields;
  f.ntp.extensions.fill(NtpExtensionField{0xeeee, 0xeeee, junk});
  f.ntp.has_mac = true;
  f.ntp.mac = {0xeeeeeeee, junk};
}

TEST(FrameDecoderReuse, PoisonedRecordDecodesLikeAFreshOne) {
  const Bytes junk(64, 0xee);
  const std::vector<ReuseCase> cases = reuse_cases();
  int failures = 0;
  for (const Variant& v : variants_of(cases)) {
    DecodedFrame reused;
    poison(reused, junk);
    decode_frame(v.frame, v.from->options, reused);
    const DecodedFrame fresh = decode_frame(v.frame, v.from->options);
    const std::string diff = test::first_valid_difference(reused, fresh);
    if (!diff.empty() && ++failures <= 10) {
      ADD_FAILURE() << "'" << v.from->name << "' " << v.what << ": " << diff
                    << " differs from a fresh decode";
    }
  }
  EXPECT_EQ(failures, 0);
}

// The comparison the two tests above rely on must see a difference in each part it covers.
TEST(FrameDecoderReuse, ComparisonSeesEveryValidPart) {
  const Bytes junk(64, 0xee);
  const std::vector<ReuseCase> cases = reuse_cases();
  for (const ReuseCase& c : cases) {
    const DecodedFrame fresh = decode_frame(c.frame, c.options);
    DecodedFrame poisoned;
    poison(poisoned, junk);
    EXPECT_NE(test::first_valid_difference(poisoned, fresh), "") << c.name;
  }
  const DecodedFrame arp = decode_frame(cases[6].frame, cases[6].options);
  ASSERT_TRUE(arp.is_arp);
  DecodedFrame other = arp;
  other.arp.target_ip.bytes[3] ^= 1;
  EXPECT_EQ(test::first_valid_difference(other, arp), "arp.target_ip");
  other = arp;
  other.ntp.header.stratum = 9;  // not valid without is_ntp: ignored
  EXPECT_EQ(test::first_valid_difference(other, arp), "");

  const DecodedFrame ntp = decode_frame(cases[9].frame, cases[9].options);
  ASSERT_TRUE(ntp.is_ntp);
  ASSERT_EQ(ntp.ntp.extension_count, 2);
  ASSERT_TRUE(ntp.ntp.has_mac);
  EXPECT_EQ(ntp.ntp.mac.digest.size(), 16u);
  EXPECT_EQ(ntp.vlan_count, 1);
  other = ntp;
  other.ntp.extensions[1].type ^= 1;
  EXPECT_EQ(test::first_valid_difference(other, ntp), "ntp.extensions[1]");
  other = ntp;
  other.ntp.extensions[2].type ^= 1;    // beyond extension_count: ignored
  other.vlans[1].vid ^= 1;              // beyond vlan_count: ignored
  other.outer_src_ip.v4.bytes[0] ^= 1;  // not tunneled: ignored
  EXPECT_EQ(test::first_valid_difference(other, ntp), "");
  other.vlans[0].vid ^= 1;
  EXPECT_EQ(test::first_valid_difference(other, ntp), "vlans[0]");

  const DecodedFrame gre_frame = decode_frame(cases[2].frame, cases[2].options);
  ASSERT_TRUE(gre_frame.tunneled);
  other = gre_frame;
  other.outer_dst_ip.v4.bytes[0] ^= 1;
  EXPECT_EQ(test::first_valid_difference(other, gre_frame), "outer_dst_ip");
}

// The returning decode_frame keeps the simple contract tools and tests rely on: whatever a
// frame does not reach holds its default.
TEST(FrameDecoderReuse, FreshRecordHoldsDefaultsOutsideItsValidFields) {
  const DecodedFrame defaults;
  const DecodedFrame arp =
      decode_frame(cat({test::ethernet(0x0806), arp_body(1, 0x0800, 6, 4, 1)}));
  ASSERT_TRUE(arp.is_arp);
  EXPECT_FALSE(arp.is_ntp);
  EXPECT_EQ(arp.ntp.header.transmit.raw(), 0u);
  EXPECT_EQ(arp.ntp.extension_count, 0);
  EXPECT_FALSE(arp.ntp.has_mac);
  EXPECT_FALSE(arp.tunneled);
  EXPECT_EQ(arp.outer_src_ip, defaults.outer_src_ip);
  EXPECT_EQ(arp.vlans[0].tci(), 0);

  const DecodedFrame ntp =
      decode_frame(cat({test::ethernet(0x0800), test::ipv4_udp(test::ntp_request())}));
  ASSERT_TRUE(ntp.is_ntp);
  EXPECT_FALSE(ntp.is_arp);
  EXPECT_EQ(ntp.arp.sender_ip, defaults.arp.sender_ip);
  EXPECT_EQ(ntp.arp.sender_mac, defaults.arp.sender_mac);
}

}  // namespace
}  // namespace wiretime::wire

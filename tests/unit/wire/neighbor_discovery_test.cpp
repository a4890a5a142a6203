#include "dataplane/wire/neighbor_discovery.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"

namespace wiretime::wire {
namespace {

const MacAddress kOurMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};
const MacAddress kPeerMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
// 2001:db8::2 and 2001:db8::1
const Ipv6Address kOurIp{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
const Ipv6Address kPeerIp{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

DecodedFrame decode(std::span<const uint8_t> frame) {
  return decode_frame(frame);
}

TEST(NeighborDiscovery, SolicitedNodeMulticastAndMac) {
  const Ipv6Address a{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78}};
  const Ipv6Address group = solicited_node_multicast(a);
  const Ipv6Address want{{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0x34, 0x56, 0x78}};
  EXPECT_EQ(group, want);
  EXPECT_EQ(ipv6_multicast_mac(group), (MacAddress{{0x33, 0x33, 0xff, 0x34, 0x56, 0x78}}));
  EXPECT_TRUE(is_multicast(group));
  EXPECT_FALSE(is_multicast(a));
}

TEST(NeighborDiscovery, LinkLocalFromMacFlipsUniversalLocalBit) {
  const Ipv6Address ll = link_local_from_mac({{0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc}});
  const Ipv6Address want{
      {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1b, 0x21, 0xff, 0xfe, 0xaa, 0xbb, 0xcc}};
  EXPECT_EQ(ll, want);
  EXPECT_TRUE(is_link_local(ll));
}

TEST(NeighborDiscovery, SolicitationLayoutAndRoundTrip) {
  std::array<uint8_t, 256> buf{};
  EthernetSpec eth;
  eth.src = kOurMac;
  eth.dst = ipv6_multicast_mac(solicited_node_multicast(kPeerIp));
  const size_t len =
      encode_neighbor_solicitation(buf, eth, kOurIp, solicited_node_multicast(kPeerIp), kPeerIp);
  ASSERT_EQ(len, 14u + 40 + 32);
  const uint8_t* ip = buf.data() + 14;
  EXPECT_EQ(load_be16(buf.data() + 12), kEthertypeIpv6);
  EXPECT_EQ(ip[6], kIpProtoIcmpv6);
  EXPECT_EQ(ip[7], 255);
  const uint8_t* icmp = ip + 40;
  EXPECT_EQ(icmp[0], 135);
  EXPECT_EQ(icmp[1], 0);
  EXPECT_EQ(load_be32(icmp + 4), 0u);  // reserved
  EXPECT_EQ(icmp[24], 1);              // source link-layer address option
  EXPECT_EQ(icmp[25], 1);
  EXPECT_TRUE(std::equal(kOurMac.bytes.begin(), kOurMac.bytes.end(), icmp + 26));
  EXPECT_EQ(icmpv6_checksum(kOurIp, solicited_node_multicast(kPeerIp), {icmp, 32}), 0);

  const DecodedFrame frame = decode({buf.data(), len});
  ASSERT_EQ(frame.error, DecodeError::kNotUdp);
  NdMessage m;
  ASSERT_EQ(parse_neighbor_discovery(frame, m), NdError::kOk);
  EXPECT_EQ(m.type, NdType::kSolicitation);
  EXPECT_EQ(m.target, kPeerIp);
  EXPECT_TRUE(m.has_link_address);
  EXPECT_EQ(m.link_address, kOurMac);
}

TEST(NeighborDiscovery, AdvertisementFlagsAndVlan) {
  std::array<uint8_t, 256> buf{};
  EthernetSpec eth;
  eth.src = kOurMac;
  eth.dst = kPeerMac;
  eth.has_vlan = true;
  eth.vlan_tci = 100;
  const size_t len =
      encode_neighbor_advertisement(buf, eth, kOurIp, kPeerIp, kOurIp, {false, true, true});
  ASSERT_EQ(len, 14u + 4 + 40 + 32);
  const uint8_t* icmp = buf.data() + 18 + 40;
  EXPECT_EQ(icmp[0], 136);
  EXPECT_EQ(icmp[4], 0x60);  // S and O, not R
  EXPECT_EQ(icmp[24], 2);    // target link-layer address option

  const DecodedFrame frame = decode({buf.data(), len});
  ASSERT_EQ(frame.vlan_count, 1);
  EXPECT_EQ(frame.vlans[0].vid, 100);
  NdMessage m;
  ASSERT_EQ(parse_neighbor_discovery(frame, m), NdError::kOk);
  EXPECT_EQ(m.type, NdType::kAdvertisement);
  EXPECT_FALSE(m.router);
  EXPECT_TRUE(m.solicited);
  EXPECT_TRUE(m.override_entry);
  EXPECT_EQ(m.target, kOurIp);
  EXPECT_EQ(m.link_address, kOurMac);
}

TEST(NeighborDiscovery, EncodersRefuseContradictions) {
  std::array<uint8_t, 256> buf{};
  EthernetSpec eth;
  EXPECT_EQ(encode_neighbor_solicitation(buf, eth, kOurIp, kPeerIp, kAllNodesMulticast), 0u);
  EXPECT_EQ(encode_neighbor_advertisement(buf, eth, kOurIp, kAllNodesMulticast, kOurIp,
                                          {false, true, true}),
            0u);
  std::array<uint8_t, 60> small{};
  EXPECT_EQ(encode_neighbor_solicitation(small, eth, kOurIp, kPeerIp, kPeerIp), 0u);
}

// Builds a valid NS, lets `mutate` change the ICMPv6 message (checksum refreshed unless told
// otherwise) and returns the parse verdict.
template <typename Mutate>
NdError parse_mutated(Mutate mutate, bool refresh_checksum = true, Ipv6Address src = kPeerIp,
                      Ipv6Address dst = kOurIp) {
  std::array<uint8_t, 256> buf{};
  EthernetSpec eth;
  eth.src = kPeerMac;
  eth.dst = kOurMac;
  size_t len = encode_neighbor_solicitation(buf, eth, src, dst, kOurIp);
  uint8_t* ip = buf.data() + 14;
  uint8_t* icmp = ip + 40;
  size_t icmp_len = 32;
  mutate(ip, icmp, icmp_len);
  store_be16(ip + 4, static_cast<uint16_t>(icmp_len));
  len = 14 + 40 + icmp_len;
  if (refresh_checksum) {
    store_be16(icmp + 2, 0);
    store_be16(icmp + 2, icmpv6_checksum(src, dst, {icmp, icmp_len}));
  }
  NdMessage m;
  return parse_neighbor_discovery(decode({buf.data(), len}), m);
}

TEST(NeighborDiscovery, RejectsInvalidMessagesByReason) {
  auto none = [](uint8_t*, uint8_t*, size_t&) {};
  EXPECT_EQ(parse_mutated(none), NdError::kOk);
  EXPECT_EQ(parse_mutated([](uint8_t* ip, uint8_t*, size_t&) { ip[7] = 64; }),
            NdError::kBadHopLimit);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t&) { icmp[1] = 1; }),
            NdError::kBadCode);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t*, size_t& n) { n = 20; }), NdError::kTooShort);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t&) { icmp[8] ^= 1; }, false),
            NdError::kBadChecksum);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t&) { icmp[25] = 0; }),
            NdError::kBadOption);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t&) { icmp[25] = 2; }),
            NdError::kBadOption);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t&) { icmp[8] = 0xff; }),
            NdError::kMulticastTarget);
  // Duplicate address detection probes come from :: without a link-layer option.
  const Ipv6Address unspecified{};
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t*, size_t&) {}, true, unspecified, kOurIp),
            NdError::kUnspecifiedWithLla);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t*, size_t& n) { n = 24; }, true, unspecified, kOurIp),
            NdError::kUnspecifiedNotSolicitedNode);
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t*, size_t& n) { n = 24; }, true, unspecified,
                          solicited_node_multicast(kOurIp)),
            NdError::kOk);
  // Unknown options are skipped.
  EXPECT_EQ(parse_mutated([](uint8_t*, uint8_t* icmp, size_t& n) {
              icmp[32] = 14;  // nonce option, 8 bytes
              icmp[33] = 1;
              n = 40;
            }),
            NdError::kOk);
}

TEST(NeighborDiscovery, OtherIcmpv6IsNotNd) {
  std::array<uint8_t, 256> buf{};
  EthernetSpec eth;
  const size_t len = encode_neighbor_solicitation(buf, eth, kPeerIp, kOurIp, kOurIp);
  buf[14 + 40] = 128;  // echo request
  NdMessage m;
  EXPECT_EQ(parse_neighbor_discovery(decode({buf.data(), len}), m), NdError::kNotNeighborDiscovery);
  EXPECT_EQ(to_string(NdError::kBadHopLimit), "nd hop limit not 255");
}

}  // namespace
}  // namespace wiretime::wire

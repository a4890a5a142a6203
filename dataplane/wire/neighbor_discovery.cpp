#include "dataplane/wire/neighbor_discovery.hpp"

#include <algorithm>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"

namespace wiretime::wire {
namespace {

constexpr size_t kNdHeaderSize = 24;  // type, code, checksum, flags/reserved, target
constexpr size_t kLinkAddressOptionSize = 8;
constexpr uint8_t kOptionSourceLinkAddress = 1;
constexpr uint8_t kOptionTargetLinkAddress = 2;
constexpr uint8_t kFlagRouter = 0x80;
constexpr uint8_t kFlagSolicited = 0x40;
constexpr uint8_t kFlagOverride = 0x20;

bool is_solicited_node_group(const Ipv6Address& a) {
  const Ipv6Address prefix = solicited_node_multicast(Ipv6Address{});
  return std::equal(a.bytes.begin(), a.bytes.begin() + 13, prefix.bytes.begin());
}

// Ethernet + IPv6 + ND header + one link-layer address option, checksummed and padded.
size_t encode_nd(std::span<uint8_t> out, const EthernetSpec& eth, const Ipv6Address& src_ip,
                 const Ipv6Address& dst_ip, const Ipv6Address& target, uint8_t type, uint8_t flags,
                 uint8_t option) {
  const size_t ip_offset = kEthernetHeaderSize + (eth.has_vlan ? kVlanTagSize : 0);
  const size_t icmp_len = kNdHeaderSize + kLinkAddressOptionSize;
  const size_t size = ip_offset + kIpv6HeaderSize + icmp_len;
  if (out.size() < std::max(size, kMinEthernetFrameSize)) return 0;
  uint8_t* p = out.data();
  std::copy(eth.dst.bytes.begin(), eth.dst.bytes.end(), p);
  std::copy(eth.src.bytes.begin(), eth.src.bytes.end(), p + 6);
  if (eth.has_vlan) {
    store_be16(p + 12, kEthertypeVlan);
    store_be16(p + 14, eth.vlan_tci);
  }
  store_be16(p + ip_offset - 2, kEthertypeIpv6);

  uint8_t* ip = p + ip_offset;
  store_be32(ip, uint32_t{6} << 28);
  store_be16(ip + 4, static_cast<uint16_t>(icmp_len));
  ip[6] = kIpProtoIcmpv6;
  ip[7] = kNdHopLimit;
  std::copy(src_ip.bytes.begin(), src_ip.bytes.end(), ip + 8);
  std::copy(dst_ip.bytes.begin(), dst_ip.bytes.end(), ip + 24);

  uint8_t* icmp = ip + kIpv6HeaderSize;
  icmp[0] = type;
  icmp[1] = 0;
  store_be16(icmp + 2, 0);
  store_be32(icmp + 4, uint32_t{flags} << 24);
  std::copy(target.bytes.begin(), target.bytes.end(), icmp + 8);
  uint8_t* opt = icmp + kNdHeaderSize;
  opt[0] = option;
  opt[1] = 1;  // in units of 8 bytes
  std::copy(eth.src.bytes.begin(), eth.src.bytes.end(), opt + 2);
  store_be16(icmp + 2, icmpv6_checksum(src_ip, dst_ip, {icmp, icmp_len}));
  // 14 + 40 + 32 = 86 bytes: never below the Ethernet minimum, so no padding.
  return size;
}

}  // namespace

std::string_view to_string(NdError error) {
  switch (error) {
    case NdError::kOk:
      return "ok";
    case NdError::kNotNeighborDiscovery:
      return "not neighbor discovery";
    case NdError::kBadHopLimit:
      return "nd hop limit not 255";
    case NdError::kBadCode:
      return "nd bad code";
    case NdError::kTooShort:
      return "nd too short";
    case NdError::kBadChecksum:
      return "nd bad checksum";
    case NdError::kBadOption:
      return "nd bad option";
    case NdError::kMulticastTarget:
      return "nd multicast target";
    case NdError::kUnspecifiedWithLla:
      return "nd unspecified source with link address";
    case NdError::kUnspecifiedNotSolicitedNode:
      return "nd unspecified source not to solicited-node group";
    case NdError::kSolicitedToMulticast:
      return "nd solicited advertisement to multicast";
  }
  return "unknown";
}

NdError parse_neighbor_discovery(const DecodedFrame& frame, NdMessage& out) {
  const std::span<const uint8_t> icmp = frame.l4;
  if (frame.error != DecodeError::kNotUdp || !frame.is_ipv6() ||
      frame.ip_protocol != kIpProtoIcmpv6 || icmp.empty() ||
      (icmp[0] != kIcmpv6NeighborSolicitation && icmp[0] != kIcmpv6NeighborAdvertisement)) {
    return NdError::kNotNeighborDiscovery;
  }
  if (frame.ttl != kNdHopLimit) return NdError::kBadHopLimit;
  if (icmp.size() < 2 || icmp[1] != 0)
    return icmp.size() < 2 ? NdError::kTooShort : NdError::kBadCode;
  if (icmp.size() < kNdHeaderSize) return NdError::kTooShort;
  if (icmpv6_checksum(frame.src_ip.v6, frame.dst_ip.v6, icmp) != 0) return NdError::kBadChecksum;

  out = NdMessage{};
  out.type = static_cast<NdType>(icmp[0]);
  if (out.type == NdType::kAdvertisement) {
    out.router = (icmp[4] & kFlagRouter) != 0;
    out.solicited = (icmp[4] & kFlagSolicited) != 0;
    out.override_entry = (icmp[4] & kFlagOverride) != 0;
  }
  std::copy(icmp.begin() + 8, icmp.begin() + 24, out.target.bytes.begin());
  if (is_multicast(out.target)) return NdError::kMulticastTarget;

  const uint8_t wanted =
      out.type == NdType::kSolicitation ? kOptionSourceLinkAddress : kOptionTargetLinkAddress;
  size_t offset = kNdHeaderSize;
  while (offset < icmp.size()) {
    if (icmp.size() - offset < 2) return NdError::kBadOption;
    const size_t length = size_t{icmp[offset + 1]} * 8;
    if (length == 0 || length > icmp.size() - offset) return NdError::kBadOption;
    // Unknown options are skipped (section 4.6); only Ethernet-sized link addresses are used.
    if (icmp[offset] == wanted && length == kLinkAddressOptionSize) {
      out.has_link_address = true;
      std::copy(icmp.begin() + static_cast<std::ptrdiff_t>(offset + 2),
                icmp.begin() + static_cast<std::ptrdiff_t>(offset + 8),
                out.link_address.bytes.begin());
    }
    offset += length;
  }

  if (out.type == NdType::kSolicitation && is_unspecified(frame.src_ip.v6)) {
    if (out.has_link_address) return NdError::kUnspecifiedWithLla;
    if (!is_solicited_node_group(frame.dst_ip.v6)) return NdError::kUnspecifiedNotSolicitedNode;
  }
  if (out.type == NdType::kAdvertisement && out.solicited && is_multicast(frame.dst_ip.v6)) {
    return NdError::kSolicitedToMulticast;
  }
  return NdError::kOk;
}

size_t encode_neighbor_solicitation(std::span<uint8_t> out, const EthernetSpec& eth,
                                    const Ipv6Address& src_ip, const Ipv6Address& dst_ip,
                                    const Ipv6Address& target) {
  if (is_multicast(target)) return 0;
  return encode_nd(out, eth, src_ip, dst_ip, target, kIcmpv6NeighborSolicitation, 0,
                   kOptionSourceLinkAddress);
}

size_t encode_neighbor_advertisement(std::span<uint8_t> out, const EthernetSpec& eth,
                                     const Ipv6Address& src_ip, const Ipv6Address& dst_ip,
                                     const Ipv6Address& target, NeighborAdvertisementFlags flags) {
  // A solicited advertisement always goes unicast (section 7.2.4); refuse the contradiction.
  if (is_multicast(target) || (flags.solicited && is_multicast(dst_ip))) return 0;
  const auto bits = static_cast<uint8_t>((flags.router ? kFlagRouter : 0) |
                                         (flags.solicited ? kFlagSolicited : 0) |
                                         (flags.override_entry ? kFlagOverride : 0));
  return encode_nd(out, eth, src_ip, dst_ip, target, kIcmpv6NeighborAdvertisement, bits,
                   kOptionTargetLinkAddress);
}

}  // namespace wiretime::wire

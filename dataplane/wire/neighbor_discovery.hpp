// IPv6 neighbour discovery (RFC 4861 section 4.3/4.4): Neighbor Solicitation and Neighbor
// Advertisement messages with their link-layer address options, the solicited-node multicast
// group and the Ethernet multicast mapping (RFC 2464 section 7). Pure: no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::wire {

inline constexpr uint8_t kIcmpv6NeighborSolicitation = 135;
inline constexpr uint8_t kIcmpv6NeighborAdvertisement = 136;
// RFC 4861 section 7.1.1: a hop limit below 255 means the message crossed a router.
inline constexpr uint8_t kNdHopLimit = 255;

enum class NdType : uint8_t {
  kSolicitation = kIcmpv6NeighborSolicitation,
  kAdvertisement = kIcmpv6NeighborAdvertisement,
};

// Why a received ICMPv6 message is not a valid NS/NA (RFC 4861 section 7.1). Counted per reason.
enum class NdError : uint8_t {
  kOk = 0,
  kNotNeighborDiscovery,  // not ICMPv6 type 135/136 (the caller handles other types)
  kBadHopLimit,           // not 255: crossed a router
  kBadCode,               // ICMP code != 0
  kTooShort,              // fewer than 24 bytes
  kBadChecksum,
  kBadOption,                    // an option with length 0 or running past the message
  kMulticastTarget,              // target address is multicast
  kUnspecifiedWithLla,           // NS from :: carrying a source link-layer address option
  kUnspecifiedNotSolicitedNode,  // NS from :: not sent to a solicited-node group (DAD)
  kSolicitedToMulticast,         // NA with the S flag sent to a multicast address
};
inline constexpr int kNdErrorCount = static_cast<int>(NdError::kSolicitedToMulticast) + 1;

std::string_view to_string(NdError error);

struct NdMessage {
  NdType type = NdType::kSolicitation;
  // NA flags (section 4.4); false for NS.
  bool router = false;
  bool solicited = false;
  bool override_entry = false;
  Ipv6Address target;
  // Source (NS) or target (NA) link-layer address option, when present.
  bool has_link_address = false;
  MacAddress link_address;
};

// Parses `frame` (decoded with error kNotUdp and protocol ICMPv6) as NS or NA into `out`.
NdError parse_neighbor_discovery(const DecodedFrame& frame, NdMessage& out);

constexpr bool is_multicast(const Ipv6Address& a) {
  return a.bytes[0] == 0xff;
}
constexpr bool is_unspecified(const Ipv6Address& a) {
  for (uint8_t b : a.bytes) {
    if (b != 0) return false;
  }
  return true;
}
constexpr bool is_link_local(const Ipv6Address& a) {
  return a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
}

// ff02::1:ffXX:XXXX with the low 24 bits of `a` (RFC 4291 section 2.7.1).
constexpr Ipv6Address solicited_node_multicast(const Ipv6Address& a) {
  Ipv6Address m{{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0}};
  m.bytes[13] = a.bytes[13];
  m.bytes[14] = a.bytes[14];
  m.bytes[15] = a.bytes[15];
  return m;
}
inline constexpr Ipv6Address kAllNodesMulticast{
    {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

// 33:33 followed by the low 32 bits of the group (RFC 2464 section 7).
constexpr MacAddress ipv6_multicast_mac(const Ipv6Address& group) {
  return {{0x33, 0x33, group.bytes[12], group.bytes[13], group.bytes[14], group.bytes[15]}};
}

// fe80::/64 with a modified EUI-64 interface identifier (RFC 4291 appendix A).
constexpr Ipv6Address link_local_from_mac(const MacAddress& mac) {
  return {{0xfe, 0x80, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(mac.bytes[0] ^ 0x02), mac.bytes[1],
           mac.bytes[2], 0xff, 0xfe, mac.bytes[3], mac.bytes[4], mac.bytes[5]}};
}

// Neighbor Solicitation for `target` from `src_ip` (with a source link-layer address option
// carrying eth.src) to `dst_ip`: the solicited-node group of the target for address resolution,
// or the neighbour's unicast address for reachability probes (eth.dst must match).
size_t encode_neighbor_solicitation(std::span<uint8_t> out, const EthernetSpec& eth,
                                    const Ipv6Address& src_ip, const Ipv6Address& dst_ip,
                                    const Ipv6Address& target);

struct NeighborAdvertisementFlags {
  bool router = false;
  bool solicited = false;
  bool override_entry = true;
};

// Neighbor Advertisement for `target` (ours) with a target link-layer address option carrying
// eth.src: to the soliciting node, or to all-nodes when the solicitation came from ::.
size_t encode_neighbor_advertisement(std::span<uint8_t> out, const EthernetSpec& eth,
                                     const Ipv6Address& src_ip, const Ipv6Address& dst_ip,
                                     const Ipv6Address& target, NeighborAdvertisementFlags flags);

}  // namespace wiretime::wire

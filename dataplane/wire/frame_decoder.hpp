// Decodes a received frame down to the NTP packet: Ethernet (+ up to two 802.1Q/802.1ad
// tags), ARP, IPv4 (options, header checksum, no fragments), IPv6 (hop-by-hop, routing and
// destination-options headers skipped; fragments rejected), optional GRE decapsulation, UDP
// (length and checksum) and NTP. Pure: no allocation; spans point into the input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/decode_error.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::wire {

inline constexpr uint16_t kEthertypeIpv4 = 0x0800;
inline constexpr uint16_t kEthertypeArp = 0x0806;
inline constexpr uint16_t kEthertypeVlan = 0x8100;  // 802.1Q C-tag
inline constexpr uint16_t kEthertypeQinQ = 0x88a8;  // 802.1ad S-tag
inline constexpr uint16_t kEthertypeIpv6 = 0x86dd;
inline constexpr uint8_t kIpProtoIcmp = 1;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoGre = 47;
inline constexpr uint8_t kIpProtoIcmpv6 = 58;
inline constexpr size_t kMaxVlanTags = 2;

enum class LinkType : uint8_t {
  kEthernet,  // DLT_EN10MB
  // DLT_NULL: 4-byte address family in the writer's byte order (both orders accepted), then IP.
  kBsdLoopback,
  kRawIp,  // starts at the IP header (version nibble decides)
};

// Header sizes shared by the decoder and the encoders.
inline constexpr size_t kEthernetHeaderSize = 14;
inline constexpr size_t kVlanTagSize = 4;
inline constexpr size_t kIpv4HeaderSize = 20;  // encoders write no options
inline constexpr size_t kIpv6HeaderSize = 40;
inline constexpr size_t kUdpHeaderSize = 8;
inline constexpr size_t kArpPayloadSize = 28;
// Frames shorter than this are zero-padded up to it (64 bytes on the wire with the FCS).
inline constexpr size_t kMinEthernetFrameSize = 60;

struct FrameDecodeOptions {
  LinkType link_type = LinkType::kEthernet;
  // Captures of sent packets often carry offloaded (unfilled) checksums, and loopback captures
  // may lack even the IPv4 header checksum; tools turn these off, the dataplane does not.
  bool verify_l4_checksums = true;
  bool verify_ipv4_header_checksum = true;
  bool decapsulate_gre = false;         // one level of IPv4 GRE (RFC 2784/2890), payload IPv4/IPv6
  bool decode_ntp_on_any_port = false;  // caller already knows the flow is NTP
  uint16_t extra_ntp_port = 0;          // also treat this UDP port as NTP (0: none)
};

struct VlanTag {
  uint16_t tpid = 0;  // 0x8100 or 0x88a8
  uint8_t pcp = 0;
  bool dei = false;
  uint16_t vid = 0;
  constexpr uint16_t tci() const {
    return static_cast<uint16_t>((pcp << 13) | (dei ? 0x1000 : 0) | (vid & 0x0fff));
  }
};

enum class ArpOperation : uint16_t { kRequest = 1, kReply = 2 };

// ARP for IPv4 over Ethernet (RFC 826).
struct ArpPacket {
  ArpOperation operation = ArpOperation::kRequest;
  MacAddress sender_mac;
  Ipv4Address sender_ip;
  MacAddress target_mac;
  Ipv4Address target_ip;
};

// Everything decoded so far. On error, fields of the layers already parsed stay valid (e.g.
// IP addresses for kNotUdp or kBadUdpChecksum, ports for kNotNtp, the NTP header for NTP
// trailer errors), so the caller can classify ICMP or count per source.
//
// Validity. The layer records are valid only when their flag says so:
//   vlans[i]                      for i < vlan_count
//   arp                           when is_arp
//   outer_src_ip, outer_dst_ip    when tunneled
//   ntp                           when is_ntp (its own fields as decode_ntp documents)
// Every decode sets all the other fields: zero/empty/kNone for a layer it did not reach (the
// MACs too, on a non-Ethernet link). The decode into a caller-owned record leaves the records
// a frame does not fill as they were, stale from an earlier frame when the record is reused
// (clearing them, the NTP record above all, was a third of the decode); the returning
// decode_frame leaves them at their defaults.
struct DecodedFrame {
  DecodeError error = DecodeError::kOk;

  // Link layer (Ethernet only).
  MacAddress dst_mac;
  MacAddress src_mac;
  uint8_t vlan_count = 0;
  std::array<VlanTag, kMaxVlanTags> vlans{};  // outermost first
  uint16_t ethertype = 0;                     // after the tags: ARP, IPv4 or IPv6

  bool is_arp = false;
  ArpPacket arp;

  // Network layer (the inner packet when decapsulated).
  IpAddress src_ip;
  IpAddress dst_ip;
  uint8_t ip_protocol = 0;  // final next-header after IPv6 extension headers
  uint8_t ttl = 0;          // IPv4 TTL / IPv6 hop limit
  uint8_t tos = 0;          // IPv4 TOS / IPv6 traffic class (DSCP + ECN)
  uint32_t flow_label = 0;  // IPv6 only

  // Outer IPv4 addresses of a GRE tunnel, when decapsulated.
  bool tunneled = false;
  IpAddress outer_src_ip;
  IpAddress outer_dst_ip;

  // Offsets into the frame, for in-place rewriting: the (inner) IP header, the L4 header.
  uint32_t l3_offset = 0;
  uint32_t l4_offset = 0;
  std::span<const uint8_t> l4;  // the IP payload (bounded by the IP length), any protocol

  // UDP.
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  std::span<const uint8_t> udp_payload;

  // NTP, when a port matched (or the options said so).
  bool is_ntp = false;
  NtpPacket ntp;

  bool is_ipv4() const { return src_ip.version == IpVersion::kV4; }
  bool is_ipv6() const { return src_ip.version == IpVersion::kV6; }
  std::span<const VlanTag> vlan_tags() const { return {vlans.data(), vlan_count}; }
};

// Returns a fresh record: fields not valid per the contract above hold their defaults.
DecodedFrame decode_frame(std::span<const uint8_t> frame, const FrameDecodeOptions& options = {});

// Same, into a caller-owned record that may be reused for every frame (the dataplane's way):
// no copy of the ~500-byte record, and the layer records a frame does not reach are left as
// they were, so read them only under their flag (see DecodedFrame).
void decode_frame(std::span<const uint8_t> frame, const FrameDecodeOptions& options,
                  DecodedFrame& out);

}  // namespace wiretime::wire

// Why a frame or packet was rejected. The dataplane counts drops per reason, so every
// rejection path in the wire codec has its own value.
#pragma once

#include <cstdint>
#include <string_view>

namespace wiretime::wire {

enum class DecodeError : uint8_t {
  kOk = 0,
  // Link layer.
  kLinkHeaderTooShort,  // DLT_NULL / loopback header missing
  kUnknownLinkFamily,   // DLT_NULL address family is neither IPv4 nor IPv6
  kEthernetTooShort,    // fewer than 14 bytes, or a VLAN tag cut off
  kTooManyVlanTags,     // more than two 802.1Q/802.1ad tags
  kUnknownEthertype,    // not ARP/IPv4/IPv6 (or an 802.3 length field)
  // ARP.
  kArpTooShort,
  kUnsupportedArp,   // not Ethernet/IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4)
  kBadArpOperation,  // neither request (1) nor reply (2)
  // IPv4.
  kIpv4TooShort,
  kBadIpVersion,      // version nibble disagrees with the ethertype / link family
  kBadIhl,            // IHL < 5 or header longer than the packet
  kBadIpTotalLength,  // IPv4 total length / IPv6 payload length outside the buffer
  kBadIpv4Checksum,
  kFragment,  // IPv4 MF/offset set, or IPv6 fragment header
  // IPv6.
  kIpv6TooShort,
  kBadIpv6ExtensionHeader,  // extension header runs past the packet
  // GRE (decapsulated only when FrameDecodeOptions::decapsulate_gre is set).
  kGreTooShort,
  kUnsupportedGre,  // version != 0, routing present, or payload not IPv4/IPv6
  kNestedTunnel,    // GRE inside GRE
  // Transport.
  kNotUdp,  // IP payload is not UDP (ICMP, TCP, ...); IP fields are still filled
  kUdpTooShort,
  kBadUdpLength,  // UDP length < 8 or beyond the IP payload
  kBadUdpChecksum,
  kIpv6ZeroUdpChecksum,  // RFC 8200 section 8.1: zero checksum is invalid over IPv6
  kNotNtp,               // UDP, but neither port is an NTP port
  // NTP.
  kNtpTooShort,    // fewer than 48 bytes (8 for mode 7, 12 for mode 6)
  kBadNtpVersion,  // version 0 or above 4
  kTruncatedExtensionField,
  kBadExtensionFieldLength,  // RFC 7822: length < 16 or not a multiple of 4
  kTooManyExtensionFields,
  kBadMacLength,  // trailer is neither extension fields nor a 4/20/24/36-byte MAC
};

// Stable, lowercase, space-separated text ("bad UDP checksum"): used in logs, JSON output
// and counter names.
std::string_view to_string(DecodeError error);

// Number of enumerators, for counter arrays indexed by DecodeError.
inline constexpr int kDecodeErrorCount = static_cast<int>(DecodeError::kBadMacLength) + 1;

}  // namespace wiretime::wire

// RFC 1071 internet checksum, and the UDP checksum with its IPv4 (RFC 768) and IPv6
// (RFC 8200 section 8.1) pseudo-headers.
#pragma once

#include <cstdint>
#include <span>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::wire {

// Adds `bytes` as big-endian 16-bit words to a running 32-bit one's-complement sum. An odd
// trailing byte is padded with zero, so only the last chunk of a sum may have odd length.
uint32_t checksum_accumulate(std::span<const uint8_t> bytes, uint32_t sum = 0);

// Folds the carries and complements: the value that goes into a checksum field.
uint16_t checksum_finish(uint32_t sum);

// Checksum of a self-contained block (IPv4 header, ICMP message). Verifying a block that
// contains its own correct checksum yields 0.
uint16_t internet_checksum(std::span<const uint8_t> bytes);

// UDP checksum over pseudo-header + `udp_segment` (UDP header + payload, with the checksum
// field as present in the segment). To fill a checksum, zero the field first and store the
// result; to verify, the result over a received segment is 0. A computed value of 0 is
// returned as 0xffff, as RFC 768 requires for transmission; use udp_checksum_is_valid() to
// verify.
uint16_t udp_checksum_ipv4(Ipv4Address src, Ipv4Address dst, std::span<const uint8_t> udp_segment);
uint16_t udp_checksum_ipv6(const Ipv6Address& src, const Ipv6Address& dst,
                           std::span<const uint8_t> udp_segment);

// ICMPv6 checksum (RFC 4443 section 2.3): pseudo-header with next header 58. Same conventions
// as the UDP functions, except that a computed zero stays zero.
uint16_t icmpv6_checksum(const Ipv6Address& src, const Ipv6Address& dst,
                         std::span<const uint8_t> message);

// True when the segment's checksum field is correct (a zero field counts as "not computed",
// which callers must judge per address family).
bool udp_checksum_is_valid(const IpAddress& src, const IpAddress& dst,
                           std::span<const uint8_t> udp_segment);

// RFC 1624 incremental update: new checksum field after one 16-bit word of the covered data
// changed from `old_word` to `new_word`.
uint16_t checksum_update16(uint16_t checksum, uint16_t old_word, uint16_t new_word);

}  // namespace wiretime::wire

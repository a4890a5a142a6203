#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wiretime::config {

// Strict dotted-decimal IPv4 (four decimal octets, no leading '+', at most 3 digits each).
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::string ipv4_to_string(uint32_t address);

using Ipv6Bytes = std::array<uint8_t, 16>;
// RFC 4291 text form (with :: compression and an optional trailing dotted quad).
std::optional<Ipv6Bytes> parse_ipv6(std::string_view text);
// RFC 5952 canonical text.
std::string ipv6_to_string(const Ipv6Bytes& address);

// True when every character is a digit or a dot: the operator meant an IPv4 literal.
bool looks_like_ipv4(std::string_view text);

// Prefix length 0..32 -> mask, and a contiguous mask -> prefix length.
uint32_t ipv4_mask_from_length(int length);
std::optional<int> ipv4_length_from_mask(uint32_t mask);

// Why a unicast server/peer address is refused (spec section 11, Q11 and Q12).
enum class ServerAddressClass : uint8_t {
  kHost,
  kUnspecified,
  kBroadcast,
  kMulticast,
  kReserved,
  kLoopback,  // covers the 127.127.t.u reference-clock addresses
  kIpv4Mapped,
  kLinkLocal,  // IPv6 fe80::/10: allowed only together with a source interface
};
ServerAddressClass classify_ipv4_server(uint32_t address);
ServerAddressClass classify_ipv6_server(const Ipv6Bytes& address);

// DNS name as the domain branch accepts it: 1-255 chars of letters, digits, '-', '.', '_';
// labels 1-63 chars; not all-numeric-and-dots (that is an IPv4 attempt).
bool is_domain_name(std::string_view text);

// 127.127.t.u with t 0-37 and u 0-3 (spec section 6.6).
bool is_refclock_address(uint32_t address);

}  // namespace wiretime::config

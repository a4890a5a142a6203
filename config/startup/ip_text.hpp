// IPv4/IPv6 addresses and prefixes and MAC addresses as written in configuration files
// ("2001:db8::2/64", "02:00:00:00:00:01"), parsed into the dataplane's wire/L3 value types.
#pragma once

#include <optional>
#include <string_view>

#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::config {

// The strict dotted quad of parse_ipv4_address, or RFC 4291 section 2.2 text (no zone index).
std::optional<wire::IpAddress> parse_ip_address(std::string_view text);
std::optional<wire::Ipv6Address> parse_ipv6_address(std::string_view text);
// Address "/" length (0..32 or 0..128, no leading zeros).
std::optional<l3::IpPrefix> parse_ip_prefix(std::string_view text);
// Six colon-separated pairs of hex digits.
std::optional<wire::MacAddress> parse_mac_address(std::string_view text);

}  // namespace wiretime::config

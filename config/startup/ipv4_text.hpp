// IPv4 addresses and prefixes as written in configuration files ("198.18.0.2", "198.18.0.2/24").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wiretime::config {

// Host byte order, so that masks and comparisons read naturally.
struct Ipv4Address {
  uint32_t value = 0;
  std::string to_string() const;
  constexpr bool operator==(const Ipv4Address&) const = default;
};

struct Ipv4Prefix {
  Ipv4Address address;  // the interface address itself, host bits kept
  int length = 0;       // 0..32

  constexpr uint32_t mask() const { return length == 0 ? 0u : ~uint32_t{0} << (32 - length); }
  constexpr bool contains(Ipv4Address a) const {
    return (a.value & mask()) == (address.value & mask());
  }
  std::string to_string() const;
  constexpr bool operator==(const Ipv4Prefix&) const = default;
};

// Strict dotted quad: four decimal parts 0..255, no leading zeros (they read as octal in
// inet_aton, so "010" would silently mean 8 elsewhere), no spaces.
std::optional<Ipv4Address> parse_ipv4_address(std::string_view text);
// Address "/" length 0..32 (no leading zeros).
std::optional<Ipv4Prefix> parse_ipv4_prefix(std::string_view text);

}  // namespace wiretime::config

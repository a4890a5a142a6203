// Link and network addresses as fixed-size values in wire order, so frames can be compared
// and rewritten without conversion.
#pragma once

#include <array>
#include <cstdint>

namespace wiretime::wire {

struct MacAddress {
  std::array<uint8_t, 6> bytes{};
  static constexpr MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  constexpr bool is_multicast() const { return (bytes[0] & 1) != 0; }
  constexpr bool operator==(const MacAddress&) const = default;
};

// IPv4 address in network byte order (bytes[0] is the first octet of a.b.c.d).
struct Ipv4Address {
  std::array<uint8_t, 4> bytes{};
  static constexpr Ipv4Address from_host_order(uint32_t v) {
    return {{static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
             static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)}};
  }
  constexpr uint32_t to_host_order() const {
    return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
           bytes[3];
  }
  constexpr bool operator==(const Ipv4Address&) const = default;
};

struct Ipv6Address {
  std::array<uint8_t, 16> bytes{};
  constexpr bool operator==(const Ipv6Address&) const = default;
};

enum class IpVersion : uint8_t { kNone = 0, kV4 = 4, kV6 = 6 };

// Either family; `v4` or `v6` is meaningful according to `version`.
struct IpAddress {
  IpVersion version = IpVersion::kNone;
  Ipv4Address v4;
  Ipv6Address v6;
  static constexpr IpAddress from(Ipv4Address a) { return {IpVersion::kV4, a, {}}; }
  static constexpr IpAddress from(const Ipv6Address& a) { return {IpVersion::kV6, {}, a}; }
  constexpr bool operator==(const IpAddress&) const = default;
};

}  // namespace wiretime::wire

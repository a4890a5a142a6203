// Link and network addresses as fixed-size values in wire order, so frames can be compared
// and rewritten without conversion.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace wiretime::wire {

namespace detail {
// Equality of small byte arrays as a few integer compares. The defaulted operator== goes
// through std::array's, which GCC lowers to an out-of-line memcmp call here: that call was 12 %
// of the lcore's time per NTP request (perf, docs/benchmarks.md).
template <size_t N>
constexpr bool bytes_equal(const std::array<uint8_t, N>& a, const std::array<uint8_t, N>& b) {
  if (std::is_constant_evaluated()) return a == b;
  if constexpr (N == 4) {
    uint32_t x = 0, y = 0;
    std::memcpy(&x, a.data(), 4);
    std::memcpy(&y, b.data(), 4);
    return x == y;
  } else if constexpr (N == 6) {
    uint32_t x = 0, y = 0;
    uint16_t u = 0, v = 0;
    std::memcpy(&x, a.data(), 4);
    std::memcpy(&y, b.data(), 4);
    std::memcpy(&u, a.data() + 4, 2);
    std::memcpy(&v, b.data() + 4, 2);
    return ((x ^ y) | static_cast<uint32_t>(u ^ v)) == 0;
  } else {
    static_assert(N == 16);
    uint64_t x[2] = {}, y[2] = {};
    std::memcpy(x, a.data(), 16);
    std::memcpy(y, b.data(), 16);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
  }
}
}  // namespace detail

struct MacAddress {
  std::array<uint8_t, 6> bytes{};
  static constexpr MacAddress broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
  constexpr bool is_multicast() const { return (bytes[0] & 1) != 0; }
  constexpr bool operator==(const MacAddress& o) const {
    return detail::bytes_equal(bytes, o.bytes);
  }
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
  constexpr bool operator==(const Ipv4Address& o) const {
    return detail::bytes_equal(bytes, o.bytes);
  }
};

struct Ipv6Address {
  std::array<uint8_t, 16> bytes{};
  constexpr bool operator==(const Ipv6Address& o) const {
    return detail::bytes_equal(bytes, o.bytes);
  }
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

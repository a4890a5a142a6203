// Test helpers: addresses from compact literals.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::l3::test {

inline wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
// 2001:db8:<g2>::<last>
inline wire::IpAddress v6(uint16_t g2, uint16_t last) {
  wire::Ipv6Address a{{0x20, 0x01, 0x0d, 0xb8}};
  a.bytes[4] = static_cast<uint8_t>(g2 >> 8);
  a.bytes[5] = static_cast<uint8_t>(g2);
  a.bytes[14] = static_cast<uint8_t>(last >> 8);
  a.bytes[15] = static_cast<uint8_t>(last);
  return wire::IpAddress::from(a);
}
inline IpPrefix prefix(const wire::IpAddress& a, uint8_t length) {
  return {a, length};
}

}  // namespace wiretime::l3::test

// An IPv4 or IPv6 prefix (address/length) as interfaces and routes use it. Pure value type.
#pragma once

#include <cstdint>
#include <string>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::l3 {

struct IpPrefix {
  wire::IpAddress address;  // host bits kept: an interface prefix is also its address
  uint8_t length = 0;       // 0..32 (IPv4) or 0..128 (IPv6)

  static IpPrefix v4(wire::Ipv4Address a, uint8_t length) {
    return {wire::IpAddress::from(a), length};
  }
  static IpPrefix v6(const wire::Ipv6Address& a, uint8_t length) {
    return {wire::IpAddress::from(a), length};
  }
  wire::IpVersion version() const { return address.version; }
  // Same family and the first `length` bits agree.
  bool contains(const wire::IpAddress& a) const;
  // Valid length for the family.
  bool valid() const;
  bool operator==(const IpPrefix&) const = default;
};

// True when the first `bits` bits of the two byte strings agree.
bool same_leading_bits(const uint8_t* a, const uint8_t* b, unsigned bits);

std::string to_string(const wire::IpAddress& a);
std::string to_string(const IpPrefix& p);

}  // namespace wiretime::l3

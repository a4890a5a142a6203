#include "dataplane/l3/ip_prefix.hpp"

#include <cstdio>

namespace wiretime::l3 {

bool same_leading_bits(const uint8_t* a, const uint8_t* b, unsigned bits) {
  const unsigned whole = bits / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool IpPrefix::valid() const {
  if (address.version == wire::IpVersion::kV4) return length <= 32;
  if (address.version == wire::IpVersion::kV6) return length <= 128;
  return false;
}

bool IpPrefix::contains(const wire::IpAddress& a) const {
  if (a.version != address.version || !valid()) return false;
  if (a.version == wire::IpVersion::kV4) {
    return same_leading_bits(a.v4.bytes.data(), address.v4.bytes.data(), length);
  }
  return same_leading_bits(a.v6.bytes.data(), address.v6.bytes.data(), length);
}

std::string to_string(const wire::IpAddress& a) {
  char buf[48];
  if (a.version == wire::IpVersion::kV4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a.v4.bytes[0], a.v4.bytes[1], a.v4.bytes[2],
                  a.v4.bytes[3]);
    return buf;
  }
  if (a.version != wire::IpVersion::kV6) return "none";
  // RFC 5952: lowercase, leading zeros dropped, the longest run (>= 2) of zero groups as "::".
  uint16_t g[8];
  for (int i = 0; i < 8; ++i)
    g[i] = static_cast<uint16_t>((a.v6.bytes[2 * i] << 8) | a.v6.bytes[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string to_string(const IpPrefix& p) {
  return to_string(p.address) + "/" + std::to_string(p.length);
}

}  // namespace wiretime::l3

// Test helper: assembles frames layer by layer from raw pieces, so decoder tests can craft
// every malformation (options, extension headers, tags, tunnels) that the encoders never emit.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"

namespace wiretime::wire::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes be16(uint16_t v) {
  return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

inline Bytes ethernet(uint16_t ethertype, std::initializer_list<uint32_t> tags = {}) {
  Bytes out = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
  for (uint32_t tag : tags) {  // tpid << 16 | tci
    out = cat({out, be16(static_cast<uint16_t>(tag >> 16)), be16(static_cast<uint16_t>(tag))});
  }
  return cat({out, be16(ethertype)});
}

inline constexpr Ipv4Address kSrc4{{192, 0, 2, 1}};
inline constexpr Ipv4Address kDst4{{192, 0, 2, 123}};
inline Ipv6Address v6(uint8_t last) {
  Ipv6Address a;
  a.bytes[0] = 0x20;
  a.bytes[1] = 0x01;
  a.bytes[2] = 0x0d;
  a.bytes[3] = 0xb8;
  a.bytes[15] = last;
  return a;
}

inline Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload) {
  return cat({be16(sport), be16(dport), be16(static_cast<uint16_t>(8 + payload.size())), be16(0),
              payload});
}

inline void fill_udp_checksum_v4(Bytes& segment, Ipv4Address s, Ipv4Address d) {
  store_be16(segment.data() + 6, 0);
  store_be16(segment.data() + 6, udp_checksum_ipv4(s, d, segment));
}

inline void fill_udp_checksum_v6(Bytes& segment, const Ipv6Address& s, const Ipv6Address& d) {
  store_be16(segment.data() + 6, 0);
  store_be16(segment.data() + 6, udp_checksum_ipv6(s, d, segment));
}

// IPv4 header (+ options, padded by the caller to a multiple of 4) with a correct checksum.
inline Bytes ipv4(uint8_t protocol, const Bytes& payload, const Bytes& options = {},
                  uint16_t flags_fragment = 0x4000, Ipv4Address s = kSrc4, Ipv4Address d = kDst4) {
  const size_t header_len = 20 + options.size();
  Bytes h = {static_cast<uint8_t>(0x40 | header_len / 4), 0};
  h = cat({h, be16(static_cast<uint16_t>(header_len + payload.size())), be16(0x1234),
           be16(flags_fragment), Bytes{64, protocol, 0, 0}});
  h.insert(h.end(), s.bytes.begin(), s.bytes.end());
  h.insert(h.end(), d.bytes.begin(), d.bytes.end());
  h = cat({h, options});
  store_be16(h.data() + 10, internet_checksum(h));
  return cat({h, payload});
}

inline Bytes ipv4_udp(const Bytes& ntp, uint16_t sport = 40000, uint16_t dport = 123,
                      const Bytes& options = {}) {
  Bytes segment = udp(sport, dport, ntp);
  fill_udp_checksum_v4(segment, kSrc4, kDst4);
  return ipv4(17, segment, options);
}

// IPv6 header; `payload` starts with whatever `next_header` says.
inline Bytes ipv6(uint8_t next_header, const Bytes& payload, const Ipv6Address& s = v6(1),
                  const Ipv6Address& d = v6(2)) {
  Bytes h = {0x60, 0, 0, 0};
  h = cat({h, be16(static_cast<uint16_t>(payload.size())), Bytes{next_header, 64}});
  h.insert(h.end(), s.bytes.begin(), s.bytes.end());
  h.insert(h.end(), d.bytes.begin(), d.bytes.end());
  return cat({h, payload});
}

inline Bytes ipv6_udp(const Bytes& ntp, uint16_t sport = 40000, uint16_t dport = 123) {
  Bytes segment = udp(sport, dport, ntp);
  fill_udp_checksum_v6(segment, v6(1), v6(2));
  return ipv6(17, segment);
}

inline Bytes ntp_request() {
  Bytes b(48, 0);
  b[0] = 0x23;  // v4 client
  b[47] = 0x42;
  return b;
}

}  // namespace wiretime::wire::test

#include "dataplane/wire/checksum.hpp"

#include <bit>
#include <cstring>

#include "dataplane/wire/byte_order.hpp"

namespace wiretime::wire {
namespace {

constexpr uint32_t kUdpProtocol = 17;
constexpr uint32_t kIcmpv6Protocol = 58;

uint32_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

uint16_t udp_result(uint32_t sum) {
  const uint16_t c = checksum_finish(sum);
  return c == 0 ? 0xffff : c;  // RFC 768: a computed zero is sent as all ones
}

uint32_t pseudo_length(size_t len) {
  return static_cast<uint32_t>(len >> 16) + static_cast<uint32_t>(len & 0xffff);
}

// An address as 32-bit big-endian words summed in 64 bits (see checksum_accumulate), inline:
// three out-of-line accumulate calls per pseudo-header showed in the lcore's profile.
uint64_t address_sum(const Ipv4Address& a) {
  return load_be32(a.bytes.data());
}
uint64_t address_sum(const Ipv6Address& a) {
  const uint8_t* p = a.bytes.data();
  return uint64_t{load_be32(p)} + load_be32(p + 4) + load_be32(p + 8) + load_be32(p + 12);
}

// One's-complement sum of pseudo-header and segment, before complementing.
template <typename Address>
uint32_t pseudo_sum(const Address& src, const Address& dst, uint32_t protocol,
                    std::span<const uint8_t> segment) {
  uint64_t wide = address_sum(src) + address_sum(dst);
  wide = (wide & 0xffffffffu) + (wide >> 32);
  wide = (wide & 0xffffffffu) + (wide >> 32);  // now below 2^32
  const uint32_t sum = fold(static_cast<uint32_t>(wide));
  return checksum_accumulate(segment, sum + protocol + pseudo_length(segment.size()));
}

template <typename Address>
uint32_t udp_sum(const Address& src, const Address& dst, std::span<const uint8_t> udp_segment) {
  return pseudo_sum(src, dst, kUdpProtocol, udp_segment);
}

}  // namespace

uint32_t checksum_accumulate(std::span<const uint8_t> bytes, uint32_t sum) {
  // The bytes as native 64-bit words, each split into two 32-bit halves summed in 64 bits: since
  // 2^16 = 1 (mod 2^16 - 1), folding that sum gives the one's-complement sum of the 16-bit words
  // in native byte order, and a byte swap of the folded result is the network-order sum
  // (RFC 1071 section 2(B)). Half the iterations of 32-bit big-endian loads and no byte swap per
  // word: this loop was the largest single symbol of the lcore's server profile. 2^32 words
  // cannot overflow 64 bits.
  static_assert(std::endian::native == std::endian::little);
  const uint8_t* p = bytes.data();
  size_t n = bytes.size();
  uint64_t wide = 0;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    wide += (v & 0xffffffffu) + (v >> 32);
  }
  if (n >= 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    wide += v;
    n -= 4;
    p += 4;
  }
  if (n >= 2) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    wide += v;
    n -= 2;
    p += 2;
  }
  if (n != 0) wide += *p;  // padded with a zero byte after it: the low byte natively
  wide = (wide & 0xffffffffu) + (wide >> 32);
  wide = (wide & 0xffffffffu) + (wide >> 32);
  const uint32_t native = fold(static_cast<uint32_t>(wide));
  const auto network = static_cast<uint32_t>(((native & 0xff) << 8) | (native >> 8));
  return fold(fold(sum) + network);
}

uint16_t checksum_finish(uint32_t sum) {
  return static_cast<uint16_t>(~fold(sum) & 0xffff);
}

uint16_t internet_checksum(std::span<const uint8_t> bytes) {
  return checksum_finish(checksum_accumulate(bytes));
}

uint16_t udp_checksum_ipv4(Ipv4Address src, Ipv4Address dst, std::span<const uint8_t> udp_segment) {
  return udp_result(udp_sum(src, dst, udp_segment));
}

uint16_t udp_checksum_ipv6(const Ipv6Address& src, const Ipv6Address& dst,
                           std::span<const uint8_t> udp_segment) {
  return udp_result(udp_sum(src, dst, udp_segment));
}

uint16_t icmpv6_checksum(const Ipv6Address& src, const Ipv6Address& dst,
                         std::span<const uint8_t> message) {
  return checksum_finish(pseudo_sum(src, dst, kIcmpv6Protocol, message));
}

bool udp_checksum_is_valid(const IpAddress& src, const IpAddress& dst,
                           std::span<const uint8_t> udp_segment) {
  // Over a segment that carries its correct checksum the one's-complement sum is all ones.
  if (src.version == IpVersion::kV4 && dst.version == IpVersion::kV4) {
    return checksum_finish(udp_sum(src.v4, dst.v4, udp_segment)) == 0;
  }
  if (src.version == IpVersion::kV6 && dst.version == IpVersion::kV6) {
    return checksum_finish(udp_sum(src.v6, dst.v6, udp_segment)) == 0;
  }
  return false;
}

uint16_t checksum_update16(uint16_t checksum, uint16_t old_word, uint16_t new_word) {
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m').
  const uint32_t sum = uint32_t{static_cast<uint16_t>(~checksum)} +
                       uint32_t{static_cast<uint16_t>(~old_word)} + new_word;
  return checksum_finish(sum);
}

}  // namespace wiretime::wire

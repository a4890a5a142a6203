#include "dataplane/wire/ntp_packet.hpp"

#include <algorithm>

#include "dataplane/wire/byte_order.hpp"

namespace wiretime::wire {
namespace {

constexpr size_t kControlHeaderSize = 12;  // mode 6, RFC 1305 appendix B
constexpr size_t kPrivateHeaderSize = 8;   // mode 7, ntpd's ntp_request.h
constexpr size_t kMaxExtensionFieldSize = 0xfffc;

constexpr size_t kMaxMacSize = kMacKeyIdSize + kMaxMacDigestSize;

// Legacy MAC trailer sizes before NTPv4: the crypto-NAK, or key id + 16..64 digest bytes in
// whole words. chronyd sends full-length digests in NTPv3 (it uses v3 for keys whose digest
// exceeds 20 bytes: SHA256 36, SHA384 52, SHA512 68-byte trailers).
constexpr bool is_mac_size(size_t n) {
  return n == kMacKeyIdSize || (n >= 20 && n <= kMaxMacSize && n % 4 == 0);
}
// A longer-than-v4 MAC right after an NTPv4 header (older chronyd sent untruncated v4 MACs;
// chronyd still accepts them when no extension field precedes): key id + a whole digest of
// SHA3-224, SHA256/SHA3-256, SHA384/SHA3-384 or SHA512/SHA3-512.
constexpr bool is_long_v4_mac_size(size_t n) {
  return n == 32 || n == 36 || n == 52 || n == kMaxMacSize;
}

void set_mac(std::span<const uint8_t> trailer, NtpPacket& out) {
  out.has_mac = true;
  out.mac.key_id = load_be32(trailer.data());
  out.mac.digest = trailer.subspan(kMacKeyIdSize);
}

// Walks RFC 7822 extension fields until the remainder is empty or has MAC size. A v4 MAC is at
// most 24 bytes and a field at least 16; a remainder of a long MAC's size right after the
// header (32, 36, 52 or 68 bytes) is ambiguous: it is a MAC unless it parses completely as
// fields (+ short MAC).
DecodeError decode_extension_fields(std::span<const uint8_t> rest, NtpPacket& out,
                                    bool allow_long_mac) {
  while (!rest.empty()) {
    const size_t n = rest.size();
    if (n == 4 || n == 20 || n == 24) {
      set_mac(rest, out);
      return DecodeError::kOk;
    }
    if (allow_long_mac && out.extension_count == 0 && is_long_v4_mac_size(n)) {
      const uint8_t count = out.extension_count;
      if (decode_extension_fields(rest, out, false) == DecodeError::kOk) return DecodeError::kOk;
      out.extension_count = count;
      out.has_mac = false;
      set_mac(rest, out);
      return DecodeError::kOk;
    }
    if (n < kMinExtensionFieldSize) return DecodeError::kBadMacLength;
    const uint16_t type = load_be16(rest.data());
    const uint16_t length = load_be16(rest.data() + 2);
    if (length < kMinExtensionFieldSize || length % 4 != 0) {
      return DecodeError::kBadExtensionFieldLength;
    }
    if (length > n) return DecodeError::kTruncatedExtensionField;
    if (out.extension_count == kMaxExtensionFields) return DecodeError::kTooManyExtensionFields;
    out.extensions[out.extension_count++] = {type, length, rest.subspan(4, length - 4u)};
    rest = rest.subspan(length);
  }
  return DecodeError::kOk;
}

DecodeError decode_trailer(std::span<const uint8_t> payload, NtpPacket& out) {
  const std::span<const uint8_t> rest = payload.subspan(kNtpHeaderSize);
  if (out.header.version >= 4) return decode_extension_fields(rest, out, true);
  // No extension fields before NTPv4: the whole trailer must be a MAC.
  if (rest.empty()) return DecodeError::kOk;
  if (!is_mac_size(rest.size())) return DecodeError::kBadMacLength;
  set_mac(rest, out);
  return DecodeError::kOk;
}

}  // namespace

DecodeError decode_ntp(std::span<const uint8_t> payload, NtpPacket& out) {
  out.extension_count = 0;
  out.has_mac = false;
  out.mac = {};
  out.is_time_packet = false;
  NtpHeader& h = out.header;
  h = NtpHeader{};  // before any return: a reused record must not keep the last packet's header
  if (payload.empty()) return DecodeError::kNtpTooShort;

  const uint8_t* p = payload.data();
  h.leap = static_cast<LeapIndicator>(p[0] >> 6);
  h.version = static_cast<uint8_t>((p[0] >> 3) & 7);
  h.mode = static_cast<NtpMode>(p[0] & 7);
  if (h.version == 0 || h.version > 4) return DecodeError::kBadNtpVersion;

  if (h.mode == NtpMode::kControl) {
    return payload.size() < kControlHeaderSize ? DecodeError::kNtpTooShort : DecodeError::kOk;
  }
  if (h.mode == NtpMode::kPrivate) {
    return payload.size() < kPrivateHeaderSize ? DecodeError::kNtpTooShort : DecodeError::kOk;
  }
  if (payload.size() < kNtpHeaderSize) return DecodeError::kNtpTooShort;

  out.is_time_packet = true;
  h.stratum = p[1];
  h.poll = static_cast<int8_t>(p[2]);
  h.precision = static_cast<int8_t>(p[3]);
  h.root_delay = NtpShort::from_raw(load_be32(p + 4));
  h.root_dispersion = NtpShort::from_raw(load_be32(p + 8));
  h.reference_id = load_be32(p + 12);
  h.reference = NtpTimestamp::from_raw(load_be64(p + 16));
  h.origin = NtpTimestamp::from_raw(load_be64(p + 24));
  h.receive = NtpTimestamp::from_raw(load_be64(p + 32));
  h.transmit = NtpTimestamp::from_raw(load_be64(p + kNtpTransmitOffset));
  return decode_trailer(payload, out);
}

size_t encode_ntp(std::span<uint8_t> out, const NtpHeader& header, const NtpMac* mac) {
  const size_t mac_size = mac == nullptr ? 0 : kMacKeyIdSize + mac->digest.size();
  if (mac != nullptr && mac->digest.size() > kMaxMacDigestSize) return 0;
  const size_t size = kNtpHeaderSize + mac_size;
  if (out.size() < size) return 0;

  uint8_t* p = out.data();
  p[0] = static_cast<uint8_t>((static_cast<uint8_t>(header.leap) & 3) << 6 |
                              (header.version & 7) << 3 | (static_cast<uint8_t>(header.mode) & 7));
  p[1] = header.stratum;
  p[2] = static_cast<uint8_t>(header.poll);
  p[3] = static_cast<uint8_t>(header.precision);
  store_be32(p + 4, header.root_delay.raw());
  store_be32(p + 8, header.root_dispersion.raw());
  store_be32(p + 12, header.reference_id);
  store_be64(p + 16, header.reference.raw());
  store_be64(p + 24, header.origin.raw());
  store_be64(p + 32, header.receive.raw());
  store_be64(p + kNtpTransmitOffset, header.transmit.raw());
  if (mac != nullptr) {
    store_be32(p + kNtpHeaderSize, mac->key_id);
    std::copy(mac->digest.begin(), mac->digest.end(), p + kNtpHeaderSize + kMacKeyIdSize);
  }
  return size;
}

size_t encode_ntp_extension_field(std::span<uint8_t> out, uint16_t type,
                                  std::span<const uint8_t> value) {
  const size_t size = std::max(kMinExtensionFieldSize, (4 + value.size() + 3) / 4 * 4);
  if (size > kMaxExtensionFieldSize || out.size() < size) return 0;
  store_be16(out.data(), type);
  store_be16(out.data() + 2, static_cast<uint16_t>(size));
  std::copy(value.begin(), value.end(), out.data() + 4);
  std::fill(out.data() + 4 + value.size(), out.data() + size, uint8_t{0});
  return size;
}

}  // namespace wiretime::wire

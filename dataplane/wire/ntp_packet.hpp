// NTP packet (RFC 5905 section 7.3) with RFC 7822 extension fields and the legacy MAC
// trailer. Decoding is zero-copy: spans in the result point into the input buffer, which
// must outlive them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/time/ntp_short.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/decode_error.hpp"
#include "dataplane/wire/kiss_code.hpp"

namespace wiretime::wire {

inline constexpr uint16_t kNtpPort = 123;
inline constexpr size_t kNtpHeaderSize = 48;
inline constexpr size_t kMaxExtensionFields = 8;
inline constexpr size_t kMinExtensionFieldSize = 16;  // RFC 7822 section 3
// Legacy MAC trailer: 4-byte key id + digest. Only key id (4 bytes, key id 0) is a crypto-NAK.
inline constexpr size_t kMacKeyIdSize = 4;
inline constexpr size_t kMaxMacDigestSize = 64;  // SHA512 in NTPv3 (chronyd)

enum class LeapIndicator : uint8_t {
  kNoWarning = 0,
  kInsertSecond = 1,  // last minute of the day has 61 seconds
  kDeleteSecond = 2,  // last minute of the day has 59 seconds
  kUnsynchronized = 3,
};

enum class NtpMode : uint8_t {
  kReserved = 0,
  kSymmetricActive = 1,
  kSymmetricPassive = 2,
  kClient = 3,
  kServer = 4,
  kBroadcast = 5,
  kControl = 6,  // ntpq; different layout, not decoded beyond the first byte
  kPrivate = 7,  // ntpdc; different layout, not decoded beyond the first byte
};

// The 48-byte header, RFC 5905 figure 8. Field names follow the RFC's prose.
struct NtpHeader {
  LeapIndicator leap = LeapIndicator::kNoWarning;
  uint8_t version = 4;
  NtpMode mode = NtpMode::kClient;
  uint8_t stratum = 0;
  int8_t poll = 0;       // log2 seconds
  int8_t precision = 0;  // log2 seconds
  NtpShort root_delay;
  NtpShort root_dispersion;
  uint32_t reference_id = 0;  // host order; ASCII codes read big-endian ("GPS\0" = 0x47505300)
  NtpTimestamp reference;
  NtpTimestamp origin;
  NtpTimestamp receive;
  NtpTimestamp transmit;

  KissCode kiss() const { return kiss_code(stratum, reference_id); }
};

// RFC 7822 extension field. `length` is the field's total size including the 4-byte
// type/length header and padding; `value` is the remaining length - 4 bytes.
struct NtpExtensionField {
  uint16_t type = 0;
  uint16_t length = 0;
  std::span<const uint8_t> value;
};

// Legacy MAC: key id and digest (16 bytes MD5/CMAC, 20 SHA-1 or truncated v4, up to 64 SHA512), or
// a crypto-NAK (digest empty; key id 0 per RFC 5905, but any key id is reported as seen).
struct NtpMac {
  uint32_t key_id = 0;
  std::span<const uint8_t> digest;
  bool is_crypto_nak() const { return digest.empty(); }
};

struct NtpPacket {
  NtpHeader header;
  // False for modes 6 and 7: only leap/version/mode of `header` are meaningful, there is no
  // time information, and the dataplane should count and drop the packet.
  bool is_time_packet = true;
  uint8_t extension_count = 0;
  std::array<NtpExtensionField, kMaxExtensionFields> extensions{};
  bool has_mac = false;
  NtpMac mac;

  std::span<const NtpExtensionField> extension_fields() const {
    return {extensions.data(), extension_count};
  }
};

// Decodes an NTP UDP payload.
// - Versions 1-4 are accepted; mode 6/7 packets yield is_time_packet = false.
// - The trailer after 48 bytes follows RFC 7822 section 7: for version 4, a remainder of
//   exactly 4, 20 or 24 bytes is a MAC; otherwise extension fields are walked (each >= 16
//   bytes, a multiple of 4, within the packet) until the remainder is empty or has MAC size
//   (4, 20, 24; right after the header also 32, 36, 52 or 68 bytes when those bytes do not
//   form extension fields: an untruncated long MAC). Versions 1-3 have no extension fields:
//   the whole trailer must be a MAC (4 bytes, or 20-68 in whole words: chronyd sends SHA256,
//   SHA384 and SHA512 digests untruncated in NTPv3).
// On a trailer error (extension/MAC reasons) `out.header` is still filled, so tools can show
// the header of a malformed packet. Never reads outside `payload`. Sets every field of `out`
// but the `extensions` beyond extension_count, so a reused `out` needs no clearing.
DecodeError decode_ntp(std::span<const uint8_t> payload, NtpPacket& out);

// Writes the 48-byte header, then the MAC (key id + digest) when `mac` is given. Returns the
// number of bytes written, or 0 if `out` is too small or the digest is longer than 64 bytes.
size_t encode_ntp(std::span<uint8_t> out, const NtpHeader& header, const NtpMac* mac = nullptr);

// The header of a client (mode 3) request: the one builder every path uses (the control loop
// for the socket backend and the simulator, the DPDK lcore from its command record), so control
// signs exactly what goes on the wire. A client's request carries no claim about its own clock
// (RFC 5905 section 9.1 leaves the fields to the server); LI 3 also keeps us from ever being
// selected by a peer. `transmit` is the cookie (T1 is kept locally); `origin` and `receive` are
// the interleaved fields (zero in basic mode).
inline NtpHeader client_request_header(uint8_t version, int8_t poll, NtpTimestamp transmit,
                                       NtpTimestamp origin, NtpTimestamp receive) {
  NtpHeader header;
  header.leap = LeapIndicator::kUnsynchronized;
  header.version = version;
  header.mode = NtpMode::kClient;
  header.poll = poll;
  header.origin = origin;
  header.receive = receive;
  header.transmit = transmit;
  return header;
}

// Writes one extension field (type, length, value, zero padding to a multiple of 4 and to the
// 16-byte minimum). Returns the field size, or 0 if it does not fit or exceeds 65532 bytes.
size_t encode_ntp_extension_field(std::span<uint8_t> out, uint16_t type,
                                  std::span<const uint8_t> value);

// Byte offset of the transmit timestamp within the NTP header, for in-place stamping.
inline constexpr size_t kNtpTransmitOffset = 40;

}  // namespace wiretime::wire

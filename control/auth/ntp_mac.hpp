// The legacy NTP MAC trailer (RFC 5905 section 7.3, RFC 7822 section 7) as chronyd 4.x writes
// and checks it:
// - the MAC covers every byte before the trailer (header and any extension fields);
// - in NTPv4 packets the digest is truncated to 20 bytes (RFC 7822 limits a v4 MAC to 24 bytes
//   so extension fields parse deterministically), so a SHA256 key yields 20 bytes in v4 and
//   32 in v3;
// - a check accepts min(full length, 20) bytes in a v4 trailer of at most 24 bytes, and
//   min(full length, 64) bytes otherwise (older chronyd sent untruncated v4 MACs);
// - a 4-byte trailer (key id 0) is a crypto-NAK: it is never authentic.
// Runs on the control thread: requests are signed before they go to the dataplane and replies
// are verified when control handles them (control/auth/README.md: the dataplane seam).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "control/auth/key_table.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::auth {

inline constexpr size_t kNtpV4MaxDigestLength = 20;
inline constexpr size_t kNtpMaxDigestLength = 64;
inline constexpr size_t kNtpMinDigestLength = 16;

// Digest length chrony sends for `algorithm` in a packet of NTP `version`.
size_t ntp_digest_length(MacAlgorithm algorithm, uint8_t version);

// A MAC ready to be appended: key id and (truncated) digest.
struct MacTrailer {
  uint32_t key_id = 0;
  std::array<uint8_t, kNtpMaxDigestLength> digest{};
  size_t digest_length = 0;

  std::span<const uint8_t> digest_bytes() const { return {digest.data(), digest_length}; }
  // For wire::encode_ntp (which takes digests up to wire::kMaxMacDigestSize bytes).
  wire::NtpMac as_ntp_mac() const { return {key_id, digest_bytes()}; }
};

enum class SignError : uint8_t { kOk, kUnknownKey, kCrypto };
std::string_view to_string(SignError e);

// MAC of `covered` (the packet bytes before the trailer) with key `key_id`.
SignError sign_ntp(const KeyTable& keys, uint32_t key_id, std::span<const uint8_t> covered,
                   uint8_t version, MacTrailer& out);

// Encodes `header` followed by its MAC with `key_id` into `out` (48 + 4 + digest bytes).
// Returns the length, or 0 when the key is unknown, libcrypto fails or `out` is too small.
size_t encode_authenticated_ntp(std::span<uint8_t> out, const wire::NtpHeader& header,
                                const KeyTable& keys, uint32_t key_id);

// Outcome of checking a received packet's MAC. Every value but kOk means "not authentic".
enum class MacVerdict : uint8_t {
  kOk,
  kMissing,        // no MAC trailer
  kCryptoNak,      // the peer says it could not authenticate us
  kUnexpectedKey,  // authenticated with another key than the one the association uses
  kUnknownKey,     // no key with that id
  kUntrustedKey,   // key known but not trusted
  kBadLength,      // digest length does not match the key type
  kBadDigest,      // wrong digest: wrong secret or altered packet
  kCount,
};
std::string_view to_string(MacVerdict v);

// Checks a MAC trailer against the bytes it covers. `expected_key_id`, when given, is the key
// the association is configured with (chrony requires the reply to use the request's key).
MacVerdict verify_ntp_mac(const KeyTable& keys, std::span<const uint8_t> covered, uint8_t version,
                          uint32_t key_id, std::span<const uint8_t> digest,
                          std::optional<uint32_t> expected_key_id = std::nullopt);

// Same for a whole UDP payload that decode_ntp turned into `packet` (spans into `payload`).
MacVerdict verify_ntp_packet(const KeyTable& keys, std::span<const uint8_t> payload,
                             const wire::NtpPacket& packet,
                             std::optional<uint32_t> expected_key_id = std::nullopt);

// For the dataplane seam, where control sees the decoded header and the MAC but not the
// payload: the header is re-encoded (decode/encode of the 48 bytes is lossless), so this is
// exact for packets without extension fields. `mac` null means no MAC trailer.
MacVerdict verify_ntp_header(const KeyTable& keys, const wire::NtpHeader& header,
                             const wire::NtpMac* mac,
                             std::optional<uint32_t> expected_key_id = std::nullopt);

}  // namespace wiretime::auth

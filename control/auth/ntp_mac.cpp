#include "control/auth/ntp_mac.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "dataplane/auth/mac_digest.hpp"

namespace wiretime::auth {
namespace {

void put_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

size_t ntp_digest_length(MacAlgorithm algorithm, uint8_t version) {
  const size_t limit = version == 4 ? kNtpV4MaxDigestLength : kNtpMaxDigestLength;
  return std::min(full_mac_length(algorithm), limit);
}

std::string_view to_string(SignError e) {
  switch (e) {
    case SignError::kOk:
      return "ok";
    case SignError::kUnknownKey:
      return "unknown key";
    case SignError::kCrypto:
      return "libcrypto failure";
  }
  return "?";
}

SignError sign_ntp(const KeyTable& keys, uint32_t key_id, std::span<const uint8_t> covered,
                   uint8_t version, MacTrailer& out) {
  const SymmetricKey* key = keys.find(key_id);
  if (key == nullptr) return SignError::kUnknownKey;
  std::array<uint8_t, kMaxFullMacLength> full{};
  if (compute_mac(key->algorithm, key->secret, covered, full) == 0) return SignError::kCrypto;
  out.key_id = key_id;
  out.digest_length = ntp_digest_length(key->algorithm, version);
  std::copy_n(full.begin(), out.digest_length, out.digest.begin());
  return SignError::kOk;
}

size_t encode_authenticated_ntp(std::span<uint8_t> out, const wire::NtpHeader& header,
                                const KeyTable& keys, uint32_t key_id) {
  const size_t header_length = wire::encode_ntp(out, header);
  if (header_length == 0) return 0;
  MacTrailer mac;
  if (sign_ntp(keys, key_id, out.first(header_length), header.version, mac) != SignError::kOk)
    return 0;
  const size_t total = header_length + wire::kMacKeyIdSize + mac.digest_length;
  if (out.size() < total) return 0;
  put_be32(out.data() + header_length, key_id);
  std::memcpy(out.data() + header_length + wire::kMacKeyIdSize, mac.digest.data(),
              mac.digest_length);
  return total;
}

std::string_view to_string(MacVerdict v) {
  switch (v) {
    case MacVerdict::kOk:
      return "ok";
    case MacVerdict::kMissing:
      return "MAC missing";
    case MacVerdict::kCryptoNak:
      return "crypto-NAK";
    case MacVerdict::kUnexpectedKey:
      return "unexpected key id";
    case MacVerdict::kUnknownKey:
      return "unknown key";
    case MacVerdict::kUntrustedKey:
      return "untrusted key";
    case MacVerdict::kBadLength:
      return "bad MAC length";
    case MacVerdict::kBadDigest:
      return "bad MAC";
    case MacVerdict::kCount:
      break;
  }
  return "?";
}

MacVerdict verify_ntp_mac(const KeyTable& keys, std::span<const uint8_t> covered, uint8_t version,
                          uint32_t key_id, std::span<const uint8_t> digest,
                          std::optional<uint32_t> expected_key_id) {
  if (digest.empty()) return MacVerdict::kCryptoNak;
  if (expected_key_id && key_id != *expected_key_id) return MacVerdict::kUnexpectedKey;
  const SymmetricKey* key = keys.find(key_id);
  if (key == nullptr) return MacVerdict::kUnknownKey;
  if (!key->trusted) return MacVerdict::kUntrustedKey;
  if (digest.size() < kNtpMinDigestLength || digest.size() > kNtpMaxDigestLength)
    return MacVerdict::kBadLength;
  // chrony's check_symmetric_auth: the 20-byte limit applies to short v4 trailers only.
  const size_t limit = version == 4 && digest.size() <= kNtpV4MaxDigestLength
                           ? kNtpV4MaxDigestLength
                           : kNtpMaxDigestLength;
  if (std::min(full_mac_length(key->algorithm), limit) != digest.size())
    return MacVerdict::kBadLength;
  std::array<uint8_t, kMaxFullMacLength> full{};
  if (compute_mac(key->algorithm, key->secret, covered, full) == 0) return MacVerdict::kBadDigest;
  // Constant time: the comparison must not tell an attacker how many bytes were right.
  return CRYPTO_memcmp(full.data(), digest.data(), digest.size()) == 0 ? MacVerdict::kOk
                                                                       : MacVerdict::kBadDigest;
}

MacVerdict verify_ntp_packet(const KeyTable& keys, std::span<const uint8_t> payload,
                             const wire::NtpPacket& packet,
                             std::optional<uint32_t> expected_key_id) {
  if (!packet.has_mac) return MacVerdict::kMissing;
  const size_t trailer = wire::kMacKeyIdSize + packet.mac.digest.size();
  if (payload.size() < wire::kNtpHeaderSize + trailer) return MacVerdict::kBadLength;
  return verify_ntp_mac(keys, payload.first(payload.size() - trailer), packet.header.version,
                        packet.mac.key_id, packet.mac.digest, expected_key_id);
}

MacVerdict verify_ntp_header(const KeyTable& keys, const wire::NtpHeader& header,
                             const wire::NtpMac* mac, std::optional<uint32_t> expected_key_id) {
  if (mac == nullptr) return MacVerdict::kMissing;
  std::array<uint8_t, wire::kNtpHeaderSize> bytes{};
  if (wire::encode_ntp(bytes, header) != bytes.size()) return MacVerdict::kBadDigest;
  return verify_ntp_mac(keys, bytes, header.version, mac->key_id, mac->digest, expected_key_id);
}

}  // namespace wiretime::auth

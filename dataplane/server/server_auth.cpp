#include "dataplane/server/server_auth.hpp"

#include <algorithm>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

constexpr size_t kMinDigest = 16;    // chrony NTP_MIN_MAC_LENGTH - 4
constexpr size_t kMaxV4Digest = 20;  // chrony NTP_MAX_V4_MAC_LENGTH - 4 (RFC 7822)
constexpr size_t kMaxDigest = 64;    // chrony NTP_MAX_MAC_LENGTH - 4

}  // namespace

std::string_view to_string(AuthFailure f) {
  switch (f) {
    case AuthFailure::kMissing:
      return "no MAC";
    case AuthFailure::kCryptoNak:
      return "crypto-NAK";
    case AuthFailure::kUnknownKey:
      return "unknown key";
    case AuthFailure::kUntrustedKey:
      return "untrusted key";
    case AuthFailure::kBadLength:
      return "bad MAC length";
    case AuthFailure::kBadDigest:
      return "bad digest";
    case AuthFailure::kCount:
      break;
  }
  return "unknown";
}

size_t reply_digest_length(auth::MacAlgorithm algorithm, uint8_t version) {
  return std::min(auth::full_mac_length(algorithm), version == 4 ? kMaxV4Digest : kMaxDigest);
}

AuthCheck ServerAuth::check(const wire::NtpPacket& request, std::span<const uint8_t> payload) {
  if (!request.has_mac) {
    if (table_ != nullptr && table_->required()) return fail(AuthFailure::kMissing);
    AuthCheck c;
    c.ok = true;
    return c;
  }
  const size_t digest = request.mac.digest.size();
  if (digest == 0) return fail(AuthFailure::kCryptoNak);
  const ServerKey* key = table_ != nullptr ? table_->find(request.mac.key_id) : nullptr;
  if (key == nullptr) return fail(AuthFailure::kUnknownKey);
  if (!key->trusted) return fail(AuthFailure::kUntrustedKey);
  // chronyd's check_symmetric_auth + check_auth: the digest must be exactly the truncated
  // length; the long form is accepted in v4 only when the trailer exceeds 24 bytes.
  const bool short_v4 = request.header.version == 4 && digest <= kMaxV4Digest;
  const size_t expected =
      std::min(auth::full_mac_length(key->algorithm), short_v4 ? kMaxV4Digest : kMaxDigest);
  if (digest < kMinDigest || digest != expected) return fail(AuthFailure::kBadLength);
  // The MAC covers the payload up to its trailer (header and extension fields).
  const auto* trailer = request.mac.digest.data() - wire::kMacKeyIdSize;
  if (trailer < payload.data() || trailer > payload.data() + payload.size()) {
    return fail(AuthFailure::kBadLength);  // not decoded from `payload`: a caller bug
  }
  const auto covered = payload.first(static_cast<size_t>(trailer - payload.data()));
  if (!mac_.check(key->algorithm, key->secret_bytes(), covered, request.mac.digest)) {
    return fail(AuthFailure::kBadDigest);
  }
  AuthCheck c;
  c.ok = true;
  c.key = key;
  c.digest_length =
      static_cast<uint8_t>(reply_digest_length(key->algorithm, request.header.version));
  return c;
}

size_t ServerAuth::sign(std::span<uint8_t> ntp, const ServerKey& key, size_t digest_length) {
  const size_t total = wire::kNtpHeaderSize + wire::kMacKeyIdSize + digest_length;
  if (ntp.size() < total) return 0;
  std::array<uint8_t, auth::kMaxFullMacLength> mac{};
  const size_t n =
      mac_.compute(key.algorithm, key.secret_bytes(), ntp.first(wire::kNtpHeaderSize), mac);
  if (n < digest_length) return 0;
  wire::store_be32(ntp.data() + wire::kNtpHeaderSize, key.id);
  std::copy_n(mac.begin(), digest_length, ntp.data() + wire::kNtpHeaderSize + wire::kMacKeyIdSize);
  return total;
}

bool sign_reply_frame(ServerAuth& auth, std::span<uint8_t> frame, size_t udp_offset,
                      const ServerKey& key, size_t digest_length) {
  const size_t ntp = udp_offset + wire::kUdpHeaderSize;
  const size_t trailer = ntp + wire::kNtpHeaderSize;
  const size_t end = trailer + wire::kMacKeyIdSize + digest_length;
  if (frame.size() < end) return false;
  // Old trailer words out of the checksum, new ones in (RFC 1624), as the T3 restamp does.
  uint8_t* udp = frame.data() + udp_offset;
  uint16_t checksum = wire::load_be16(udp + 6);
  std::array<uint8_t, wire::kMacKeyIdSize + kMaxDigest> old{};
  const size_t trailer_size = end - trailer;  // even: 4 + a digest of whole words or 16/20
  std::copy_n(frame.data() + trailer, trailer_size, old.begin());
  if (auth.sign(frame.subspan(ntp, end - ntp), key, digest_length) == 0) return false;
  if (checksum != 0) {  // zero means "no checksum" (IPv4) and must stay so
    for (size_t i = 0; i + 1 < trailer_size; i += 2) {
      checksum = wire::checksum_update16(checksum, wire::load_be16(old.data() + i),
                                         wire::load_be16(frame.data() + trailer + i));
    }
    wire::store_be16(udp + 6, checksum == 0 ? 0xffff : checksum);
  }
  return true;
}

}  // namespace wiretime::server

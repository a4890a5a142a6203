// Symmetric-key authentication of the NTP server (legacy MAC, RFC 5905 section 7.3), matching
// chronyd as a server (ntp_auth.c):
// - a request's MAC covers every byte before it (header and extension fields); it is valid
//   when the key is known and trusted and the digest is exactly min(full length, 20) bytes in
//   an NTPv4 trailer of at most 24 bytes, min(full length, 64) bytes otherwise;
// - the reply is signed with the request's key: min(full, 20) digest bytes in NTPv4, the full
//   digest (up to 64 bytes) in NTPv1-3, so the reply is never larger than the request;
// - a request whose MAC does not check (unknown key, untrusted key, wrong length or digest,
//   a crypto-NAK) gets no reply, as chronyd does. RFC 5905's reference code (appendix A.5.1,
//   fast_xmit) would send a crypto-NAK; chronyd sends none, a client discards one anyway
//   (it is never authentic), and silence gives an attacker no oracle and no reflection;
// - with `ntp authentication enable` a request without a MAC gets no reply either; without
//   it, unauthenticated requests are answered unsigned and a request with a valid MAC is
//   still answered signed (as chronyd and ntpd do: the client asked for it).
// Pure: no DPDK, no clock, no allocation per packet (ServerAuth owns preallocated contexts).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "dataplane/auth/mac_context.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::server {

// Why a request's authentication failed (the "auth failed" outcome, broken down).
enum class AuthFailure : uint8_t {
  kMissing,       // no MAC while `ntp authentication enable` requires one
  kCryptoNak,     // a 4-byte trailer (key id only)
  kUnknownKey,    // key id not configured
  kUntrustedKey,  // configured but not `ntp trusted authentication-keyid`
  kBadLength,     // digest length is not what the key type gives
  kBadDigest,     // wrong digest: wrong secret or altered packet
  kCount,
};
inline constexpr size_t kAuthFailureCount = static_cast<size_t>(AuthFailure::kCount);
std::string_view to_string(AuthFailure f);

// Digest length chronyd writes for `algorithm` in a packet of NTP `version` (RFC 7822: 20
// bytes at most in NTPv4).
size_t reply_digest_length(auth::MacAlgorithm algorithm, uint8_t version);

struct AuthCheck {
  bool ok = false;                              // answer the request
  AuthFailure failure = AuthFailure::kMissing;  // when !ok
  const ServerKey* key = nullptr;               // sign the reply with this key (nullptr: unsigned)
  uint8_t digest_length = 0;                    // the reply's digest length when signed
};

// One per reader thread (an lcore, the socket server): the key table it acquired for the
// current burst and its own MAC contexts.
class ServerAuth {
 public:
  // The burst's table (ServerKeyPublisher::acquire); nullptr = no keys, no requirement.
  void set_table(const ServerKeyTable* table) { table_ = table; }
  const ServerKeyTable* table() const { return table_; }
  bool ok() const { return mac_.ok(); }

  // Checks the MAC of a decoded request. `payload` is the NTP payload `request` was decoded
  // from (its MAC covers payload bytes up to the trailer).
  AuthCheck check(const wire::NtpPacket& request, std::span<const uint8_t> payload);

  // Signs a reply: `ntp` holds the 48-byte header followed by room for the trailer (4 +
  // digest_length bytes); writes key id and digest there. Returns the NTP length (52 +
  // digest_length), or 0 when libcrypto fails.
  size_t sign(std::span<uint8_t> ntp, const ServerKey& key, size_t digest_length);

  // Per-reason failure counts since start (this reader's; relaxed, single writer).
  uint64_t failures(AuthFailure f) const { return failures_[static_cast<size_t>(f)]; }

 private:
  AuthCheck fail(AuthFailure f) {
    ++failures_[static_cast<size_t>(f)];
    AuthCheck c;
    c.failure = f;
    return c;
  }
  const ServerKeyTable* table_ = nullptr;
  auth::MacContext mac_;
  std::array<uint64_t, kAuthFailureCount> failures_{};
};

// Frame-level signing of a reply built by serve_in_place with a MAC placeholder: computes the
// digest over the reply's header, writes it and fixes the UDP checksum. Call after T3 is final.
bool sign_reply_frame(ServerAuth& auth, std::span<uint8_t> frame, size_t udp_offset,
                      const ServerKey& key, size_t digest_length);

}  // namespace wiretime::server

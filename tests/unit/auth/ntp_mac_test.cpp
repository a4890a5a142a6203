#include "control/auth/ntp_mac.hpp"

#include <gtest/gtest.h>

#include <array>

#include "control/auth/auth_status.hpp"
#include "dataplane/auth/mac_digest.hpp"
#include "tests/unit/auth/test_bytes.hpp"

namespace wiretime::auth {
namespace {

using test::bytes_of;
using test::from_hex;

KeyTable sample_keys() {
  KeyTable t;
  EXPECT_EQ(t.add({1, MacAlgorithm::kMd5, bytes_of("crocus"), true}), "");
  EXPECT_EQ(
      t.add({2, MacAlgorithm::kSha1, from_hex("933F62BE1D604E68A81B557F18CFA200483F5B70"), true}),
      "");
  EXPECT_EQ(t.add({3, MacAlgorithm::kSha256, bytes_of("a-sha256-secret"), true}), "");
  EXPECT_EQ(
      t.add({4, MacAlgorithm::kAes128Cmac, from_hex("7EA62AE64D190114D46D5A082F948EC1"), true}),
      "");
  EXPECT_EQ(t.add({5, MacAlgorithm::kSha512, bytes_of("long"), true}), "");
  EXPECT_EQ(t.add({6, MacAlgorithm::kMd5, bytes_of("not-trusted"), false}), "");
  return t;
}

wire::NtpHeader request_header(uint8_t version = 4) {
  wire::NtpHeader h;
  h.leap = wire::LeapIndicator::kUnsynchronized;
  h.version = version;
  h.mode = wire::NtpMode::kClient;
  h.poll = 6;
  h.transmit = NtpTimestamp::from_raw(0x0123456789abcdefULL);
  return h;
}

TEST(NtpDigestLength, Ntpv4TruncatesToTwentyBytes) {
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kMd5, 4), 16u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kSha1, 4), 20u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kSha256, 4), 20u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kSha512, 4), 20u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kAes128Cmac, 4), 16u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kSha256, 3), 32u);
  EXPECT_EQ(ntp_digest_length(MacAlgorithm::kSha512, 3), 64u);
}

TEST(SignNtp, DigestIsThePrefixOfTheFullMac) {
  const KeyTable keys = sample_keys();
  std::array<uint8_t, 48> packet{};
  packet[0] = 0xe3;
  MacTrailer mac;
  ASSERT_EQ(sign_ntp(keys, 3, packet, 4, mac), SignError::kOk);
  std::array<uint8_t, kMaxFullMacLength> full{};
  ASSERT_EQ(compute_mac(MacAlgorithm::kSha256, bytes_of("a-sha256-secret"), packet, full), 32u);
  ASSERT_EQ(mac.digest_length, 20u);
  EXPECT_TRUE(std::equal(full.begin(), full.begin() + 20, mac.digest.begin()));
  EXPECT_EQ(mac.key_id, 3u);
  EXPECT_EQ(sign_ntp(keys, 99, packet, 4, mac), SignError::kUnknownKey);
}

TEST(EncodeAuthenticatedNtp, RoundTripsThroughTheDecoderForEveryKey) {
  const KeyTable keys = sample_keys();
  for (uint32_t id : {1u, 2u, 3u, 4u, 5u}) {
    SCOPED_TRACE(id);
    std::array<uint8_t, 128> buf{};
    const size_t n = encode_authenticated_ntp(buf, request_header(), keys, id);
    const size_t digest = ntp_digest_length(keys.find(id)->algorithm, 4);
    ASSERT_EQ(n, 48 + 4 + digest);
    wire::NtpPacket p;
    ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
    ASSERT_TRUE(p.has_mac);
    EXPECT_EQ(p.mac.key_id, id);
    EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p, id), MacVerdict::kOk);
    EXPECT_EQ(verify_ntp_header(keys, p.header, &p.mac, id), MacVerdict::kOk);

    // Any altered bit of the header is caught.
    buf[47] ^= 1;
    ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
    EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p, id), MacVerdict::kBadDigest);
    buf[47] ^= 1;
    // So is an altered digest.
    buf[n - 1] ^= 0x80;
    ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
    EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p, id), MacVerdict::kBadDigest);
  }
}

TEST(VerifyNtpMac, WrongSecretSameIdFails) {
  const KeyTable keys = sample_keys();
  std::array<uint8_t, 128> buf{};
  const size_t n = encode_authenticated_ntp(buf, request_header(), keys, 4);
  ASSERT_GT(n, 0u);
  KeyTable other;
  ASSERT_EQ(
      other.add({4, MacAlgorithm::kAes128Cmac, from_hex("7EA62AE64D190114D46D5A082F948EC2"), true}),
      "");
  wire::NtpPacket p;
  ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
  EXPECT_EQ(verify_ntp_packet(other, std::span(buf.data(), n), p, 4), MacVerdict::kBadDigest);
}

TEST(VerifyNtpMac, KeyChecks) {
  const KeyTable keys = sample_keys();
  std::array<uint8_t, 128> buf{};
  size_t n = encode_authenticated_ntp(buf, request_header(), keys, 1);
  wire::NtpPacket p;
  ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
  EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p, 2), MacVerdict::kUnexpectedKey);
  EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p), MacVerdict::kOk);
  KeyTable empty;
  EXPECT_EQ(verify_ntp_packet(empty, std::span(buf.data(), n), p), MacVerdict::kUnknownKey);

  // Signing does not care about trust; accepting a reply does.
  n = encode_authenticated_ntp(buf, request_header(), keys, 6);
  ASSERT_EQ(wire::decode_ntp(std::span(buf.data(), n), p), wire::DecodeError::kOk);
  EXPECT_EQ(verify_ntp_packet(keys, std::span(buf.data(), n), p), MacVerdict::kUntrustedKey);
}

TEST(VerifyNtpMac, LengthRulesFollowChrony) {
  const KeyTable keys = sample_keys();
  std::array<uint8_t, 48> packet{};
  packet[0] = 0x24;
  std::array<uint8_t, kMaxFullMacLength> full{};
  ASSERT_EQ(compute_mac(MacAlgorithm::kSha256, bytes_of("a-sha256-secret"), packet, full), 32u);
  const std::span<const uint8_t> f(full);
  // v4: 20 bytes (truncated) or the untruncated 32 older chronyd sent; nothing else.
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 3, f.first(20)), MacVerdict::kOk);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 3, f.first(32)), MacVerdict::kOk);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 3, f.first(16)), MacVerdict::kBadLength);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 3, f.first(28)), MacVerdict::kBadLength);
  // v3: only the full length.
  EXPECT_EQ(verify_ntp_mac(keys, packet, 3, 3, f.first(32)), MacVerdict::kOk);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 3, 3, f.first(20)), MacVerdict::kBadLength);
  // MD5 is 16 bytes whatever the version; a 20-byte MD5 trailer is malformed.
  ASSERT_EQ(compute_mac(MacAlgorithm::kMd5, bytes_of("crocus"), packet, full), 16u);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 1, f.first(16)), MacVerdict::kOk);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 1, f.first(20)), MacVerdict::kBadLength);
  EXPECT_EQ(verify_ntp_mac(keys, packet, 4, 1, f.first(8)), MacVerdict::kBadLength);
}

TEST(VerifyNtpMac, CryptoNakAndMissingMacAreNotAuthentic) {
  const KeyTable keys = sample_keys();
  std::array<uint8_t, 52> nak{};
  nak[0] = 0x24;  // v4 server
  wire::NtpPacket p;
  ASSERT_EQ(wire::decode_ntp(nak, p), wire::DecodeError::kOk);
  ASSERT_TRUE(p.has_mac);
  EXPECT_EQ(verify_ntp_packet(keys, nak, p, 1), MacVerdict::kCryptoNak);
  EXPECT_EQ(verify_ntp_header(keys, p.header, &p.mac, 1), MacVerdict::kCryptoNak);

  ASSERT_EQ(wire::decode_ntp(std::span(nak).first(48), p), wire::DecodeError::kOk);
  EXPECT_EQ(verify_ntp_packet(keys, std::span(nak).first(48), p, 1), MacVerdict::kMissing);
  EXPECT_EQ(verify_ntp_header(keys, p.header, nullptr, 1), MacVerdict::kMissing);
}

TEST(AuthStatusOf, MapsVerdictsForTheEngine) {
  using engine::AuthStatus;
  EXPECT_EQ(auth_status_of(MacVerdict::kBadDigest, false), AuthStatus::kNotRequired);
  EXPECT_EQ(auth_status_of(MacVerdict::kOk, true), AuthStatus::kOk);
  EXPECT_EQ(auth_status_of(MacVerdict::kMissing, true), AuthStatus::kMissing);
  for (auto v : {MacVerdict::kCryptoNak, MacVerdict::kUnexpectedKey, MacVerdict::kUnknownKey,
                 MacVerdict::kUntrustedKey, MacVerdict::kBadLength, MacVerdict::kBadDigest})
    EXPECT_EQ(auth_status_of(v, true), AuthStatus::kFailed) << to_string(v);
}

}  // namespace
}  // namespace wiretime::auth

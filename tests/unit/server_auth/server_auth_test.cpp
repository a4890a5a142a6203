// Server authentication: request MAC checks as chronyd makes them, signed replies, the
// in-place frame path with its UDP checksum, and the key table's publication.
#include "dataplane/server/server_auth.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

using auth::MacAlgorithm;

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

const std::vector<uint8_t> kAscii{'w', 'i', 'r', 'e', 't', 'i', 'm', 'e', '-',
                                  't', 'e', 's', 't', '-', 'k', 'e', 'y'};
const std::vector<uint8_t> kAes128 = from_hex("7ea62ae64d190114d46d5a082f948ec1");
const std::vector<uint8_t> kAes256 =
    from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

struct Alg {
  uint32_t id;
  MacAlgorithm algorithm;
  const std::vector<uint8_t>* secret;
};
const Alg kAlgs[] = {
    {1, MacAlgorithm::kMd5, &kAscii},         {2, MacAlgorithm::kSha1, &kAscii},
    {3, MacAlgorithm::kSha256, &kAscii},      {4, MacAlgorithm::kSha384, &kAscii},
    {5, MacAlgorithm::kSha512, &kAscii},      {6, MacAlgorithm::kHmacSha256, &kAscii},
    {7, MacAlgorithm::kAes128Cmac, &kAes128}, {8, MacAlgorithm::kAes256Cmac, &kAes256},
};

std::vector<ServerKey> all_keys() {
  std::vector<ServerKey> keys;
  for (const Alg& a : kAlgs) keys.push_back(ServerKey{a.id, a.algorithm, true, *a.secret});
  keys.push_back(ServerKey{9, MacAlgorithm::kMd5, false, kAscii});  // configured, not trusted
  return keys;
}

wire::NtpHeader request_header(uint8_t version) {
  wire::NtpHeader h;
  h.leap = wire::LeapIndicator::kUnsynchronized;
  h.version = version;
  h.mode = wire::NtpMode::kClient;
  h.poll = 6;
  h.transmit = NtpTimestamp::from_raw(0x1122334455667788);
  return h;
}

// A request payload signed as chronyd signs it: MAC over everything before the trailer,
// min(full, 20) digest bytes in v4, the full digest before v4.
std::vector<uint8_t> signed_payload(uint8_t version, const Alg& a,
                                    const std::vector<uint8_t>& extension = {},
                                    std::optional<size_t> digest_length = std::nullopt) {
  std::vector<uint8_t> p(wire::kNtpHeaderSize);
  wire::encode_ntp(p, request_header(version));
  p.insert(p.end(), extension.begin(), extension.end());
  auth::MacContext ctx;
  std::array<uint8_t, auth::kMaxFullMacLength> mac{};
  const size_t full = ctx.compute(a.algorithm, *a.secret, p, mac);
  const size_t n = digest_length.value_or(reply_digest_length(a.algorithm, version));
  EXPECT_GE(full, std::min(n, full));
  std::array<uint8_t, 4> id{};
  wire::store_be32(id.data(), a.id);
  p.insert(p.end(), id.begin(), id.end());
  p.insert(p.end(), mac.begin(), mac.begin() + static_cast<long>(std::min(n, full)));
  return p;
}

struct Checked {
  wire::DecodeError decode = wire::DecodeError::kOk;
  AuthCheck check;
};

Checked check(ServerAuth& auth, const std::vector<uint8_t>& payload) {
  Checked c;
  wire::NtpPacket p;
  c.decode = wire::decode_ntp(payload, p);
  if (c.decode == wire::DecodeError::kOk) c.check = auth.check(p, payload);
  return c;
}

class ServerAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { auth.set_table(&table); }
  ServerKeyTable table{all_keys(), false};
  ServerAuth auth;
};

// chronyd's lengths: v4 truncates to 20 bytes (MD5 and CMAC stay 16); before v4 the digest is
// whole (chronyd uses NTPv3 for keys whose digest exceeds 20 bytes: SHA256/384/512).
TEST(ReplyDigestLength, MatchesChronyd) {
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kMd5, 4), 16u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kSha1, 4), 20u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kSha512, 4), 20u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kAes256Cmac, 4), 16u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kSha256, 3), 32u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kSha384, 3), 48u);
  EXPECT_EQ(reply_digest_length(MacAlgorithm::kSha512, 3), 64u);
}

// Independent answer: MD5("wiretime-test-key" || header || extension field) by python3 hashlib.
TEST_F(ServerAuthTest, KnownAnswerRequestWithExtensionField) {
  std::vector<uint8_t> p = from_hex("e3000a20" + std::string(72, '0') + "e9a1b2c3d4e5f607");
  const auto ef = from_hex("12340010000102030405060708090a0b");
  p.insert(p.end(), ef.begin(), ef.end());
  const auto trailer = from_hex("00000001582312bdc774c803028c82db693b7190");
  p.insert(p.end(), trailer.begin(), trailer.end());
  const Checked c = check(auth, p);
  ASSERT_EQ(c.decode, wire::DecodeError::kOk);
  EXPECT_TRUE(c.check.ok);
  ASSERT_NE(c.check.key, nullptr);
  EXPECT_EQ(c.check.key->id, 1u);
  EXPECT_EQ(c.check.digest_length, 16u);
  p[60] ^= 1;  // altered extension field: covered by the MAC
  EXPECT_EQ(check(auth, p).check.failure, AuthFailure::kBadDigest);
}

TEST_F(ServerAuthTest, EveryAlgorithmVerifiesAndSignsInBothVersions) {
  for (const Alg& a : kAlgs) {
    for (uint8_t version : {uint8_t{3}, uint8_t{4}}) {
      SCOPED_TRACE(std::string(auth::to_string(a.algorithm)) + " v" + std::to_string(version));
      const auto request = signed_payload(version, a);
      const Checked c = check(auth, request);
      ASSERT_EQ(c.decode, wire::DecodeError::kOk);
      ASSERT_TRUE(c.check.ok);
      ASSERT_NE(c.check.key, nullptr);
      EXPECT_EQ(c.check.key->id, a.id);
      // The reply, signed the same way, is no longer than the request and verifies.
      std::array<uint8_t, 48 + 4 + 64> reply{};
      wire::NtpHeader h = request_header(version);
      h.mode = wire::NtpMode::kServer;
      ASSERT_EQ(wire::encode_ntp(reply, h), 48u);
      const size_t n = auth.sign(reply, *c.check.key, c.check.digest_length);
      ASSERT_EQ(n, request.size());
      // The reply, as a client decodes it, verifies with the same key.
      wire::NtpPacket p;
      ASSERT_EQ(wire::decode_ntp(std::span(reply).first(n), p), wire::DecodeError::kOk);
      auth::MacContext independent;
      EXPECT_TRUE(
          independent.check(a.algorithm, *a.secret, std::span(reply).first(48), p.mac.digest));
      EXPECT_EQ(p.mac.key_id, a.id);
    }
  }
}

TEST_F(ServerAuthTest, WrongSecretUnknownUntrustedAndTruncated) {
  const Alg wrong{2, MacAlgorithm::kSha1, &kAes128};  // key id 2, another secret
  EXPECT_EQ(check(auth, signed_payload(4, wrong)).check.failure, AuthFailure::kBadDigest);
  const Alg unknown{77, MacAlgorithm::kSha1, &kAscii};
  EXPECT_EQ(check(auth, signed_payload(4, unknown)).check.failure, AuthFailure::kUnknownKey);
  const Alg untrusted{9, MacAlgorithm::kMd5, &kAscii};
  EXPECT_EQ(check(auth, signed_payload(4, untrusted)).check.failure, AuthFailure::kUntrustedKey);
  // Truncated: SHA256 in v3 with 20 bytes (chronyd needs all 32); SHA1 v4 with 16 bytes.
  EXPECT_EQ(check(auth, signed_payload(3, kAlgs[2], {}, 20)).check.failure,
            AuthFailure::kBadLength);
  EXPECT_EQ(check(auth, signed_payload(4, kAlgs[1], {}, 16)).check.failure,
            AuthFailure::kBadLength);
  // The long form in v4 (older chronyd): accepted for SHA512 (68-byte trailer).
  const Checked long_v4 = check(auth, signed_payload(4, kAlgs[4], {}, 64));
  ASSERT_EQ(long_v4.decode, wire::DecodeError::kOk);
  EXPECT_TRUE(long_v4.check.ok);
  EXPECT_EQ(long_v4.check.digest_length, 20u);  // the reply is v4: truncated
  // Crypto-NAK in a request.
  std::vector<uint8_t> nak(48);
  wire::encode_ntp(nak, request_header(4));
  nak.insert(nak.end(), {0, 0, 0, 0});
  EXPECT_EQ(check(auth, nak).check.failure, AuthFailure::kCryptoNak);
  EXPECT_EQ(auth.failures(AuthFailure::kBadDigest), 1u);
  EXPECT_EQ(auth.failures(AuthFailure::kUnknownKey), 1u);
  EXPECT_EQ(auth.failures(AuthFailure::kUntrustedKey), 1u);
  EXPECT_EQ(auth.failures(AuthFailure::kBadLength), 2u);
}

TEST_F(ServerAuthTest, AuthenticationEnableRefusesRequestsWithoutMac) {
  std::vector<uint8_t> plain(48);
  wire::encode_ntp(plain, request_header(4));
  Checked c = check(auth, plain);
  EXPECT_TRUE(c.check.ok);  // not required: answered unsigned
  EXPECT_EQ(c.check.key, nullptr);
  ServerKeyTable required(all_keys(), true);
  auth.set_table(&required);
  c = check(auth, plain);
  EXPECT_FALSE(c.check.ok);
  EXPECT_EQ(c.check.failure, AuthFailure::kMissing);
  EXPECT_TRUE(check(auth, signed_payload(4, kAlgs[0])).check.ok);
  // No table at all: a MAC cannot be checked.
  auth.set_table(nullptr);
  EXPECT_EQ(check(auth, signed_payload(4, kAlgs[0])).check.failure, AuthFailure::kUnknownKey);
  EXPECT_TRUE(check(auth, plain).check.ok);
}

// The frame path: the request becomes a signed reply in place, T3 stamped first, then the
// digest written with an incremental UDP checksum fix; the decoder checks the checksums.
TEST_F(ServerAuthTest, InPlaceReplyIsSignedAfterT3WithValidChecksum) {
  for (const Alg& a : kAlgs) {
    for (bool ipv6 : {false, true}) {
      SCOPED_TRACE(std::string(auth::to_string(a.algorithm)) + (ipv6 ? " IPv6" : " IPv4"));
      const uint8_t version = auth::full_mac_length(a.algorithm) > 20 ? 3 : 4;  // as chronyd
      const auto payload = signed_payload(version, a);
      wire::NtpPacket parsed;
      ASSERT_EQ(wire::decode_ntp(payload, parsed), wire::DecodeError::kOk);
      std::vector<uint8_t> frame(256);
      wire::EthernetSpec eth;
      eth.dst = wire::MacAddress{{2, 0, 0, 0, 0, 2}};
      eth.src = wire::MacAddress{{2, 0, 0, 0, 0, 1}};
      ServerSnapshot s;
      s.clock.leap = 0;
      s.clock.stratum = 2;
      s.listen.ipv4_enabled = s.listen.ipv6_enabled = true;
      s.listen.ipv4_all = s.listen.ipv6_all = true;
      ServerInterface itf;
      itf.has_primary_ipv4 = true;
      itf.primary_ipv4 = wire::Ipv4Address{{198, 18, 0, 2}};
      if (ipv6) {
        wire::Ipv6UdpSpec spec;
        spec.eth = eth;
        spec.src_ip =
            wire::Ipv6Address{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
        spec.dst_ip =
            wire::Ipv6Address{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
        spec.src_port = 40000;
        spec.dst_port = 123;
        frame.resize(wire::encode_ipv6_udp(frame, spec, payload));
      } else {
        wire::Ipv4UdpSpec spec;
        spec.eth = eth;
        spec.src_ip = wire::Ipv4Address{{198, 18, 0, 1}};
        spec.dst_ip = itf.primary_ipv4;
        spec.src_port = 40000;
        spec.dst_port = 123;
        frame.resize(wire::encode_ipv4_udp(frame, spec, payload));
      }
      const size_t request_length = frame.size();
      const wire::DecodedFrame d = wire::decode_frame(frame);
      ASSERT_EQ(d.error, wire::DecodeError::kOk);
      const NtpTimestamp t2 = NtpTimestamp::from_parts(3'900'000'000u, 0x40000000);
      const NtpTimestamp t3 = NtpTimestamp::from_parts(3'900'000'000u, 0x50000000);
      const ServeResult r = serve_in_place(frame, d, itf, s, t2, t2, nullptr, nullptr, &auth);
      ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
      ASSERT_TRUE(r.authenticated());
      EXPECT_EQ(r.length, request_length);  // same MAC length, IP options none: same size
      stamp_transmit(frame, r, t3);
      ASSERT_TRUE(sign_reply(frame, r, auth));
      const wire::DecodedFrame reply = wire::decode_frame(std::span(frame).first(r.length));
      ASSERT_EQ(reply.error, wire::DecodeError::kOk);  // checksums verified by the decoder
      ASSERT_TRUE(reply.ntp.has_mac);
      EXPECT_EQ(reply.ntp.header.transmit, t3);
      EXPECT_EQ(reply.ntp.mac.key_id, a.id);
      auth::MacContext independent;
      EXPECT_TRUE(independent.check(a.algorithm, *a.secret, reply.udp_payload.first(48),
                                    reply.ntp.mac.digest));
    }
  }
}

TEST_F(ServerAuthTest, SocketPayloadPathSignsAndRefuses) {
  std::array<uint8_t, 48 + 4 + 64> out{};
  size_t length = 0;
  ServerClockState state;
  const NtpTimestamp t = NtpTimestamp::from_parts(3'900'000'000u, 1);
  const auto request = signed_payload(3, kAlgs[4]);  // SHA512, 68-byte trailer
  EXPECT_EQ(serve_payload(request, out, state, t, t, nullptr, {}, &auth, &length),
            ServeOutcome::kServedBasic);
  EXPECT_EQ(length, 116u);
  wire::NtpPacket p;
  ASSERT_EQ(wire::decode_ntp(std::span(out).first(length), p), wire::DecodeError::kOk);
  auth::MacContext independent;
  EXPECT_TRUE(
      independent.check(MacAlgorithm::kSha512, kAscii, std::span(out).first(48), p.mac.digest));
  const Alg wrong{5, MacAlgorithm::kSha512, &kAes256};
  EXPECT_EQ(serve_payload(signed_payload(3, wrong), out, state, t, t, nullptr, {}, &auth, &length),
            ServeOutcome::kAuthFailed);
  EXPECT_EQ(length, 0u);
  // Without keys, refused.
  EXPECT_EQ(serve_payload(request, out, state, t, t, nullptr, {}, nullptr, &length),
            ServeOutcome::kAuthFailed);
}

TEST(ServerKeyTable, FindsByIdKeepsFirstDuplicate) {
  std::vector<ServerKey> keys{{5, MacAlgorithm::kSha1, true, {1}},
                              {2, MacAlgorithm::kMd5, true, {2}},
                              {5, MacAlgorithm::kMd5, true, {3}}};
  const ServerKeyTable t(keys, false);
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.find(5), nullptr);
  EXPECT_EQ(t.find(5)->algorithm, MacAlgorithm::kSha1);
  EXPECT_EQ(t.find(2)->secret[0], 2);
  EXPECT_EQ(t.find(3), nullptr);
  EXPECT_EQ(t.find(0), nullptr);
}

// Grace period: a replaced table lives until every reader has acquired a later one.
TEST(ServerKeyPublisher, FreesReplacedTablesOnlyAfterEveryReaderMovedOn) {
  ServerKeyPublisher pub;
  const size_t a = pub.register_reader();
  const size_t b = pub.register_reader();
  EXPECT_EQ(pub.acquire(a), nullptr);
  pub.publish(std::make_unique<const ServerKeyTable>(all_keys(), false));
  const ServerKeyTable* first = pub.acquire(a);
  ASSERT_NE(first, nullptr);
  (void)pub.acquire(b);
  pub.publish(std::make_unique<const ServerKeyTable>(all_keys(), true));
  EXPECT_EQ(pub.retired(), 1u);  // a and b may still hold `first`
  EXPECT_TRUE(pub.acquire(a)->required());
  pub.reclaim();
  EXPECT_EQ(pub.retired(), 1u);  // b has not acquired since
  EXPECT_TRUE(pub.acquire(b)->required());
  pub.reclaim();
  EXPECT_EQ(pub.retired(), 0u);
}

// Readers on other threads while control republishes: every table a reader holds stays
// readable until its next acquire (ASan would flag a use after free).
TEST(ServerKeyPublisher, ConcurrentReadersNeverSeeAFreedTable) {
  ServerKeyPublisher pub;
  pub.publish(std::make_unique<const ServerKeyTable>(all_keys(), false));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> reads{0};
  std::vector<std::thread> readers;
  std::vector<size_t> slots;
  for (int i = 0; i < 2; ++i) {
    const size_t slot = pub.register_reader();
    slots.push_back(slot);
    readers.emplace_back([&, slot] {
      while (!stop.load()) {
        const ServerKeyTable* t = pub.acquire(slot);
        for (int k = 0; k < 50; ++k) {
          if (t->find(1) == nullptr || t->find(1)->secret != kAscii) std::abort();
        }
        ++reads;
      }
    });
  }
  // Swaps must overlap the readers' passes, also when the scheduler starts them late.
  const auto wait_for_readers = [&reads] {
    const uint64_t seen = reads.load();
    while (reads.load() < seen + 2) std::this_thread::yield();
  };
  for (int i = 0; i < 2000; ++i) {
    if (i % 100 == 0) wait_for_readers();
    pub.publish(std::make_unique<const ServerKeyTable>(all_keys(), i % 2 == 0));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GE(reads.load(), 40u);
  // The readers' slots, now idle, move on: everything replaced can go.
  for (const size_t slot : slots) (void)pub.acquire(slot);
  pub.reclaim();
  EXPECT_EQ(pub.retired(), 0u);
}

}  // namespace
}  // namespace wiretime::server

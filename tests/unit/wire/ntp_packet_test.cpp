#include "dataplane/wire/ntp_packet.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/wire/hex.hpp"

namespace wiretime::wire {
namespace {

using test::from_hex;

// Payloads from /work/shared/testdata/ntp-pcaps/README.md (tshark decodes alongside).
constexpr const char* kTimeReply =  // tcpdump-ntp-time.pcap frame 2
    "240208e8000000150000095284c707c9dd47fb3a567637c0dd47fff4edb0ccbcdd47fff4ee0f4743dd47fff4ee"
    "1119cf";
constexpr const char* kSha1Client =  // tcpdump-ntp.pcap frame 1: key id 8, 20-byte digest
    "23000020000000000000000000000000000000000000000000000000000000000000000000000000a4b39cd101"
    "fb24bf0000000857ea530f6d74350cc5286bfec1ab8ca747c73584";
constexpr const char* kCryptoNakStep =  // tcpdump-ntp.pcap frame 2: STEP kiss + crypto-NAK
    "e40003e9000000000000005a535445500000000000000000a4b39cd101fb24bfdcf25a3984199119dcf25a3984"
    "1d6dc500000000";
constexpr const char* kMd5Server =  // tcpdump-ntp.pcap frame 8: key id 8, 16-byte digest
    "240206e900001dd8000000720a0ba0eedcf2626543ea7409dcf26270cd03ed4fdcf26270cc964bcddcf26270cc"
    "9980b300000008a7005b034ca215fedfa0d798db37ae9e";
constexpr const char* kSymmetricActiveV3 =  // zeek-NTP_sync.pcap frame 3
    "d9000afa000000000001029000000000000000000000000000000000000000000000000000000000c50204ecec"
    "42ee92";
constexpr const char* kMalformed =  // zeek-ntp-no-extensions-mac.pcap: 73 bytes
    "542020202020ffff2020ff20202020202020202020202020202020ff202020ffffffffffff2020202020202"
    "0ffffffffffff2020202020202020202020207fffffff202020ffffff20";
// ntpd-rs-nts-exchange.txt
constexpr const char* kNtsRequest =
    "230004000000000000000000000000000000000000000000000000000000000000000000000000006287db473f"
    "f75f5801040024e4833a8d600e1342435cb29de550acc0f8d8fa16e5c5370a620b155f586adad6020400ac1c"
    "c40a94da3f94a4d12ac2d609f16f7211596a0acefc62d11f283ad108d801b591385d9bf507f90d2182e6812a"
    "58a735dc49c4d3e9b79c72b7f64464f8fc0ded25ea1f7c9b315cd86086fd677490f50e61e6680e290d49770c"
    "ed44d42f2d9ba89f4d5dce4fdd574951495a1f38dbc7ec1b865ba58f231edd76ee1dafdd66b2b2641f03c647"
    "9b429c7ff6596b8244cf67b5a2cd209d39bbe6402bf62045df9550f0387706897912180404002800100010ce"
    "89ee973442bc0f43aace4999bdf58e8fee7b1a2d58af6de9a20e561f7ff06a";
constexpr const char* kNtsResponse =
    "240104e80000000000000060544d4e4ce8494892f929579e6287db473ff75f58e84948b2b640d701e84948b2b6"
    "44bff801040024e4833a8d600e1342435cb29de550acc0f8d8fa16e5c5370a620b155f586adad6040400d400"
    "1000bc6a1de3c26e13eb10c739d70b841fad1b86e230c63e9ea5f71b62a8a79881ce7c6b17cb3132490fdecf"
    "2110564e368892ddeef1f423f6555341c2c9176120a518dc1a7edc5ee3c83b05087b7303f7ab86d52cc7490c"
    "e829397223dcef2d94faf8d71d1280da032dd70469e9ac5f82ef5781d207fbacb4a8b6319114d5f56fb22a0c"
    "b6d7dcf77df02146f67e4601b53b217ca8ac1a4d97d59bceeb9833997f100ed469858bcd735201adec38cf8c"
    "b2c6d0541a9767ddb3ea091d63d98d03dd6e48153dc9b61fe5d91d74ae3548";

NtpPacket decode_ok(const std::vector<uint8_t>& bytes) {
  NtpPacket p;
  EXPECT_EQ(decode_ntp(bytes, p), DecodeError::kOk);
  return p;
}

TEST(NtpPacket, DecodesPlainServerReply) {
  const auto bytes = from_hex(kTimeReply);
  const NtpPacket p = decode_ok(bytes);
  EXPECT_TRUE(p.is_time_packet);
  EXPECT_EQ(p.header.leap, LeapIndicator::kNoWarning);
  EXPECT_EQ(p.header.version, 4);
  EXPECT_EQ(p.header.mode, NtpMode::kServer);
  EXPECT_EQ(p.header.stratum, 2);
  EXPECT_EQ(p.header.poll, 8);
  EXPECT_EQ(p.header.precision, -24);
  EXPECT_EQ(p.header.root_delay.raw(), 0x15u);
  EXPECT_EQ(p.header.root_dispersion.raw(), 0x952u);
  EXPECT_NEAR(p.header.root_dispersion.to_seconds(), 0.036407, 1e-6);
  EXPECT_EQ(p.header.reference_id, 0x84c707c9u);
  EXPECT_EQ(p.header.reference.raw(), 0xdd47fb3a567637c0ull);
  EXPECT_EQ(p.header.origin.raw(), 0xdd47fff4edb0ccbcull);
  EXPECT_EQ(p.header.receive.raw(), 0xdd47fff4ee0f4743ull);
  EXPECT_EQ(p.header.transmit.raw(), 0xdd47fff4ee1119cfull);
  EXPECT_EQ(p.extension_count, 0);
  EXPECT_FALSE(p.has_mac);
  EXPECT_EQ(p.header.kiss(), KissCode::kNone);
}

TEST(NtpPacket, DecodesSha1SizedMac) {
  const auto bytes = from_hex(kSha1Client);
  const NtpPacket p = decode_ok(bytes);
  EXPECT_EQ(p.header.mode, NtpMode::kClient);
  EXPECT_EQ(p.header.precision, 32);
  ASSERT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.key_id, 8u);
  ASSERT_EQ(p.mac.digest.size(), 20u);
  EXPECT_EQ(p.mac.digest[0], 0x57);
  EXPECT_EQ(p.mac.digest[19], 0x84);
  EXPECT_FALSE(p.mac.is_crypto_nak());
}

TEST(NtpPacket, DecodesMd5SizedMac) {
  const NtpPacket p = decode_ok(from_hex(kMd5Server));
  ASSERT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.key_id, 8u);
  EXPECT_EQ(p.mac.digest.size(), 16u);
}

TEST(NtpPacket, DecodesCryptoNakAndStepKiss) {
  const NtpPacket p = decode_ok(from_hex(kCryptoNakStep));
  EXPECT_EQ(p.header.leap, LeapIndicator::kUnsynchronized);
  EXPECT_EQ(p.header.stratum, 0);
  EXPECT_EQ(p.header.poll, 3);
  EXPECT_EQ(p.header.precision, -23);
  EXPECT_EQ(p.header.kiss(), KissCode::kStep);
  ASSERT_TRUE(p.has_mac);
  EXPECT_TRUE(p.mac.is_crypto_nak());
  EXPECT_EQ(p.mac.key_id, 0u);
}

TEST(NtpPacket, DecodesSymmetricActiveV3) {
  const NtpPacket p = decode_ok(from_hex(kSymmetricActiveV3));
  EXPECT_EQ(p.header.version, 3);
  EXPECT_EQ(p.header.mode, NtpMode::kSymmetricActive);
  EXPECT_EQ(p.header.poll, 10);
  EXPECT_EQ(p.header.precision, -6);
  EXPECT_EQ(p.header.root_dispersion.raw(), 0x00010290u);
}

TEST(NtpPacket, DecodesNtsRequestExtensionFields) {
  const auto bytes = from_hex(kNtsRequest);
  ASSERT_EQ(bytes.size(), 296u);
  const NtpPacket p = decode_ok(bytes);
  EXPECT_EQ(p.header.mode, NtpMode::kClient);
  EXPECT_EQ(p.header.poll, 4);
  EXPECT_EQ(p.header.transmit.raw(), 0x6287db473ff75f58ull);
  ASSERT_EQ(p.extension_count, 3);
  EXPECT_EQ(p.extensions[0].type, 0x0104);
  EXPECT_EQ(p.extensions[0].length, 36);
  EXPECT_EQ(p.extensions[0].value.size(), 32u);
  EXPECT_EQ(p.extensions[0].value[0], 0xe4);  // UID starts e4833a8d
  EXPECT_EQ(p.extensions[1].type, 0x0204);
  EXPECT_EQ(p.extensions[1].length, 172);
  EXPECT_EQ(p.extensions[2].type, 0x0404);
  EXPECT_EQ(p.extensions[2].length, 40);
  EXPECT_EQ(p.extensions[2].value.data() + p.extensions[2].value.size(),
            bytes.data() + bytes.size());
  EXPECT_FALSE(p.has_mac);
}

TEST(NtpPacket, DecodesNtsResponse) {
  const auto bytes = from_hex(kNtsResponse);
  ASSERT_EQ(bytes.size(), 296u);
  const NtpPacket p = decode_ok(bytes);
  EXPECT_EQ(p.header.mode, NtpMode::kServer);
  EXPECT_EQ(p.header.stratum, 1);
  EXPECT_EQ(p.header.precision, -24);
  EXPECT_EQ(p.header.root_dispersion.raw(), 0x60u);
  EXPECT_EQ(p.header.reference_id, refid_from_ascii("TMNL"));
  EXPECT_EQ(p.header.origin.raw(), 0x6287db473ff75f58ull);
  EXPECT_EQ(p.header.transmit.raw(), 0xe84948b2b644bff8ull);
  ASSERT_EQ(p.extension_count, 2);
  EXPECT_EQ(p.extensions[0].type, 0x0104);
  EXPECT_EQ(p.extensions[0].length, 36);
  EXPECT_EQ(p.extensions[1].type, 0x0404);
  EXPECT_EQ(p.extensions[1].length, 212);
  EXPECT_EQ(p.extension_fields().size(), 2u);
}

TEST(NtpPacket, ControlAndPrivateModesAreNotTimePackets) {
  // zeek-ntpmode67.pcap frame 1 (mode 6 READSTAT, 12 bytes) and a mode-7 request header.
  NtpPacket p;
  EXPECT_EQ(decode_ntp(from_hex("160100010000000000000000"), p), DecodeError::kOk);
  EXPECT_FALSE(p.is_time_packet);
  EXPECT_EQ(p.header.mode, NtpMode::kControl);
  EXPECT_EQ(p.header.version, 2);
  EXPECT_EQ(decode_ntp(from_hex("1700032a00000000"), p), DecodeError::kOk);
  EXPECT_FALSE(p.is_time_packet);
  EXPECT_EQ(p.header.mode, NtpMode::kPrivate);
  EXPECT_EQ(decode_ntp(from_hex("16010001000000000000"), p), DecodeError::kNtpTooShort);
  EXPECT_EQ(decode_ntp(from_hex("17000300000000"), p), DecodeError::kNtpTooShort);
}

TEST(NtpPacket, EveryVersionAndMode) {
  for (int version = 0; version <= 7; ++version) {
    for (int mode = 0; mode <= 7; ++mode) {
      std::vector<uint8_t> bytes(48, 0);
      bytes[0] = static_cast<uint8_t>(version << 3 | mode);
      NtpPacket p;
      const DecodeError e = decode_ntp(bytes, p);
      if (version == 0 || version > 4) {
        EXPECT_EQ(e, DecodeError::kBadNtpVersion) << version << "/" << mode;
        continue;
      }
      EXPECT_EQ(e, DecodeError::kOk) << version << "/" << mode;
      EXPECT_EQ(static_cast<int>(p.header.mode), mode);
      EXPECT_EQ(p.header.version, version);
      EXPECT_EQ(p.is_time_packet, mode < 6);
    }
  }
}

// The dataplane decodes every frame into one reused record: an empty payload after a full
// packet must not leave that packet's header behind (found by the fuzz target's reuse check).
TEST(NtpPacket, EmptyPayloadClearsAReusedHeader) {
  NtpPacket p = decode_ok(from_hex(kTimeReply));
  ASSERT_EQ(p.header.poll, 8);
  EXPECT_EQ(decode_ntp({}, p), DecodeError::kNtpTooShort);
  EXPECT_EQ(p.header.poll, 0);
  EXPECT_EQ(p.header.stratum, 0);
  EXPECT_EQ(p.header.transmit.raw(), 0u);
  EXPECT_FALSE(p.is_time_packet);
}

TEST(NtpPacket, RejectsShortPackets) {
  NtpPacket p;
  EXPECT_EQ(decode_ntp({}, p), DecodeError::kNtpTooShort);
  const auto bytes = from_hex(kTimeReply);
  for (size_t n = 1; n < 48; ++n) {
    EXPECT_EQ(decode_ntp(std::span(bytes).first(n), p), DecodeError::kNtpTooShort) << n;
  }
}

TEST(NtpPacket, MalformedTrailerKeepsHeader) {
  // NTPv2 with 25 trailing bytes: not a MAC size. tshark still shows the header.
  const auto bytes = from_hex(kMalformed);
  ASSERT_EQ(bytes.size(), 73u);
  NtpPacket p;
  EXPECT_EQ(decode_ntp(bytes, p), DecodeError::kBadMacLength);
  EXPECT_EQ(p.header.leap, LeapIndicator::kInsertSecond);
  EXPECT_EQ(p.header.version, 2);
  EXPECT_EQ(p.header.mode, NtpMode::kServer);
  EXPECT_EQ(p.header.stratum, 32);
  EXPECT_EQ(p.header.root_delay.raw(), 0x2020ffffu);
  EXPECT_EQ(p.header.transmit.raw(), 0x20202020ffffffffull);
}

std::vector<uint8_t> with_trailer(uint8_t version, const std::vector<uint8_t>& trailer) {
  std::vector<uint8_t> bytes(48, 0);
  bytes[0] = static_cast<uint8_t>(version << 3 | 4);
  bytes.insert(bytes.end(), trailer.begin(), trailer.end());
  return bytes;
}

std::vector<uint8_t> ef(uint16_t type, uint16_t length) {
  std::vector<uint8_t> f(length < 4 ? 4 : length, 0xab);
  f[0] = static_cast<uint8_t>(type >> 8);
  f[1] = static_cast<uint8_t>(type);
  f[2] = static_cast<uint8_t>(length >> 8);
  f[3] = static_cast<uint8_t>(length);
  return f;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(NtpPacket, TrailerRules) {
  NtpPacket p;
  // v3: whole trailer is a MAC: the crypto-NAK or key id + 16..64 digest bytes in whole words
  // (chronyd's NTPv3 SHA256/SHA384/SHA512 trailers are 36/52/68 bytes).
  for (size_t n : {4u, 20u, 24u, 28u, 32u, 36u, 52u, 68u}) {
    EXPECT_EQ(decode_ntp(with_trailer(3, std::vector<uint8_t>(n, 0)), p), DecodeError::kOk) << n;
    EXPECT_TRUE(p.has_mac);
    EXPECT_EQ(p.mac.digest.size(), n - 4);
  }
  for (size_t n : {1u, 8u, 16u, 22u, 72u}) {
    EXPECT_EQ(decode_ntp(with_trailer(3, std::vector<uint8_t>(n, 0)), p),
              DecodeError::kBadMacLength)
        << n;
  }
  // v3 never has extension fields, even if the bytes look like one.
  EXPECT_EQ(decode_ntp(with_trailer(3, ef(0x0104, 16)), p), DecodeError::kBadMacLength);

  // v4: extension fields, then optionally a MAC.
  EXPECT_EQ(decode_ntp(with_trailer(4, ef(0x0104, 16)), p), DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 1);
  EXPECT_FALSE(p.has_mac);
  EXPECT_EQ(decode_ntp(with_trailer(4, concat({ef(0x0104, 28), std::vector<uint8_t>(20, 1)})), p),
            DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 1);
  ASSERT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.key_id, 0x01010101u);
  EXPECT_EQ(p.mac.digest.size(), 16u);
  EXPECT_EQ(
      decode_ntp(with_trailer(4, concat({ef(1, 16), ef(2, 32), std::vector<uint8_t>(4, 0)})), p),
      DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 2);
  EXPECT_TRUE(p.mac.is_crypto_nak());
  // 36 bytes: one 36-byte field, or key id + 32-byte digest.
  EXPECT_EQ(decode_ntp(with_trailer(4, ef(0x0204, 36)), p), DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 1);
  EXPECT_FALSE(p.has_mac);
  // A 36-byte remainder that is fields + crypto-NAK, or fields + 20-byte MAC, stays so.
  EXPECT_EQ(decode_ntp(with_trailer(4, concat({ef(2, 16), std::vector<uint8_t>(20, 0)})), p),
            DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 1);
  EXPECT_EQ(p.mac.digest.size(), 16u);
  auto mac36 = std::vector<uint8_t>(36, 0x5a);
  mac36[0] = 0, mac36[1] = 0, mac36[2] = 0, mac36[3] = 7;
  EXPECT_EQ(decode_ntp(with_trailer(4, mac36), p), DecodeError::kOk);
  EXPECT_EQ(p.extension_count, 0);
  EXPECT_EQ(p.mac.key_id, 7u);
  EXPECT_EQ(p.mac.digest.size(), 32u);
  // Untruncated SHA384/SHA512 MACs right after a v4 header (older chronyd), 52 and 68 bytes.
  for (size_t n : {52u, 68u}) {
    auto mac = std::vector<uint8_t>(n, 0x5a);
    mac[0] = 0, mac[1] = 0, mac[2] = 0, mac[3] = 9;
    EXPECT_EQ(decode_ntp(with_trailer(4, mac), p), DecodeError::kOk) << n;
    EXPECT_EQ(p.extension_count, 0);
    EXPECT_EQ(p.mac.key_id, 9u);
    EXPECT_EQ(p.mac.digest.size(), n - 4);
  }
  // 72 or 40 bytes after the header: no long MAC size, and no fields.
  EXPECT_EQ(decode_ntp(with_trailer(4, std::vector<uint8_t>(72, 0x5a)), p),
            DecodeError::kBadExtensionFieldLength);
  EXPECT_EQ(decode_ntp(with_trailer(4, std::vector<uint8_t>(40, 0x5a)), p),
            DecodeError::kBadExtensionFieldLength);

  EXPECT_EQ(decode_ntp(with_trailer(4, std::vector<uint8_t>(8, 0)), p), DecodeError::kBadMacLength);
  EXPECT_EQ(decode_ntp(with_trailer(4, ef(1, 12)), p), DecodeError::kBadMacLength);  // < 16
  EXPECT_EQ(decode_ntp(with_trailer(4, concat({ef(1, 16), ef(2, 18)})), p),
            DecodeError::kBadExtensionFieldLength);
  // After a first field (no long MAC can follow one), a bad field is an error...
  EXPECT_EQ(
      decode_ntp(with_trailer(4, concat({ef(3, 16), ef(1, 16), ef(2, 8), std::vector<uint8_t>(8)})),
                 p),
      DecodeError::kBadExtensionFieldLength);
  // ...while the same 32 bytes right after the header can only be a long MAC (SHA3-224 size):
  // the server's key check refuses it (chronyd drops it as invalid).
  EXPECT_EQ(decode_ntp(with_trailer(4, concat({ef(1, 16), ef(2, 8), std::vector<uint8_t>(8)})), p),
            DecodeError::kOk);
  EXPECT_TRUE(p.has_mac);
  EXPECT_EQ(p.mac.digest.size(), 28u);
  auto truncated = ef(1, 64);
  truncated.resize(40);
  EXPECT_EQ(decode_ntp(with_trailer(4, truncated), p), DecodeError::kTruncatedExtensionField);
  std::vector<uint8_t> many;
  for (int i = 0; i < 9; ++i) many = concat({many, ef(static_cast<uint16_t>(i), 16)});
  EXPECT_EQ(decode_ntp(with_trailer(4, many), p), DecodeError::kTooManyExtensionFields);
  many.resize(8 * 16);
  EXPECT_EQ(decode_ntp(with_trailer(4, many), p), DecodeError::kOk);
  EXPECT_EQ(p.extension_count, kMaxExtensionFields);
}

TEST(NtpPacket, EncodeRoundTrip) {
  NtpHeader h;
  h.leap = LeapIndicator::kDeleteSecond;
  h.version = 4;
  h.mode = NtpMode::kServer;
  h.stratum = 1;
  h.poll = -3;
  h.precision = -24;
  h.root_delay = NtpShort::from_raw(0x00012345);
  h.root_dispersion = NtpShort::from_raw(0x00000060);
  h.reference_id = refid_from_ascii("GPS");
  h.reference = NtpTimestamp::from_raw(0xe8494892f929579eull);
  h.origin = NtpTimestamp::from_raw(0x6287db473ff75f58ull);
  h.receive = NtpTimestamp::from_raw(0xe84948b2b640d701ull);
  h.transmit = NtpTimestamp::from_raw(0xe84948b2b644bff8ull);
  std::array<uint8_t, 100> buf{};
  ASSERT_EQ(encode_ntp(buf, h), 48u);
  NtpPacket p;
  ASSERT_EQ(decode_ntp(std::span(buf).first(48), p), DecodeError::kOk);
  EXPECT_EQ(p.header.leap, h.leap);
  EXPECT_EQ(p.header.mode, h.mode);
  EXPECT_EQ(p.header.stratum, h.stratum);
  EXPECT_EQ(p.header.poll, h.poll);
  EXPECT_EQ(p.header.precision, h.precision);
  EXPECT_EQ(p.header.root_delay, h.root_delay);
  EXPECT_EQ(p.header.root_dispersion, h.root_dispersion);
  EXPECT_EQ(p.header.reference_id, 0x47505300u);
  EXPECT_EQ(p.header.reference, h.reference);
  EXPECT_EQ(p.header.origin, h.origin);
  EXPECT_EQ(p.header.receive, h.receive);
  EXPECT_EQ(p.header.transmit, h.transmit);

  // Re-encoding a captured packet reproduces its bytes exactly, MAC included.
  const auto captured = from_hex(kMd5Server);
  ASSERT_EQ(decode_ntp(captured, p), DecodeError::kOk);
  ASSERT_EQ(encode_ntp(buf, p.header, &p.mac), captured.size());
  EXPECT_TRUE(std::equal(captured.begin(), captured.end(), buf.begin()));
  const auto nak = from_hex(kCryptoNakStep);
  ASSERT_EQ(decode_ntp(nak, p), DecodeError::kOk);
  ASSERT_EQ(encode_ntp(buf, p.header, &p.mac), nak.size());
  EXPECT_TRUE(std::equal(nak.begin(), nak.end(), buf.begin()));
}

TEST(NtpPacket, EncodeRejectsSmallBufferAndLongDigest) {
  std::array<uint8_t, 47> small{};
  EXPECT_EQ(encode_ntp(small, NtpHeader{}), 0u);
  std::array<uint8_t, 65> digest{};  // one past SHA512's 64 bytes
  NtpMac mac{1, digest};
  std::array<uint8_t, 200> buf{};
  EXPECT_EQ(encode_ntp(buf, NtpHeader{}, &mac), 0u);
  NtpMac mac64{1, std::span(digest).first(64)};
  EXPECT_EQ(encode_ntp(buf, NtpHeader{}, &mac64), 116u);
  std::array<uint8_t, 67> one_short{};  // 48 + 4 + 16 = 68 bytes needed
  NtpMac mac16{1, std::span(digest).first(16)};
  EXPECT_EQ(encode_ntp(one_short, NtpHeader{}, &mac16), 0u);
  std::array<uint8_t, 68> fits{};
  EXPECT_EQ(encode_ntp(fits, NtpHeader{}, &mac16), 68u);
}

TEST(NtpPacket, EncodeExtensionFieldPadsAndRoundTrips) {
  std::array<uint8_t, 64> buf{};
  const std::vector<uint8_t> value = {1, 2, 3, 4, 5};
  ASSERT_EQ(encode_ntp_extension_field(buf, 0x0104, value), 16u);  // minimum size
  auto packet = with_trailer(4, std::vector<uint8_t>(buf.begin(), buf.begin() + 16));
  NtpPacket p;
  ASSERT_EQ(decode_ntp(packet, p), DecodeError::kOk);
  ASSERT_EQ(p.extension_count, 1);
  EXPECT_EQ(p.extensions[0].type, 0x0104);
  EXPECT_EQ(p.extensions[0].length, 16);
  EXPECT_EQ(p.extensions[0].value[4], 5);
  EXPECT_EQ(p.extensions[0].value[5], 0);
  const std::vector<uint8_t> value30(30, 7);
  EXPECT_EQ(encode_ntp_extension_field(buf, 1, value30), 36u);  // 34 rounded up
  EXPECT_EQ(encode_ntp_extension_field(std::span(buf).first(35), 1, value30), 0u);
}

}  // namespace
}  // namespace wiretime::wire

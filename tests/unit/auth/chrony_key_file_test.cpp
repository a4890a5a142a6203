#include "control/auth/chrony_key_file.hpp"

#include <gtest/gtest.h>

#include "tests/unit/auth/test_bytes.hpp"

namespace wiretime::auth {
namespace {

using test::bytes_of;
using test::from_hex;

// The example of chrony.conf(5), `keyfile`, plus comments and blank lines.
constexpr const char* kManPageExample =
    "# comment\n"
    "10 tulip\n"
    "11 hyacinth\n"
    "\n"
    "  ; another comment\n"
    "20 MD5 ASCII:crocus\n"
    "25 SHA1 HEX:933F62BE1D604E68A81B557F18CFA200483F5B70\n"
    "30 AES128 HEX:7EA62AE64D190114D46D5A082F948EC1\r\n"
    "\t31\tAES256  HEX:37DDCBC67BB902BCB8E995977FAB4D2B5642F5B32EBCEEE421921D97E5CBFE39\n"
    "40 SHA3-256 HEX:00ff";

TEST(ChronyKeyFile, ParsesTheManPageExample) {
  const auto r = parse_chrony_key_file(kManPageExample);
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].to_string("keys");
  ASSERT_EQ(r.keys.size(), 7u);
  EXPECT_EQ(r.keys[0].id, 10u);
  EXPECT_EQ(r.keys[0].algorithm, MacAlgorithm::kMd5);
  EXPECT_EQ(r.keys[0].secret, bytes_of("tulip"));
  EXPECT_EQ(r.keys[2].id, 20u);
  EXPECT_EQ(r.keys[2].secret, bytes_of("crocus"));
  EXPECT_EQ(r.keys[3].algorithm, MacAlgorithm::kSha1);
  EXPECT_EQ(r.keys[3].secret, from_hex("933F62BE1D604E68A81B557F18CFA200483F5B70"));
  EXPECT_EQ(r.keys[4].algorithm, MacAlgorithm::kAes128Cmac);
  EXPECT_EQ(r.keys[4].secret.size(), 16u);
  EXPECT_EQ(r.keys[5].id, 31u);
  EXPECT_EQ(r.keys[5].algorithm, MacAlgorithm::kAes256Cmac);
  EXPECT_EQ(r.keys[6].algorithm, MacAlgorithm::kSha3_256);
  EXPECT_EQ(r.keys[6].secret, (std::vector<uint8_t>{0x00, 0xff}));
  for (const auto& k : r.keys) EXPECT_TRUE(k.trusted);
}

TEST(ChronyKeyFile, BadLinesAreSkippedWithTheirPosition) {
  const auto r = parse_chrony_key_file(
      "1 MD5 ok\n"
      "2 AES128 HEX:0011\n"   // wrong AES key size
      "3 SHA1 HEX:123\n"      // odd digit count
      "4 SHA1 HEX:zz\n"       // not hex
      "5 md5 secret\n"        // type names are exact
      "6 WHIRLPOOL secret\n"  // not offered
      "x MD5 secret\n"        // id not a number
      "0 MD5 secret\n"        // id 0
      "4294967296 MD5 s\n"    // id out of range
      "7\n"                   // no key
      "8 MD5 a b\n"           // too many words
      "1 SHA1 duplicate\n"    // duplicate id
      "9 HMAC-SHA256 s\n"     // not a chrony type
      "10 SHA256 ASCII:\n");  // empty key
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0].id, 1u);
  EXPECT_EQ(r.keys[0].secret, bytes_of("ok"));
  ASSERT_EQ(r.diagnostics.size(), 13u);
  EXPECT_EQ(r.diagnostics[0].to_string("k"), "k:2:10: AES128 needs a 128-bit key, got 16 bits");
  EXPECT_EQ(r.diagnostics[1].line, 3);
  EXPECT_EQ(r.diagnostics[3].to_string("k"), "k:5:3: unknown or unsupported key type 'md5'");
  EXPECT_EQ(r.diagnostics[5].column, 1);
  EXPECT_EQ(r.diagnostics[6].message, "key id 0 is reserved for the crypto-NAK");
  EXPECT_EQ(r.diagnostics[8].message, "expected 'ID [TYPE] KEY'");
  EXPECT_EQ(r.diagnostics[10].line, 12);
  EXPECT_NE(r.diagnostics[10].message.find("duplicate"), std::string::npos);
  EXPECT_EQ(r.diagnostics[12].line, 14);
}

TEST(ChronyKeyFile, FormattedKeysParseBack) {
  SymmetricKey k{4242, MacAlgorithm::kSha512, from_hex("00a1ff7e"), true};
  EXPECT_EQ(format_chrony_key(k), "4242 SHA512 HEX:00A1FF7E");
  const auto r = parse_chrony_key_file(format_chrony_key(k) + "\n");
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0].id, k.id);
  EXPECT_EQ(r.keys[0].algorithm, k.algorithm);
  EXPECT_EQ(r.keys[0].secret, k.secret);
}

TEST(ChronyKeyFile, MissingFileIsADiagnostic) {
  const auto r = load_chrony_key_file("/nonexistent/wiretime/keys");
  EXPECT_TRUE(r.keys.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace wiretime::auth

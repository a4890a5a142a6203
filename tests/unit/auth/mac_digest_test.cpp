#include "dataplane/auth/mac_digest.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "dataplane/auth/mac_algorithm.hpp"
#include "tests/unit/auth/test_bytes.hpp"

namespace wiretime::auth {
namespace {

using test::bytes_of;
using test::from_hex;
using test::to_hex;

std::string mac_hex(MacAlgorithm a, const std::vector<uint8_t>& key,
                    const std::vector<uint8_t>& data) {
  std::array<uint8_t, kMaxFullMacLength> out{};
  const size_t n = compute_mac(a, key, data, out);
  return to_hex(std::vector<uint8_t>(out.begin(), out.begin() + static_cast<long>(n)));
}

TEST(MacAlgorithm, ChronyNamesAreExactAndRoundTrip) {
  for (auto a : {MacAlgorithm::kMd5, MacAlgorithm::kSha1, MacAlgorithm::kSha256,
                 MacAlgorithm::kSha384, MacAlgorithm::kSha512, MacAlgorithm::kSha3_224,
                 MacAlgorithm::kSha3_256, MacAlgorithm::kSha3_384, MacAlgorithm::kSha3_512,
                 MacAlgorithm::kAes128Cmac, MacAlgorithm::kAes256Cmac, MacAlgorithm::kHmacSha256}) {
    EXPECT_EQ(mac_algorithm_from_name(to_string(a)), a) << to_string(a);
  }
  EXPECT_EQ(to_string(MacAlgorithm::kAes128Cmac), "AES128");
  EXPECT_EQ(mac_algorithm_from_name("md5"), std::nullopt);  // chronyd compares exactly
  EXPECT_EQ(mac_algorithm_from_name("TIGER"), std::nullopt);
  EXPECT_EQ(full_mac_length(MacAlgorithm::kSha3_224), 28u);
  EXPECT_EQ(full_mac_length(MacAlgorithm::kAes256Cmac), 16u);
  EXPECT_EQ(required_key_length(MacAlgorithm::kAes256Cmac), 32u);
  EXPECT_EQ(required_key_length(MacAlgorithm::kSha1), std::nullopt);
}

// The legacy MAC is H(key || data): FIPS 180 / RFC 1321 "abc" vectors split as "a" + "bc".
TEST(ComputeMac, HashIsDigestOfKeyThenData) {
  const auto key = bytes_of("a"), data = bytes_of("bc");
  EXPECT_EQ(mac_hex(MacAlgorithm::kMd5, key, data), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(mac_hex(MacAlgorithm::kSha1, key, data), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(mac_hex(MacAlgorithm::kSha256, key, data),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(mac_hex(MacAlgorithm::kSha3_256, key, data),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

// RFC 4493 section 4, examples 1 and 2.
TEST(ComputeMac, Aes128CmacMatchesRfc4493) {
  const auto key = from_hex("2b7e151628aed2a6abf7158809cf4f3c");
  EXPECT_EQ(mac_hex(MacAlgorithm::kAes128Cmac, key, {}), "bb1d6929e95937287fa37d129b756746");
  EXPECT_EQ(mac_hex(MacAlgorithm::kAes128Cmac, key, from_hex("6bc1bee22e409f96e93d7e117393172a")),
            "070a16b46b4d4144f79bdd9dd04a287c");
}

// RFC 4231 test case 2.
TEST(ComputeMac, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(mac_hex(MacAlgorithm::kHmacSha256, bytes_of("Jefe"),
                    bytes_of("what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ComputeMac, CipherKeyOfWrongSizeFails) {
  std::array<uint8_t, kMaxFullMacLength> out{};
  EXPECT_EQ(compute_mac(MacAlgorithm::kAes128Cmac, from_hex("0011"), bytes_of("x"), out), 0u);
  EXPECT_EQ(compute_mac(MacAlgorithm::kAes256Cmac, std::vector<uint8_t>(16, 1), {}, out), 0u);
}

// Cross-check against the openssl CLI over random packets and keys, as a second implementation
// of the same definitions (`openssl dgst` over key||packet, `openssl mac` for CMAC/HMAC).
class OpensslCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("openssl version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl CLI";
    char dir_template[] = "/tmp/wiretime-auth-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  void write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(dir_ + "/" + name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
  }
  std::string dir_;
};

TEST_F(OpensslCli, EveryAlgorithmAgrees) {
  const auto seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto random_bytes = [&](size_t n) {
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = static_cast<uint8_t>(rng());
    return v;
  };
  struct Case {
    MacAlgorithm algorithm;
    const char* dgst;  // openssl dgst name, or null for MACs
    size_t key_length;
  };
  const Case cases[] = {
      {MacAlgorithm::kMd5, "md5", 20},           {MacAlgorithm::kSha1, "sha1", 20},
      {MacAlgorithm::kSha256, "sha256", 32},     {MacAlgorithm::kSha384, "sha384", 7},
      {MacAlgorithm::kSha512, "sha512", 64},     {MacAlgorithm::kSha3_224, "sha3-224", 16},
      {MacAlgorithm::kSha3_512, "sha3-512", 40}, {MacAlgorithm::kAes128Cmac, nullptr, 16},
      {MacAlgorithm::kAes256Cmac, nullptr, 32},  {MacAlgorithm::kHmacSha256, nullptr, 24},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.algorithm)));
    const auto key = random_bytes(c.key_length);
    const auto packet = random_bytes(48);
    write("packet", packet);
    std::string expected;
    if (c.dgst != nullptr) {
      auto keyed = key;
      keyed.insert(keyed.end(), packet.begin(), packet.end());
      write("keyed", keyed);
      expected = run("openssl dgst -" + std::string(c.dgst) + " -r " + dir_ + "/keyed");
      expected = expected.substr(0, expected.find(' '));
    } else if (c.algorithm == MacAlgorithm::kHmacSha256) {
      expected = run("openssl mac -digest SHA256 -macopt hexkey:" + to_hex(key) + " -in " + dir_ +
                     "/packet HMAC");
    } else {
      const char* cipher = c.algorithm == MacAlgorithm::kAes128Cmac ? "AES-128-CBC" : "AES-256-CBC";
      expected = run("openssl mac -cipher " + std::string(cipher) +
                     " -macopt hexkey:" + to_hex(key) + " -in " + dir_ + "/packet CMAC");
    }
    for (auto& ch : expected) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(mac_hex(c.algorithm, key, packet), expected);
  }
}

}  // namespace
}  // namespace wiretime::auth

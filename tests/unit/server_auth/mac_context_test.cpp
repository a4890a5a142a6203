// The lcore's MAC contexts: known answers computed independently (python3 hashlib/hmac and
// the `openssl mac` CLI, when the test was written), and no allocation per packet.
#include "dataplane/auth/mac_context.hpp"

#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

namespace wiretime::auth {
namespace {

// Counts libcrypto's allocations. Installed before main (libcrypto allocates lazily, on first
// use), so every allocation of this process goes through it.
std::atomic<uint64_t> g_allocations{0};
void* counting_malloc(size_t n, const char*, int) {
  ++g_allocations;
  return std::malloc(n);
}
void* counting_realloc(void* p, size_t n, const char*, int) {
  ++g_allocations;
  return std::realloc(p, n);
}
void counting_free(void* p, const char*, int) {
  std::free(p);
}
const bool g_counting = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, counting_free);

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string to_hex(std::span<const uint8_t> b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

// A v4 client request header (LI 3, v4, mode 3, poll 10, precision -32... as bytes) with a
// transmit cookie.
const std::vector<uint8_t> kHeader =
    from_hex("e3000a20" + std::string(72, '0') + "e9a1b2c3d4e5f607");
const std::vector<uint8_t> kAscii{'w', 'i', 'r', 'e', 't', 'i', 'm', 'e', '-',
                                  't', 'e', 's', 't', '-', 'k', 'e', 'y'};
const std::vector<uint8_t> kAes128 = from_hex("7ea62ae64d190114d46d5a082f948ec1");
const std::vector<uint8_t> kAes256 =
    from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

struct Known {
  MacAlgorithm algorithm;
  const std::vector<uint8_t>* key;
  const char* mac;
};

// python3: hashlib.new(name, key + header).hexdigest(), hmac.new(key, header, sha256);
// openssl mac -cipher AES-128-CBC -macopt hexkey:... -in header.bin CMAC (and AES-256-CBC).
const Known kKnown[] = {
    {MacAlgorithm::kMd5, &kAscii, "83364f49a29d1d337ee49e1c007edc1c"},
    {MacAlgorithm::kSha1, &kAscii, "8cc9a0f88348bb2aa9b657d08bf74a852dd13062"},
    {MacAlgorithm::kSha256, &kAscii,
     "a2e7e7a15a1fc5ed3da870a44e024e98dc7ae7ebb8aee0cc67ff65acd78de971"},
    {MacAlgorithm::kSha384, &kAscii,
     "01a7dcabf41e53f190fd00a66647f61a84ca9d1c7c3037d0f880e95f8f83ec215e29578aec0c0856d1997b8304f9"
     "ac67"},
    {MacAlgorithm::kSha512, &kAscii,
     "8cf0d6306891601d4d66a094926ef121a7f9dd1837e34bc955d972d7f2ec4934e967a826f8502c009e9df144d162"
     "1cc8acbdf827e90aadc5506c63cfb03a3c26"},
    {MacAlgorithm::kHmacSha256, &kAscii,
     "d4e26aaa3d02a8d275d6d11f44081dfbdbfec099f9015d1e3c6bf2e6333064cb"},
    {MacAlgorithm::kAes128Cmac, &kAes128, "7f7106336a006510c744b7be47e0fb2a"},
    {MacAlgorithm::kAes256Cmac, &kAes256, "7ec0b0a8bf4d9f690c3bf7e04e253ed0"},
};

TEST(MacContext, KnownAnswers) {
  MacContext ctx;
  ASSERT_TRUE(ctx.ok());
  for (const Known& k : kKnown) {
    std::array<uint8_t, kMaxFullMacLength> out{};
    // Twice: the reused context must give the same answer.
    for (int i = 0; i < 2; ++i) {
      const size_t n = ctx.compute(k.algorithm, *k.key, kHeader, out);
      ASSERT_EQ(n, full_mac_length(k.algorithm)) << to_string(k.algorithm);
      EXPECT_EQ(to_hex(std::span(out).first(n)), k.mac) << to_string(k.algorithm);
    }
  }
}

TEST(MacContext, CheckComparesThePrefixGiven) {
  MacContext ctx;
  const auto mac = from_hex(kKnown[1].mac);  // SHA1
  EXPECT_TRUE(ctx.check(MacAlgorithm::kSha1, kAscii, kHeader, mac));
  EXPECT_TRUE(ctx.check(MacAlgorithm::kSha1, kAscii, kHeader, std::span(mac).first(16)));
  auto bad = mac;
  bad[19] ^= 1;
  EXPECT_FALSE(ctx.check(MacAlgorithm::kSha1, kAscii, kHeader, bad));
  EXPECT_FALSE(ctx.check(MacAlgorithm::kSha1, kAscii, kHeader, {}));
  // A cipher key of the wrong size computes nothing.
  std::array<uint8_t, kMaxFullMacLength> out{};
  EXPECT_EQ(ctx.compute(MacAlgorithm::kAes128Cmac, kAes256, kHeader, out), 0u);
}

// The lcore's promise: after each context has seen its algorithm once, computing a MAC
// allocates nothing in libcrypto.
TEST(MacContext, NoAllocationPerPacket) {
  if (!g_counting) GTEST_SKIP() << "libcrypto allocated before the counter was installed";
  MacContext ctx;
  std::array<uint8_t, kMaxFullMacLength> out{};
  for (const Known& k : kKnown) ASSERT_NE(ctx.compute(k.algorithm, *k.key, kHeader, out), 0u);
  for (const Known& k : kKnown) {
    const uint64_t before = g_allocations.load();
    for (int i = 0; i < 100; ++i) ASSERT_NE(ctx.compute(k.algorithm, *k.key, kHeader, out), 0u);
    EXPECT_EQ(g_allocations.load() - before, 0u) << to_string(k.algorithm);
  }
  // The counter does count: a context of its own allocates.
  const uint64_t base = g_allocations.load();
  { MacContext other; }
  EXPECT_GT(g_allocations.load(), base);
}

}  // namespace
}  // namespace wiretime::auth

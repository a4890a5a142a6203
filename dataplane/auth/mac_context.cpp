#include "dataplane/auth/mac_context.hpp"

// The low-level MD5/SHA interfaces are deprecated in OpenSSL 3 but work on a caller-owned
// state: no allocation per packet, where EVP_DigestInit_ex2 in OpenSSL 3.0 frees and
// re-creates the provider context at every init (one allocation per MAC, and five for an
// EVP HMAC re-keyed per packet; tests/unit/server_auth counts them).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>

#include "dataplane/auth/evp_fetched.hpp"

namespace wiretime::auth {
namespace {

EVP_MAC_CTX* new_mac_ctx(EVP_MAC* mac, const char* name, const char* value) {
  if (mac == nullptr) return nullptr;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  // OSSL_PARAM takes non-const pointers although it only reads the string.
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(name, const_cast<char*>(value), 0),
                               OSSL_PARAM_construct_end()};
  if (ctx != nullptr && EVP_MAC_CTX_set_params(ctx, params) != 1) {
    EVP_MAC_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

size_t keyed(EVP_MAC_CTX* ctx, std::span<const uint8_t> secret, std::span<const uint8_t> data,
             uint8_t* out) {
  size_t length = 0;
  if (ctx == nullptr || EVP_MAC_init(ctx, secret.data(), secret.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx, out, &length, kMaxFullMacLength) != 1) {
    return 0;
  }
  return length;
}

// H(secret || data) on a stack state.
template <typename Ctx, int (*Init)(Ctx*), int (*Update)(Ctx*, const void*, size_t),
          int (*Final)(unsigned char*, Ctx*)>
size_t legacy_hash(std::span<const uint8_t> a, std::span<const uint8_t> b, uint8_t* out,
                   size_t length) {
  Ctx ctx;
  if (Init(&ctx) != 1 || Update(&ctx, a.data(), a.size()) != 1 ||
      Update(&ctx, b.data(), b.size()) != 1 || Final(out, &ctx) != 1) {
    return 0;
  }
  OPENSSL_cleanse(&ctx, sizeof ctx);
  return length;
}

size_t sha256_of(std::span<const uint8_t> a, std::span<const uint8_t> b, uint8_t* out) {
  return legacy_hash<SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final>(a, b, out, 32);
}

// HMAC-SHA256 (RFC 2104) on the SHA256 state: H((K ^ opad) || H((K ^ ipad) || m)), a key
// longer than the 64-byte block hashed first.
size_t hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> data, uint8_t* out) {
  constexpr size_t kBlock = 64;
  std::array<uint8_t, kBlock> k{};
  if (key.size() > kBlock) {
    if (sha256_of(key, {}, k.data()) == 0) return 0;
  } else {
    std::copy(key.begin(), key.end(), k.begin());
  }
  std::array<uint8_t, kBlock> pad{};
  for (size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<uint8_t>(k[i] ^ 0x36);
  std::array<uint8_t, 32> inner{};
  size_t n = sha256_of(pad, data, inner.data());
  for (size_t i = 0; i < kBlock; ++i) pad[i] = static_cast<uint8_t>(k[i] ^ 0x5c);
  if (n != 0) n = sha256_of(pad, inner, out);
  OPENSSL_cleanse(k.data(), k.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  return n;
}

}  // namespace

MacContext::MacContext() {
  const EvpFetched& f = evp_fetched();
  md_ = EVP_MD_CTX_new();
  cmac128_ = new_mac_ctx(f.cmac, OSSL_MAC_PARAM_CIPHER, "AES-128-CBC");
  cmac256_ = new_mac_ctx(f.cmac, OSSL_MAC_PARAM_CIPHER, "AES-256-CBC");
  ok_ = md_ != nullptr && cmac128_ != nullptr && cmac256_ != nullptr;
  for (const EVP_MD* md : f.digests) ok_ = ok_ && md != nullptr;
}

MacContext::~MacContext() {
  EVP_MD_CTX_free(md_);
  EVP_MAC_CTX_free(cmac128_);
  EVP_MAC_CTX_free(cmac256_);
}

size_t MacContext::compute(MacAlgorithm algorithm, std::span<const uint8_t> secret,
                           std::span<const uint8_t> data,
                           std::span<uint8_t, kMaxFullMacLength> out) {
  if (!ok_) return 0;
  if (const auto need = required_key_length(algorithm); need && secret.size() != *need) return 0;
  size_t length = 0;
  switch (algorithm) {
    case MacAlgorithm::kAes128Cmac:
      length = keyed(cmac128_, secret, data, out.data());
      break;
    case MacAlgorithm::kAes256Cmac:
      length = keyed(cmac256_, secret, data, out.data());
      break;
    case MacAlgorithm::kHmacSha256:
      length = hmac_sha256(secret, data, out.data());
      break;
    case MacAlgorithm::kMd5:
      length = legacy_hash<MD5_CTX, MD5_Init, MD5_Update, MD5_Final>(secret, data, out.data(), 16);
      break;
    case MacAlgorithm::kSha1:
      length =
          legacy_hash<SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final>(secret, data, out.data(), 20);
      break;
    case MacAlgorithm::kSha256:
      length = sha256_of(secret, data, out.data());
      break;
    case MacAlgorithm::kSha384:
      length = legacy_hash<SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final>(secret, data,
                                                                                 out.data(), 48);
      break;
    case MacAlgorithm::kSha512:
      length = legacy_hash<SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final>(secret, data,
                                                                                 out.data(), 64);
      break;
    default: {
      // SHA3 has no low-level interface: EVP, which allocates once per MAC in OpenSSL 3.0.
      unsigned int n = 0;
      const EVP_MD* md = evp_fetched().digests[static_cast<size_t>(algorithm)];
      if (EVP_DigestInit_ex2(md_, md, nullptr) == 1 &&
          EVP_DigestUpdate(md_, secret.data(), secret.size()) == 1 &&
          EVP_DigestUpdate(md_, data.data(), data.size()) == 1 &&
          EVP_DigestFinal_ex(md_, out.data(), &n) == 1) {
        length = n;
      }
      break;
    }
  }
  return length == full_mac_length(algorithm) ? length : 0;
}

bool MacContext::check(MacAlgorithm algorithm, std::span<const uint8_t> secret,
                       std::span<const uint8_t> data, std::span<const uint8_t> received) {
  std::array<uint8_t, kMaxFullMacLength> mac{};
  const size_t n = compute(algorithm, secret, data, mac);
  if (n == 0 || received.empty() || received.size() > n) return false;
  return CRYPTO_memcmp(mac.data(), received.data(), received.size()) == 0;
}

}  // namespace wiretime::auth

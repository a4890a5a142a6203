#include "dataplane/auth/mac_digest.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>

namespace wiretime::auth {
namespace {

// Fetched once: EVP_MD_fetch/EVP_MAC_fetch look up providers and are the costly part of a
// one-packet MAC. Fetched objects are immutable and safe to share between threads.
struct Fetched {
  std::array<EVP_MD*, 9> digests{};
  EVP_MAC* cmac = nullptr;
  EVP_MAC* hmac = nullptr;

  Fetched() {
    static constexpr std::array<const char*, 9> kNames{"MD5",      "SHA1",     "SHA256",
                                                       "SHA384",   "SHA512",   "SHA3-224",
                                                       "SHA3-256", "SHA3-384", "SHA3-512"};
    for (size_t i = 0; i < kNames.size(); ++i)
      digests[i] = EVP_MD_fetch(nullptr, kNames[i], nullptr);
    cmac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
    hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  }
  ~Fetched() {
    for (EVP_MD* md : digests) EVP_MD_free(md);
    EVP_MAC_free(cmac);
    EVP_MAC_free(hmac);
  }
  Fetched(const Fetched&) = delete;
  Fetched& operator=(const Fetched&) = delete;
};

const Fetched& fetched() {
  static const Fetched f;
  return f;
}

size_t hash_mac(const EVP_MD* md, std::span<const uint8_t> secret, std::span<const uint8_t> data,
                uint8_t* out) {
  if (md == nullptr) return 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &length) != 1)
    return 0;
  return length;
}

size_t keyed_mac(EVP_MAC* mac, const char* param_name, const char* param_value,
                 std::span<const uint8_t> secret, std::span<const uint8_t> data, uint8_t* out) {
  if (mac == nullptr) return 0;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(mac),
                                                                &EVP_MAC_CTX_free);
  // OSSL_PARAM takes non-const pointers although it only reads the string here.
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(param_name, const_cast<char*>(param_value), 0),
      OSSL_PARAM_construct_end()};
  size_t length = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), secret.data(), secret.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &length, kMaxFullMacLength) != 1)
    return 0;
  return length;
}

}  // namespace

size_t compute_mac(MacAlgorithm algorithm, std::span<const uint8_t> secret,
                   std::span<const uint8_t> data, std::span<uint8_t, kMaxFullMacLength> out) {
  const Fetched& f = fetched();
  if (const auto need = required_key_length(algorithm); need && secret.size() != *need) return 0;
  size_t length = 0;
  switch (algorithm) {
    case MacAlgorithm::kAes128Cmac:
      length = keyed_mac(f.cmac, OSSL_MAC_PARAM_CIPHER, "AES-128-CBC", secret, data, out.data());
      break;
    case MacAlgorithm::kAes256Cmac:
      length = keyed_mac(f.cmac, OSSL_MAC_PARAM_CIPHER, "AES-256-CBC", secret, data, out.data());
      break;
    case MacAlgorithm::kHmacSha256:
      length = keyed_mac(f.hmac, OSSL_MAC_PARAM_DIGEST, "SHA256", secret, data, out.data());
      break;
    default:
      length = hash_mac(f.digests[static_cast<size_t>(algorithm)], secret, data, out.data());
      break;
  }
  return length == full_mac_length(algorithm) ? length : 0;
}

}  // namespace wiretime::auth

#include "dataplane/auth/mac_digest.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>

#include "dataplane/auth/evp_fetched.hpp"

namespace wiretime::auth {
namespace {

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
  const EvpFetched& f = evp_fetched();
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

#include "dataplane/auth/evp_fetched.hpp"

namespace wiretime::auth {

EvpFetched::EvpFetched() {
  static constexpr std::array<const char*, 9> kNames{
      "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    digests[i] = EVP_MD_fetch(nullptr, kNames[i], nullptr);
  }
  cmac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
}

EvpFetched::~EvpFetched() {
  for (EVP_MD* md : digests) EVP_MD_free(md);
  EVP_MAC_free(cmac);
  EVP_MAC_free(hmac);
}

const EvpFetched& evp_fetched() {
  static const EvpFetched f;
  return f;
}

}  // namespace wiretime::auth

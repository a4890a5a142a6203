// The OpenSSL algorithm objects every MAC uses, fetched once per process: provider look-ups
// (EVP_MD_fetch/EVP_MAC_fetch) are the costly part of a one-packet MAC, and fetched objects are
// immutable and safe to share between threads. Internal to dataplane/auth.
#pragma once

#include <openssl/evp.h>

#include <array>

namespace wiretime::auth {

struct EvpFetched {
  // Indexed by MacAlgorithm's digest order: MD5, SHA1, SHA256, SHA384, SHA512, SHA3-224..512.
  std::array<EVP_MD*, 9> digests{};
  EVP_MAC* cmac = nullptr;
  EVP_MAC* hmac = nullptr;

  EvpFetched();
  ~EvpFetched();
  EvpFetched(const EvpFetched&) = delete;
  EvpFetched& operator=(const EvpFetched&) = delete;
};

const EvpFetched& evp_fetched();

}  // namespace wiretime::auth

// Per-thread MAC state, allocated once and reused for every packet, so an lcore computes and
// checks MACs without allocating (compute_mac() in mac_digest.hpp allocates a context per
// call and is meant for the control thread). MD5/SHA1/SHA2 and HMAC-SHA256 run on libcrypto's
// low-level hash states on the stack (OpenSSL 3.0's EVP re-creates its provider context at
// every init); AES-128/256-CMAC use one EVP_MAC_CTX each with the cipher set here, re-keyed per
// packet by EVP_MAC_init (no allocation, tested). SHA3 keys go through EVP and allocate once
// per MAC. Not thread-safe: one MacContext per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/auth/mac_algorithm.hpp"

// Opaque OpenSSL types, so users need no OpenSSL include.
struct evp_md_ctx_st;
struct evp_mac_ctx_st;

namespace wiretime::auth {

class MacContext {
 public:
  MacContext();
  ~MacContext();
  MacContext(const MacContext&) = delete;
  MacContext& operator=(const MacContext&) = delete;

  // False when libcrypto could not give every context (then compute() returns 0).
  bool ok() const { return ok_; }

  // The full-length MAC of `data` with `secret`, as compute_mac() defines it. Returns
  // full_mac_length(algorithm), or 0 on failure (cipher key of the wrong size, libcrypto).
  size_t compute(MacAlgorithm algorithm, std::span<const uint8_t> secret,
                 std::span<const uint8_t> data, std::span<uint8_t, kMaxFullMacLength> out);

  // True when the first `received.size()` bytes of the MAC equal `received` (constant time).
  // The caller decides which lengths are acceptable.
  bool check(MacAlgorithm algorithm, std::span<const uint8_t> secret, std::span<const uint8_t> data,
             std::span<const uint8_t> received);

 private:
  evp_md_ctx_st* md_ = nullptr;
  evp_mac_ctx_st* cmac128_ = nullptr;
  evp_mac_ctx_st* cmac256_ = nullptr;
  bool ok_ = false;
};

}  // namespace wiretime::auth

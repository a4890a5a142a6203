// Computes a full-length MAC with OpenSSL libcrypto (EVP / EVP_MAC, OpenSSL 3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/auth/mac_algorithm.hpp"

namespace wiretime::auth {

// H(secret || data) for the hash types (the legacy NTP MAC of RFC 1305/5905 and chrony),
// AES-CMAC(secret, data) for AES128/AES256, HMAC-SHA256(secret, data) for HMAC-SHA256.
// Writes full_mac_length(algorithm) bytes to `out` and returns that length, or 0 when
// libcrypto fails or a cipher key has the wrong size. Thread-safe.
size_t compute_mac(MacAlgorithm algorithm, std::span<const uint8_t> secret,
                   std::span<const uint8_t> data, std::span<uint8_t, kMaxFullMacLength> out);

}  // namespace wiretime::auth

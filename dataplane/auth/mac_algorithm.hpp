// The MAC functions a symmetric NTP key can use. Hash types follow chrony's key file (the
// legacy NTP MAC: digest = H(secret || packet)); AES128/AES256 are CMAC (RFC 4493) over the
// packet, as chrony does them; HMAC-SHA256 (RFC 2104) is VRP's `hmac-sha256` mode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace wiretime::auth {

enum class MacAlgorithm : uint8_t {
  kMd5,
  kSha1,
  kSha256,
  kSha384,
  kSha512,
  kSha3_224,
  kSha3_256,
  kSha3_384,
  kSha3_512,
  kAes128Cmac,
  kAes256Cmac,
  kHmacSha256,
};

inline constexpr size_t kMaxFullMacLength = 64;  // SHA512 / SHA3-512

// chrony's key-file type name ("MD5", "SHA3-256", "AES128"); "HMAC-SHA256" for the VRP mode,
// which chrony does not have.
std::string_view to_string(MacAlgorithm algorithm);
// Exact, case-sensitive names as chronyd 4.x accepts them (its key types TIGER and WHIRLPOOL
// are not offered by OpenSSL 3's default provider and are not supported here).
std::optional<MacAlgorithm> mac_algorithm_from_name(std::string_view name);

// Length of the untruncated MAC.
size_t full_mac_length(MacAlgorithm algorithm);
bool is_cmac(MacAlgorithm algorithm);
// A cipher key must have exactly the cipher's key size; hash keys may have any non-zero length.
std::optional<size_t> required_key_length(MacAlgorithm algorithm);

}  // namespace wiretime::auth

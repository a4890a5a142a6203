#include "dataplane/auth/mac_algorithm.hpp"

#include <array>

namespace wiretime::auth {
namespace {

struct AlgorithmInfo {
  MacAlgorithm algorithm;
  std::string_view name;
  size_t length;
};

constexpr std::array<AlgorithmInfo, 12> kAlgorithms{{
    {MacAlgorithm::kMd5, "MD5", 16},
    {MacAlgorithm::kSha1, "SHA1", 20},
    {MacAlgorithm::kSha256, "SHA256", 32},
    {MacAlgorithm::kSha384, "SHA384", 48},
    {MacAlgorithm::kSha512, "SHA512", 64},
    {MacAlgorithm::kSha3_224, "SHA3-224", 28},
    {MacAlgorithm::kSha3_256, "SHA3-256", 32},
    {MacAlgorithm::kSha3_384, "SHA3-384", 48},
    {MacAlgorithm::kSha3_512, "SHA3-512", 64},
    {MacAlgorithm::kAes128Cmac, "AES128", 16},
    {MacAlgorithm::kAes256Cmac, "AES256", 16},
    {MacAlgorithm::kHmacSha256, "HMAC-SHA256", 32},
}};

const AlgorithmInfo& info(MacAlgorithm algorithm) {
  return kAlgorithms[static_cast<size_t>(algorithm)];
}

}  // namespace

std::string_view to_string(MacAlgorithm algorithm) {
  return info(algorithm).name;
}

std::optional<MacAlgorithm> mac_algorithm_from_name(std::string_view name) {
  for (const auto& a : kAlgorithms)
    if (a.name == name) return a.algorithm;
  return std::nullopt;
}

size_t full_mac_length(MacAlgorithm algorithm) {
  return info(algorithm).length;
}

bool is_cmac(MacAlgorithm algorithm) {
  return algorithm == MacAlgorithm::kAes128Cmac || algorithm == MacAlgorithm::kAes256Cmac;
}

std::optional<size_t> required_key_length(MacAlgorithm algorithm) {
  if (algorithm == MacAlgorithm::kAes128Cmac) return 16;
  if (algorithm == MacAlgorithm::kAes256Cmac) return 32;
  return std::nullopt;
}

}  // namespace wiretime::auth

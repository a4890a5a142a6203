#include "control/auth/key_table_from_config.hpp"

namespace wiretime::auth {

MacAlgorithm mac_algorithm_of(config::KeyMode mode) {
  switch (mode) {
    case config::KeyMode::kMd5:
      return MacAlgorithm::kMd5;
    case config::KeyMode::kHmacSha256:
      return MacAlgorithm::kHmacSha256;
    case config::KeyMode::kAes128Cmac:
      return MacAlgorithm::kAes128Cmac;
    case config::KeyMode::kAes256Cmac:
      return MacAlgorithm::kAes256Cmac;
  }
  return MacAlgorithm::kHmacSha256;
}

ConfigKeysResult key_table_from_config(const config::NtpConfig& config) {
  ConfigKeysResult result;
  for (const auto& [id, key] : config.keys) {
    SymmetricKey k;
    k.id = id;
    k.algorithm = mac_algorithm_of(key.mode);
    k.secret.assign(key.secret.begin(), key.secret.end());
    k.trusted = config.trusted_keys.count(id) != 0;
    if (auto why = result.table.add(std::move(k)); !why.empty())
      result.errors.push_back("ntp authentication-keyid " + std::to_string(id) + ": " + why);
  }
  return result;
}

}  // namespace wiretime::auth

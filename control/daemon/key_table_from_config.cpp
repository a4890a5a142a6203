#include "control/daemon/key_table_from_config.hpp"

namespace wiretime::daemon {

auth::MacAlgorithm mac_algorithm_of(config::KeyMode mode) {
  switch (mode) {
    case config::KeyMode::kMd5:
      return auth::MacAlgorithm::kMd5;
    case config::KeyMode::kHmacSha256:
      return auth::MacAlgorithm::kHmacSha256;
    case config::KeyMode::kAes128Cmac:
      return auth::MacAlgorithm::kAes128Cmac;
    case config::KeyMode::kAes256Cmac:
      return auth::MacAlgorithm::kAes256Cmac;
  }
  return auth::MacAlgorithm::kHmacSha256;
}

ConfigKeysResult key_table_from_config(const config::NtpConfig& config) {
  ConfigKeysResult result;
  for (const auto& [id, key] : config.keys) {
    auth::SymmetricKey k;
    k.id = id;
    k.algorithm = mac_algorithm_of(key.mode);
    k.secret.assign(key.secret.begin(), key.secret.end());
    k.trusted = config.trusted_keys.count(id) != 0;
    if (auto why = result.table.add(std::move(k)); !why.empty())
      result.errors.push_back("ntp authentication-keyid " + std::to_string(id) + ": " + why);
  }
  return result;
}

}  // namespace wiretime::daemon

#include "control/auth/key_table.hpp"

#include <openssl/crypto.h>

namespace wiretime::auth {
namespace {

void wipe(SymmetricKey& key) {
  if (!key.secret.empty()) OPENSSL_cleanse(key.secret.data(), key.secret.size());
}

}  // namespace

std::string validate_key(const SymmetricKey& key) {
  if (key.id == 0) return "key id 0 is reserved for the crypto-NAK";
  if (key.secret.empty()) return "empty key";
  if (const auto need = required_key_length(key.algorithm); need && key.secret.size() != *need)
    return std::string(to_string(key.algorithm)) + " needs a " + std::to_string(*need * 8) +
           "-bit key, got " + std::to_string(key.secret.size() * 8) + " bits";
  return {};
}

KeyTable::~KeyTable() {
  for (auto& [id, key] : keys_) wipe(key);
}

std::string KeyTable::add(SymmetricKey key) {
  if (auto why = validate_key(key); !why.empty()) {
    wipe(key);
    return why;
  }
  auto [it, inserted] = keys_.try_emplace(key.id);
  if (!inserted) wipe(it->second);
  it->second = std::move(key);
  return {};
}

bool KeyTable::remove(uint32_t id) {
  auto it = keys_.find(id);
  if (it == keys_.end()) return false;
  wipe(it->second);
  keys_.erase(it);
  return true;
}

const SymmetricKey* KeyTable::find(uint32_t id) const {
  auto it = keys_.find(id);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace wiretime::auth

// The keys the daemon knows, by key id. Built by control from the configuration or a chrony key
// file; read when a request is signed and a reply verified. Secrets are wiped when replaced or
// when the table goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "control/auth/symmetric_key.hpp"

namespace wiretime::auth {

class KeyTable {
 public:
  KeyTable() = default;
  KeyTable(const KeyTable&) = default;
  KeyTable& operator=(const KeyTable&) = default;
  KeyTable(KeyTable&&) = default;
  KeyTable& operator=(KeyTable&&) = default;
  ~KeyTable();

  // Adds or replaces the key with `key.id`. Empty string on success, else why the key is
  // unusable (id 0, empty secret, cipher key of the wrong size); the table is then unchanged.
  std::string add(SymmetricKey key);
  bool remove(uint32_t id);
  const SymmetricKey* find(uint32_t id) const;
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  const std::map<uint32_t, SymmetricKey>& all() const { return keys_; }

 private:
  std::map<uint32_t, SymmetricKey> keys_;
};

// Why a key would be refused by KeyTable::add, or empty.
std::string validate_key(const SymmetricKey& key);

}  // namespace wiretime::auth

#include "dataplane/server/server_keys.hpp"

#include <algorithm>

namespace wiretime::server {

ServerKeyTable::ServerKeyTable(std::vector<ServerKey> keys, bool required)
    : keys_(std::move(keys)), required_(required) {
  std::stable_sort(keys_.begin(), keys_.end(),
                   [](const ServerKey& a, const ServerKey& b) { return a.id < b.id; });
  keys_.erase(std::unique(keys_.begin(), keys_.end(),
                          [](const ServerKey& a, const ServerKey& b) { return a.id == b.id; }),
              keys_.end());
}

ServerKeyTable::~ServerKeyTable() {
  for (ServerKey& k : keys_) {
    // volatile: the wipe of memory about to be freed must not be optimised away.
    volatile uint8_t* p = k.secret.data();
    for (size_t i = 0; i < k.secret.size(); ++i) p[i] = 0;
  }
}

const ServerKey* ServerKeyTable::find(uint32_t id) const {
  const auto it = std::lower_bound(keys_.begin(), keys_.end(), id,
                                   [](const ServerKey& k, uint32_t v) { return k.id < v; });
  return it != keys_.end() && it->id == id ? &*it : nullptr;
}

}  // namespace wiretime::server

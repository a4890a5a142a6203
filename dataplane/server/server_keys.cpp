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

ServerKeyPublisher::ServerKeyPublisher() = default;
ServerKeyPublisher::~ServerKeyPublisher() = default;

size_t ServerKeyPublisher::register_reader() {
  const size_t slot = readers_.fetch_add(1);
  // Past kMaxReaders the last slot is shared; it is only ever a registration-time bug.
  const size_t s = slot < kMaxReaders ? slot : kMaxReaders - 1;
  seen_[s].store(generation_.load(std::memory_order_acquire), std::memory_order_release);
  return s;
}

const ServerKeyTable* ServerKeyPublisher::acquire(size_t reader) {
  // Generation first: a reader that sees generation g sees the table published with g (the
  // writer stores the table before bumping the generation), and records g only after it
  // stopped using the tables it loaded before.
  const uint64_t g = generation_.load(std::memory_order_acquire);
  const ServerKeyTable* table = current_.load(std::memory_order_acquire);
  seen_[reader].store(g, std::memory_order_release);
  return table;
}

void ServerKeyPublisher::publish(std::unique_ptr<const ServerKeyTable> table) {
  current_.store(table.get(), std::memory_order_release);
  const uint64_t g = generation_.fetch_add(1, std::memory_order_acq_rel) + 1;
  // The replaced table may still be held by a reader that loaded a generation below g.
  if (owned_) retired_.emplace_back(g, std::move(owned_));
  owned_ = std::move(table);
  reclaim();
}

void ServerKeyPublisher::reclaim() {
  const size_t n = std::min(readers_.load(std::memory_order_acquire), kMaxReaders);
  uint64_t oldest = UINT64_MAX;
  for (size_t i = 0; i < n; ++i)
    oldest = std::min(oldest, seen_[i].load(std::memory_order_acquire));
  std::erase_if(retired_, [oldest](const auto& r) { return r.first <= oldest; });
}

}  // namespace wiretime::server

// The server's authentication keys as the lcores see them: an immutable table built by control
// (control/daemon/server_keys_publisher.*) and published by pointer swap with a grace period
// (dataplane/rcu/quiescent_publisher.hpp): no lock or allocation on the reader side.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "dataplane/auth/mac_algorithm.hpp"
#include "dataplane/rcu/quiescent_publisher.hpp"

namespace wiretime::server {

struct ServerKey {
  uint32_t id = 0;
  auth::MacAlgorithm algorithm = auth::MacAlgorithm::kMd5;
  bool trusted = true;  // VRP `ntp trusted authentication-keyid`; chrony key-file keys are
  std::vector<uint8_t> secret;
  std::span<const uint8_t> secret_bytes() const { return secret; }
  bool operator==(const ServerKey&) const = default;
};

// Immutable once published.
class ServerKeyTable {
 public:
  // `required`: `ntp authentication enable` - a request without a valid MAC gets no reply.
  ServerKeyTable(std::vector<ServerKey> keys, bool required);
  ~ServerKeyTable();  // wipes the secrets
  ServerKeyTable(const ServerKeyTable&) = delete;
  ServerKeyTable& operator=(const ServerKeyTable&) = delete;

  const ServerKey* find(uint32_t id) const;  // binary search, nullptr when unknown
  bool required() const { return required_; }
  size_t size() const { return keys_.size(); }

 private:
  std::vector<ServerKey> keys_;  // sorted by id, unique ids (the first of duplicates kept)
  bool required_ = false;
};

// The keys reach the lcores by pointer swap with a grace period (rcu/quiescent_publisher.hpp).
using ServerKeyPublisher = rcu::QuiescentPublisher<ServerKeyTable>;

}  // namespace wiretime::server

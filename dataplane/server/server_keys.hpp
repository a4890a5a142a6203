// The server's authentication keys as the lcores see them: an immutable table built by control
// (control/daemon/server_keys_publisher.*) and published by pointer swap, with a grace period
// before an old table is freed (quiescent-state reclamation): each reader records the
// generation it last loaded; a replaced table is freed once every reader has loaded a later
// one. Readers do two atomic loads and one store per burst, never a lock or an allocation.
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

class ServerKeyPublisher {
 public:
  static constexpr size_t kMaxReaders = 16;

  ServerKeyPublisher();
  ~ServerKeyPublisher();
  ServerKeyPublisher(const ServerKeyPublisher&) = delete;
  ServerKeyPublisher& operator=(const ServerKeyPublisher&) = delete;

  // Reader side. A reader (an lcore, the socket server) takes a slot once, before it runs;
  // acquire() returns the current table, valid until the same reader's next acquire().
  // nullptr when nothing was published (no authentication: MACs are refused).
  size_t register_reader();
  const ServerKeyTable* acquire(size_t reader);

  // Writer side (one thread, control): replaces the table and frees the replaced tables no
  // reader can still hold. reclaim() frees them later (call it periodically).
  void publish(std::unique_ptr<const ServerKeyTable> table);
  void reclaim();
  size_t retired() const { return retired_.size(); }  // tables awaiting their grace period

 private:
  std::atomic<const ServerKeyTable*> current_{nullptr};
  std::atomic<uint64_t> generation_{1};
  std::array<std::atomic<uint64_t>, kMaxReaders> seen_{};  // 0: free slot
  std::atomic<size_t> readers_{0};
  std::unique_ptr<const ServerKeyTable> owned_;  // the current table
  std::vector<std::pair<uint64_t, std::unique_ptr<const ServerKeyTable>>> retired_;
};

}  // namespace wiretime::server

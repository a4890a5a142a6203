// An immutable table control builds and the lcores read, published by pointer swap with a
// grace period before a replaced table is freed (quiescent-state reclamation): each reader
// records the generation it last loaded, at a point where it holds no table (the start of its
// pass); a replaced table is freed once every reader has loaded a later generation. Readers do
// two atomic loads and one store per acquire, never a lock or an allocation. Used for the
// server's keys (dataplane/server/server_keys.hpp) and the L3 tables
// (dataplane/l3/network_tables.hpp). Pure.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace wiretime::rcu {

template <typename Table>
class QuiescentPublisher {
 public:
  static constexpr size_t kMaxReaders = 16;

  QuiescentPublisher() = default;
  QuiescentPublisher(const QuiescentPublisher&) = delete;
  QuiescentPublisher& operator=(const QuiescentPublisher&) = delete;

  // Reader side. A reader (an lcore, the socket server) takes a slot once, before it runs;
  // acquire() returns the current table, valid until the same reader's next acquire().
  // nullptr when nothing was published.
  size_t register_reader() {
    const size_t slot = readers_.fetch_add(1);
    // Past kMaxReaders the last slot is shared; it is only ever a registration-time bug.
    const size_t s = slot < kMaxReaders ? slot : kMaxReaders - 1;
    seen_[s].store(generation_.load(std::memory_order_acquire), std::memory_order_release);
    return s;
  }
  const Table* acquire(size_t reader) {
    // The generation is recorded before the table is loaded (sequentially consistent): a
    // reader coming back from release() cannot load a table the writer, having read the old
    // record, frees; the table loaded is the one of generation g or a later one, which no
    // reclaim frees while the record says g. The record moves only after the reader stopped
    // using the tables it loaded before.
    const uint64_t g = generation_.load();
    seen_[reader].store(g);
    return current_.load();
  }
  // A reader that reads only now and then (the telemetry thread) holds no table between
  // reads: it does not hold reclamation up meanwhile.
  void release(size_t reader) { seen_[reader].store(UINT64_MAX); }

  // Writer side (one thread, control): replaces the table and frees the replaced tables no
  // reader can still hold. reclaim() frees them later (call it periodically).
  void publish(std::unique_ptr<const Table> table) {
    current_.store(table.get());
    const uint64_t g = generation_.fetch_add(1) + 1;
    // The replaced table may still be held by a reader that loaded a generation below g.
    if (owned_) retired_.emplace_back(g, std::move(owned_));
    owned_ = std::move(table);
    reclaim();
  }
  void reclaim() {
    const size_t n = std::min(readers_.load(std::memory_order_acquire), kMaxReaders);
    uint64_t oldest = UINT64_MAX;
    for (size_t i = 0; i < n; ++i) {
      oldest = std::min(oldest, seen_[i].load());
    }
    std::erase_if(retired_, [oldest](const auto& r) { return r.first <= oldest; });
  }
  // The writer's view of the current table (control thread only).
  const Table* current() const { return owned_.get(); }
  size_t retired() const { return retired_.size(); }  // tables awaiting their grace period

 private:
  std::atomic<const Table*> current_{nullptr};
  std::atomic<uint64_t> generation_{1};
  std::array<std::atomic<uint64_t>, kMaxReaders> seen_{};
  std::atomic<size_t> readers_{0};
  std::unique_ptr<const Table> owned_;  // the current table
  std::vector<std::pair<uint64_t, std::unique_ptr<const Table>>> retired_;
};

}  // namespace wiretime::rcu

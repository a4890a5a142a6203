// A single-producer single-consumer ring of fixed-size records on rte_ring (SP/SC mode, no
// locks, no allocation after creation). Records are copied in and out by value.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

namespace wiretime::dpdk {

template <typename Record>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<Record> && sizeof(Record) % 4 == 0,
                "rte_ring element records must be trivially copyable multiples of 4 bytes");

 public:
  SpscRing() = default;
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;
  ~SpscRing() { rte_ring_free(ring_); }

  // `count` must be a power of two (one slot stays empty). Empty string on success.
  std::string create(const std::string& name, unsigned count) {
    ring_ = rte_ring_create_elem(name.c_str(), sizeof(Record), count,
                                 static_cast<int>(rte_socket_id()), RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (ring_ == nullptr) return "cannot create ring " + name + ": " + rte_strerror(rte_errno);
    return {};
  }

  // Producer side. False when full: the caller counts the drop.
  bool push(const Record& r) {
    return rte_ring_sp_enqueue_elem(ring_, const_cast<Record*>(&r), sizeof(Record)) == 0;
  }
  // Any thread: records waiting (a racy but consistent-enough read of the two tails), capacity.
  unsigned used() const { return ring_ != nullptr ? rte_ring_count(ring_) : 0; }
  unsigned capacity() const { return ring_ != nullptr ? rte_ring_get_capacity(ring_) : 0; }
  // Consumer side. Returns how many records were written to `out`.
  unsigned pop_burst(Record* out, unsigned n) {
    return rte_ring_sc_dequeue_burst_elem(ring_, out, sizeof(Record), n, nullptr);
  }

 private:
  rte_ring* ring_ = nullptr;
};

}  // namespace wiretime::dpdk

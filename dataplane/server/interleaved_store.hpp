// The server's interleaved-mode memory (RFC 9769): for recent replies, the receive timestamp
// (T2) they carried and the time they actually left (their TX timestamp). A client in
// interleaved mode (chronyd `xleave`) puts our previous T2 in its next request's origin field;
// finding it here lets the reply carry that reply's true TX time instead of a T3 read before
// sending. One table shared by all clients, no per-client state (as chrony keeps one ring of
// 16-byte entries): 16 bytes per entry, a power-of-two number of slots chosen at construction
// (the only allocation), each T2 hashed to one slot, so a newer reply overwrites an older one
// in its slot and a lookup costs one cache line. A lost entry only means a basic reply.
// Pure; written and read by the one lcore that answers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::server {

class InterleavedStore {
 public:
  static constexpr size_t kEntryBytes = 16;
  static constexpr size_t kDefaultEntries = 4096;  // 64 KiB

  // `entries` is rounded up to a power of two (at least 2); 0 disables the store.
  explicit InterleavedStore(size_t entries = kDefaultEntries);

  bool enabled() const { return !slots_.empty(); }
  size_t capacity() const { return slots_.size(); }

  // Remembers that the reply carrying receive timestamp `rx` left at `tx`. A zero `rx` is not
  // stored (zero is "no timestamp" on the wire).
  void save(NtpTimestamp rx, NtpTimestamp tx);
  // A better TX time for the reply that carried `rx` (a kernel's or NIC's stamp of it, learnt
  // after it left): replaces the saved one if the entry is still there, else changes nothing
  // (a later reply has taken its slot). True when replaced.
  bool correct(NtpTimestamp rx, NtpTimestamp tx);
  // The TX time of the reply that carried `rx`, if still remembered.
  std::optional<NtpTimestamp> find(NtpTimestamp rx) const;

 private:
  struct Entry {
    uint64_t rx = 0;
    uint64_t tx = 0;
  };
  size_t slot(uint64_t rx) const;
  std::vector<Entry> slots_;
  size_t mask_ = 0;
};

}  // namespace wiretime::server

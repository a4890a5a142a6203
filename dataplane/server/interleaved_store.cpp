#include "dataplane/server/interleaved_store.hpp"

#include <bit>

namespace wiretime::server {

InterleavedStore::InterleavedStore(size_t entries) {
  if (entries == 0) return;
  const size_t n = std::bit_ceil(entries < 2 ? size_t{2} : entries);
  slots_.resize(n);
  mask_ = n - 1;
}

size_t InterleavedStore::slot(uint64_t rx) const {
  // Fibonacci hashing: T2 values of one burst differ in their low bits only.
  return static_cast<size_t>((rx * 0x9e3779b97f4a7c15ULL) >> 32) & mask_;
}

void InterleavedStore::save(NtpTimestamp rx, NtpTimestamp tx) {
  if (slots_.empty() || rx.is_zero()) return;
  slots_[slot(rx.raw())] = Entry{rx.raw(), tx.raw()};
}

bool InterleavedStore::correct(NtpTimestamp rx, NtpTimestamp tx) {
  if (slots_.empty() || rx.is_zero()) return false;
  Entry& e = slots_[slot(rx.raw())];
  if (e.rx != rx.raw()) return false;
  e.tx = tx.raw();
  return true;
}

std::optional<NtpTimestamp> InterleavedStore::find(NtpTimestamp rx) const {
  if (slots_.empty() || rx.is_zero()) return std::nullopt;
  const Entry& e = slots_[slot(rx.raw())];
  if (e.rx != rx.raw()) return std::nullopt;
  return NtpTimestamp::from_raw(e.tx);
}

}  // namespace wiretime::server

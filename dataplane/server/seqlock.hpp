// A single-writer seqlock for a small trivially copyable value (the server's published state).
// Same protocol as clock::PublishedClock: the writer makes the sequence odd, stores the words,
// makes it even; readers copy the words through relaxed atomics and retry when the sequence
// moved, so no torn value escapes and there is no data race in the C++ sense. Readers never
// write shared memory and never block; the lcore reads once per burst that holds a request.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <type_traits>

namespace wiretime::server {

template <typename T>
class Seqlock {
  static_assert(std::is_trivially_copyable_v<T> && sizeof(T) % 8 == 0,
                "Seqlock<T>: T must be trivially copyable and a multiple of 8 bytes");

 public:
  explicit Seqlock(const T& initial = {}) { store(initial); }

  T read() const {
    for (;;) {
      const uint32_t s1 = seq_.load(std::memory_order_acquire);
      if (s1 & 1u) continue;
      Words buf{};
      for (size_t i = 0; i < kWords; ++i) buf[i] = words_[i].load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == s1) return std::bit_cast<T>(buf);
    }
  }

  // Single writer.
  void store(const T& value) {
    const uint32_t s = seq_.load(std::memory_order_relaxed);
    seq_.store(s + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    const auto buf = std::bit_cast<Words>(value);
    for (size_t i = 0; i < kWords; ++i) words_[i].store(buf[i], std::memory_order_relaxed);
    seq_.store(s + 2, std::memory_order_release);
  }

 private:
  static constexpr size_t kWords = sizeof(T) / 8;
  using Words = std::array<uint64_t, kWords>;
  alignas(64) std::atomic<uint32_t> seq_{0};
  std::array<std::atomic<uint64_t>, kWords> words_{};
};

}  // namespace wiretime::server

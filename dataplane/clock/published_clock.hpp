// Publishes the clock model from the control thread (single writer) to dataplane readers with
// a seqlock: readers never block or write shared memory, and a reader that raced an update
// retries. The model is copied word by word through relaxed atomics, so there is no data race
// in the C++ sense and no torn value can escape the sequence check.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <type_traits>

#include "dataplane/clock/clock_model.hpp"

namespace wiretime::clock {

struct ClockReading {
  uint64_t ticks = 0;
  ClockModel model;
};

class PublishedClock {
 public:
  explicit PublishedClock(const ClockModel& initial = {}) { store(initial); }

  // Last published model. For converting tick values taken earlier (burst timestamps).
  ClockModel read() const {
    for (;;) {
      const uint32_t s1 = seq_.load(std::memory_order_acquire);
      if (s1 & 1u) continue;
      const ClockModel m = load();
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == s1) return m;
    }
  }

  // Reads the tick source inside the read section, so the tick and the model belong together:
  // a reading whose tick is later than the writer's update tick always uses the new model.
  // That is what makes successive readings monotonic across continuous updates.
  template <typename TickSource>
  ClockReading now(TickSource&& read_ticks) const {
    for (;;) {
      const uint32_t s1 = seq_.load(std::memory_order_seq_cst);
      if (s1 & 1u) continue;
      const uint64_t t = read_ticks();
      const ClockModel m = load();
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (seq_.load(std::memory_order_seq_cst) == s1) return {t, m};
    }
  }

  // Single writer. `make_next(current, at_tick)` returns the new model; `at_tick` is read after
  // readers were told an update is in progress, so no reader can hold a later tick with the old
  // model. Continuous updates (with_frequency at at_tick) therefore never run time backwards.
  template <typename TickSource, typename MakeNext>
  ClockModel update(TickSource&& read_ticks, MakeNext&& make_next) {
    const uint32_t s = seq_.load(std::memory_order_relaxed);
    seq_.store(s + 1, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const uint64_t at_tick = read_ticks();
    const ClockModel next = make_next(load(), at_tick);
    store_words(next);
    seq_.store(s + 2, std::memory_order_release);
    return next;
  }

  // Single writer: replace the model outright (start-up, or a step).
  void publish(const ClockModel& m) { store(m); }

 private:
  static constexpr size_t kWords = sizeof(ClockModel) / 8;
  static_assert(std::is_trivially_copyable_v<ClockModel> && sizeof(ClockModel) % 8 == 0);
  using Words = std::array<uint64_t, kWords>;

  void store(const ClockModel& m) {
    const uint32_t s = seq_.load(std::memory_order_relaxed);
    seq_.store(s + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    store_words(m);
    seq_.store(s + 2, std::memory_order_release);
  }
  void store_words(const ClockModel& m) {
    const auto buf = std::bit_cast<Words>(m);
    for (size_t i = 0; i < kWords; ++i) words_[i].store(buf[i], std::memory_order_relaxed);
  }
  ClockModel load() const {
    Words buf{};
    for (size_t i = 0; i < kWords; ++i) buf[i] = words_[i].load(std::memory_order_relaxed);
    return std::bit_cast<ClockModel>(buf);
  }

  // Own cache line: readers on other cores poll it on every burst.
  alignas(64) std::atomic<uint32_t> seq_{0};
  std::array<std::atomic<uint64_t>, kWords> words_{};
};

}  // namespace wiretime::clock

#include "dataplane/clock/published_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace wiretime::clock {
namespace {

constexpr UnixNanos kStart = 1'795'000'000LL * 1'000'000'000;

TEST(PublishedClock, ReadReturnsWhatWasPublished) {
  PublishedClock pc(ClockModel::from_rate(0, kStart, 1e9));
  EXPECT_EQ(pc.read().utc_nanos(10), kStart + 10);
  pc.publish(ClockModel::from_rate(0, kStart + 5, 1e9));
  EXPECT_EQ(pc.read().utc_nanos(10), kStart + 15);
}

// A shared counter stands in for the TSC: every read advances it, so readers and the writer
// see one total order of ticks, as they do with a constant-rate invariant TSC.
TEST(PublishedClock, ConcurrentReadersSeeNoTornOrBackwardTimeDuringSlews) {
  std::atomic<uint64_t> counter{0};
  auto ticks = [&] { return counter.fetch_add(7, std::memory_order_seq_cst); };
  PublishedClock pc(ClockModel::from_rate(0, kStart, 1e9));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> violations{0};
  std::atomic<uint64_t> reads{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      clock::Fixed last = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const ClockReading now = pc.now(ticks);
        const clock::Fixed v = now.model.utc_fixed(now.ticks);
        // A torn model would map to a wildly wrong value; a race would run time backwards.
        const UnixNanos ns = now.model.utc_nanos(now.ticks);
        if (v < last || ns < kStart || ns > kStart + 1'000'000'000'000LL) {
          violations.fetch_add(1);
        }
        last = v;
        reads.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  // Alternate slews of +-500 ppm, the discipline's limit, as fast as possible.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  int updates = 0;
  while (std::chrono::steady_clock::now() < deadline && updates < 2'000'000) {
    const double ppb = (updates % 2 == 0) ? 500'000.0 : -500'000.0;
    pc.update(ticks, [&](const ClockModel& m, uint64_t at) { return m.with_frequency(at, ppb); });
    ++updates;
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(updates, 100);
  EXPECT_GT(reads.load(), 1000u);
  EXPECT_EQ(violations.load(), 0u) << "after " << updates << " updates, " << reads << " reads";
}

}  // namespace
}  // namespace wiretime::clock

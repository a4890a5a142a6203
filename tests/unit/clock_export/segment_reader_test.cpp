// The shared-memory clock end to end inside one process: ExportedClock/ExportingObserver write
// the segment the way wiretimed does, the installed C reader reads it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "control/daemon/clock_segment_file.hpp"
#include "control/runtime/clock_export.hpp"
#include "include/wiretime/clock_reader.h"

namespace wiretime::runtime {
namespace {

constexpr UnixNanos kStart = 1'800'000'000'000'000'000;

struct Exported {
  clock::PublishedClock published;
  VirtualClock virtual_clock;
  clock::ClockSegmentWriter writer;
  ExportedClock exported;
  explicit Exported(wt_clock_segment* segment)
      : virtual_clock(published,
                      clock::ClockModel::from_rate(wt_clock_read_tsc(), kStart, tsc_hz()),
                      wt_clock_read_tsc),
        writer(segment, WT_TICKS_TSC, tsc_hz()),
        exported(virtual_clock, writer) {}
  // Any rate near the TSC's will do: the reader uses the published one.
  static double tsc_hz() { return 2.5e9; }
};

// The reading in 2^-64 s, unrounded (the header's conversion before it rounds to ns): the
// backwards steps a broken order produces are far below a nanosecond.
__extension__ using I128 = __int128;
I128 fixed_reading(const wt_clock_data& d, uint64_t ticks) {
  __extension__ using U128 = unsigned __int128;
  const auto utc0 =
      static_cast<I128>((static_cast<U128>(static_cast<uint64_t>(d.utc0_hi)) << 64) | d.utc0_lo);
  const uint64_t forward = ticks - d.tick0;
  if (forward <= (uint64_t{1} << 63)) {
    return utc0 + static_cast<I128>((static_cast<U128>(forward) * d.mult) >> d.shift);
  }
  return utc0 - static_cast<I128>((static_cast<U128>(d.tick0 - ticks) * d.mult) >> d.shift);
}

class NullObserver final : public RuntimeObserver {};

TrackingRecord synced_record(uint64_t ticks) {
  TrackingRecord t;
  t.ticks = ticks;
  t.time = kStart;
  t.system.synchronized = true;
  t.system.root_delay = 50e-6;
  t.system.root_dispersion = 20e-6;
  t.system.jitter = 1e-6;
  t.system.poll = 6;
  t.system.stratum = 2;
  t.system.leap = wire::LeapIndicator::kNoWarning;
  return t;
}

// Readers in other threads (the same code another process runs) under continuous +-500 ppm
// slews never see time run backwards within a generation, and never a torn model.
TEST(ClockSegment, ConcurrentReadersNeverSeeTimeRunBackwardsUnderSlews) {
  wt_clock_segment segment{};
  Exported e(&segment);
  NullObserver null;
  ExportingObserver observer(null, e.writer);
  observer.on_tracking(synced_record(wt_clock_read_tsc()));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> violations{0}, reads{0}, busy{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      uint64_t generation = 0;
      I128 last = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        wt_clock_data d;
        uint64_t ticks = 0;
        if (wt_clock_snapshot(&segment, &d, &ticks) != 0) {
          busy.fetch_add(1);
          continue;
        }
        const wt_clock_interval i = wt_clock_interval_at(&d, ticks);
        const int64_t mid = i.earliest_ns + (i.latest_ns - i.earliest_ns) / 2;
        const I128 now = fixed_reading(d, ticks);
        if (i.generation == generation && now < last) violations.fetch_add(1);
        if (mid < kStart || mid > kStart + 1'000'000'000'000LL) violations.fetch_add(1);
        if (i.status != WT_STATUS_SYNCHRONISED) violations.fetch_add(1);
        generation = i.generation;
        last = now;
        reads.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  int updates = 0;
  while (std::chrono::steady_clock::now() < deadline && updates < 1'000'000) {
    // A frequency change and a slew in each direction: +-500 ppm rate changes at the update.
    if (updates % 2 == 0) {
      e.exported.apply(engine::SetFrequency{(updates % 4 == 0) ? 400e-6 : -400e-6});
    } else {
      e.exported.apply(engine::SlewClock{(updates % 4 == 1) ? 1e-3 : -1e-3});
    }
    ++updates;
    // The daemon updates at most every few milliseconds; a writer that never leaves its write
    // section for more than a few nanoseconds would starve the readers (wt_clock_read gives up
    // after 100000 tries rather than hang).
    const auto pause = std::chrono::steady_clock::now() + std::chrono::microseconds(2);
    while (std::chrono::steady_clock::now() < pause) {
    }
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(updates, 100);
  EXPECT_GT(reads.load(), 1000u);
  // A reader gives up (-1) only while the writer sits in its write section, e.g. preempted.
  EXPECT_LT(busy.load(), reads.load() / 10);
  EXPECT_EQ(violations.load(), 0u) << "after " << updates << " updates, " << reads << " reads";
}

TEST(ClockSegment, AStepIsANewGenerationAndNotASilentJump) {
  wt_clock_segment segment{};
  Exported e(&segment);
  NullObserver null;
  ExportingObserver observer(null, e.writer);
  observer.on_tracking(synced_record(wt_clock_read_tsc()));
  wt_clock c{&segment, sizeof segment};
  wt_clock_interval before, after;
  ASSERT_EQ(wt_clock_read(&c, &before), 0);
  e.exported.apply(engine::SlewClock{-0.01});  // a slew: same generation
  wt_clock_interval slewed;
  ASSERT_EQ(wt_clock_read(&c, &slewed), 0);
  EXPECT_EQ(slewed.generation, before.generation);
  e.exported.apply(engine::StepClock{-2.0});
  ASSERT_EQ(wt_clock_read(&c, &after), 0);
  EXPECT_EQ(after.generation, before.generation + 1);
  EXPECT_LT(after.earliest_ns, before.earliest_ns - 1'900'000'000);
}

TEST(ClockSegment, StatusFollowsTheEngine) {
  wt_clock_segment segment{};
  Exported e(&segment);
  NullObserver null;
  ExportingObserver observer(null, e.writer);
  wt_clock c{&segment, sizeof segment};
  wt_clock_interval i;
  ASSERT_EQ(wt_clock_read(&c, &i), 0);
  EXPECT_EQ(i.status, WT_STATUS_UNKNOWN);  // never synchronised: no bound
  EXPECT_EQ(i.earliest_ns, i.latest_ns);
  observer.on_synchronization(true, engine::SystemStatus{});
  ASSERT_EQ(wt_clock_read(&c, &i), 0);
  EXPECT_EQ(i.status, WT_STATUS_UNKNOWN);  // the bound comes with the first update
  observer.on_tracking(synced_record(wt_clock_read_tsc()));
  ASSERT_EQ(wt_clock_read(&c, &i), 0);
  EXPECT_EQ(i.status, WT_STATUS_SYNCHRONISED);
  // 50/2 + 20 + 1 us at the update, growing at 15 ppm.
  EXPECT_GE(i.latest_ns - i.earliest_ns, 2 * 46'000);
  EXPECT_LT(i.latest_ns - i.earliest_ns, 2 * 60'000);
  EXPECT_EQ(i.leap_indicator, 0u);
  observer.on_synchronization(false, engine::SystemStatus{});
  ASSERT_EQ(wt_clock_read(&c, &i), 0);
  EXPECT_EQ(i.status, WT_STATUS_FREE_RUNNING);
  observer.on_panic(2000.0);
  ASSERT_EQ(wt_clock_read(&c, &i), 0);
  EXPECT_EQ(i.status, WT_STATUS_DISRUPTED);
}

// Through a real file, as wiretime-now reads it: a restart continues the generation.
TEST(ClockSegment, FileRoundTripAndRestartBumpsTheGeneration) {
  char dir[] = "/tmp/wiretime-shm-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/clock.shm";
  uint64_t first = 0;
  for (int run = 0; run < 2; ++run) {
    std::string error;
    auto file = daemon::ClockSegmentFile::open(path, error);
    ASSERT_TRUE(file) << error;
    Exported e(file->segment());
    wt_clock c;
    ASSERT_EQ(wt_clock_open(&c, path.c_str()), 0);
    wt_clock_interval i;
    ASSERT_EQ(wt_clock_read(&c, &i), 0);
    wt_clock_close(&c);
    if (run == 0)
      first = i.generation;
    else
      EXPECT_EQ(i.generation, first + 1);
  }
  // Not a segment: a clear error, not a crash.
  const std::string bogus = std::string(dir) + "/bogus";
  FILE* f = std::fopen(bogus.c_str(), "w");
  ASSERT_NE(f, nullptr);
  for (int k = 0; k < 64; ++k) std::fputs("not a clock segment.", f);
  std::fclose(f);
  wt_clock c;
  EXPECT_EQ(wt_clock_open(&c, bogus.c_str()), -2);
  EXPECT_EQ(wt_clock_open(&c, (std::string(dir) + "/missing").c_str()), -1);
  unlink(bogus.c_str());
  unlink(path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace wiretime::runtime

// The single writer of the shared-memory clock segment (include/wiretime/clock_segment.h),
// over memory the caller maps. Same seqlock as dataplane/clock/published_clock.hpp: begin()
// makes the sequence odd and fences before the caller reads the tick its change happens at,
// end() stores the words and makes the sequence even again. Pure: no mapping, no clock read.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>

#include "dataplane/clock/clock_model.hpp"
#include "include/wiretime/clock_segment.h"

namespace wiretime::clock {

class ClockSegmentWriter {
 public:
  // Takes over `segment` (at least sizeof(wt_clock_segment) bytes, zeroed or an earlier
  // daemon's): a valid earlier segment's generation is continued + 1, so a restart is visible.
  ClockSegmentWriter(wt_clock_segment* segment, uint32_t tick_source, double ticks_per_second)
      : s_(segment) {
    uint64_t generation = 0;
    if (s_->magic == WT_CLOCK_MAGIC && s_->version == WT_CLOCK_VERSION) {
      generation = __atomic_load_n(&s_->words[0], __ATOMIC_RELAXED);
    }
    data_.generation = generation + 1;
    data_.tick_source = tick_source;
    data_.sync_state = WT_SYNC_UNKNOWN;
    data_.ticks_per_second = ticks_per_second;
    data_.leap_indicator = 3;
    data_.stratum = 16;
    data_.free_run_after = 64.0;
    // Readers that mapped the old segment see the new data under the seqlock; the header is
    // written last, so a reader that checks the magic sees a complete segment.
    s_->version = WT_CLOCK_VERSION;
    s_->size = sizeof(wt_clock_segment);
    publish();
    __atomic_store_n(&s_->magic, WT_CLOCK_MAGIC, __ATOMIC_RELEASE);
  }

  wt_clock_data& data() { return data_; }
  const wt_clock_data& data() const { return data_; }

  void set_model(const ClockModel& m) {
    __extension__ using U128 = unsigned __int128;
    const auto utc0 = static_cast<U128>(m.utc0());
    data_.tick0 = m.tick0();
    data_.utc0_hi = static_cast<int64_t>(static_cast<uint64_t>(utc0 >> 64));
    data_.utc0_lo = static_cast<uint64_t>(utc0);
    data_.mult = m.mult();
    data_.shift = m.shift();
  }

  // Opens the write section: readers retry until end().
  void begin() {
    seq_ = __atomic_load_n(&s_->seq, __ATOMIC_RELAXED);
    __atomic_store_n(&s_->seq, seq_ + 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
  }
  // Stores data() and closes the write section.
  void end() {
    uint64_t w[WT_CLOCK_DATA_WORDS];
    std::memcpy(w, &data_, sizeof w);
    for (size_t i = 0; i < WT_CLOCK_DATA_WORDS; ++i) {
      __atomic_store_n(&s_->words[i], w[i], __ATOMIC_RELAXED);
    }
    __atomic_store_n(&s_->seq, seq_ + 2, __ATOMIC_RELEASE);
  }
  // A change that does not depend on a tick read inside the section (bound, state).
  void publish() {
    begin();
    end();
  }

 private:
  static_assert(sizeof(wt_clock_data) % 8 == 0);
  wt_clock_segment* s_;
  wt_clock_data data_{};
  uint64_t seq_ = 0;
};

}  // namespace wiretime::clock

// The clock model: a linear map from a free-running tick counter (TSC, or a NIC clock) to UTC,
// utc = utc0 + (ticks - tick0) * rate. The discipline corrects it only by replacing the map:
// a step moves utc0, a frequency change (including a temporary slew) changes the rate at a
// chosen tick so the map stays continuous there. Pure: ticks come in as values.
#pragma once

#include <cstdint>

#include "dataplane/time/ntp_duration.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::clock {

// Time since the Unix epoch in units of 2^-64 s. NTP timestamps are the top 64 bits of the
// same fixed-point format (after the epoch shift), so the per-packet conversion is a shift,
// and re-basing the map at every update loses nothing measurable.
__extension__ using Fixed = __int128;

class ClockModel {
 public:
  ClockModel() = default;
  // `ticks_per_second` is the nominal rate of the counter (e.g. rte_get_tsc_hz()).
  static ClockModel from_rate(uint64_t tick0, UnixNanos utc0, double ticks_per_second);

  UnixNanos utc_nanos(uint64_t ticks) const;
  Fixed utc_fixed(uint64_t ticks) const;
  NtpTimestamp ntp(uint64_t ticks) const;
  // Ticks are counted with wrap-around, so only differences matter.
  NtpDuration elapsed(uint64_t from_ticks, uint64_t to_ticks) const;

  // The same map shifted by `offset` from `at_tick` on (a clock step).
  ClockModel stepped(uint64_t at_tick, NtpDuration offset) const;
  // A map continuous at `at_tick` whose rate is the nominal rate corrected by `ppb` parts per
  // billion (positive: the clock runs faster). Slews are frequency changes that the writer
  // undoes later; the model itself does not need to know.
  ClockModel with_frequency(uint64_t at_tick, double ppb) const;

  double frequency_ppb() const { return frequency_ppb_; }
  double nominal_ticks_per_second() const;
  uint64_t tick0() const { return tick0_; }
  // The raw map, for publishing it outside the process (include/wiretime/clock_segment.h).
  Fixed utc0() const { return utc0_; }
  uint64_t mult() const { return mult_; }
  uint32_t shift() const { return shift_; }

 private:
  uint64_t tick0_ = 0;
  Fixed utc0_ = 0;
  // 2^-64 s per tick = mult_ / 2^shift_; the shift keeps mult_ in [2^62, 2^63) for full precision.
  uint64_t mult_ = 0;
  uint64_t nominal_mult_ = 0;
  uint32_t shift_ = 0;
  double frequency_ppb_ = 0;
};

}  // namespace wiretime::clock

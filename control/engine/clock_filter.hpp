// RFC 5905 section 10: the clock filter. An eight-stage shift register of (offset, delay,
// dispersion, time) samples; the minimum-delay sample becomes the peer offset and delay.
#pragma once

#include <array>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

// One on-wire measurement (RFC 5905 section 8): seconds; `time` is the steady time of T4.
struct FilterSample {
  double offset = 0.0;
  double delay = kMaxDisp;
  double dispersion = kMaxDisp;
  double time = 0.0;
};

class ClockFilter {
 public:
  // Shifts `sample` in and recomputes the peer variables at steady time `now`. Returns true when
  // the chosen minimum-delay sample is newer than the last one handed to the system process
  // (RFC: "if (f[0].t - p->t <= 0) return"), or when `unsynchronized` (the first updates).
  bool add(const FilterSample& sample, double now, double precision, bool unsynchronized);

  // Corrections the discipline applied to the local clock, so stored offsets stay expressed in
  // the clock's current timescale (chrony's SST_SlewSamples; the RFC leaves them stale).
  void apply_correction(double phase, double frequency, double now);
  void clear();

  double offset() const { return offset_; }
  double delay() const { return delay_; }
  double dispersion() const { return dispersion_; }
  double jitter() const { return jitter_; }
  // Steady time of the sample the peer variables come from (RFC p->t).
  double time() const { return time_; }
  const std::array<FilterSample, kNstage>& stages() const { return stages_; }
  int valid_stages() const { return valid_; }

 private:
  std::array<FilterSample, kNstage> stages_{};
  double update_time_ = 0.0;  // when the register was last shifted
  double offset_ = 0.0;
  double delay_ = kMaxDisp;
  double dispersion_ = kMaxDisp;
  double jitter_ = 0.0;
  double time_ = -1e300;  // no sample used yet
  int valid_ = 0;
};

}  // namespace wiretime::engine

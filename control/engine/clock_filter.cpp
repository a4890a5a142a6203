#include "control/engine/clock_filter.hpp"

#include <algorithm>
#include <cmath>

namespace wiretime::engine {

bool ClockFilter::add(const FilterSample& sample, double now, double precision,
                      bool unsynchronized) {
  // Age the stored samples by the dispersion accumulated since the last shift, then shift.
  const double aging = valid_ > 0 ? kPhi * std::max(0.0, now - update_time_) : 0.0;
  for (int i = kNstage - 1; i > 0; --i) {
    stages_[i] = stages_[i - 1];
    stages_[i].dispersion = std::min(kMaxDisp, stages_[i].dispersion + aging);
  }
  stages_[0] = sample;
  update_time_ = now;
  if (sample.delay < kMaxDisp) valid_ = std::min(valid_ + 1, kNstage);

  // Sort by delay; the dummy samples RFC poll() inserts (delay = MAXDISP) go last.
  std::array<FilterSample, kNstage> sorted = stages_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const FilterSample& a, const FilterSample& b) { return a.delay < b.delay; });
  int m = 0;
  for (const auto& s : sorted) {
    if (s.delay >= kMaxDisp || (m >= 2 && s.delay >= kMaxDistDefault)) continue;
    ++m;
  }
  double dispersion = 0.0;
  double jitter = 0.0;
  for (int i = kNstage - 1; i >= 0; --i) {
    dispersion = 0.5 * (dispersion + sorted[i].dispersion);
    if (i < m)
      jitter += (sorted[i].offset - sorted[0].offset) * (sorted[i].offset - sorted[0].offset);
  }
  dispersion_ = dispersion;
  // RFC divides by m; with the first sample as reference that is m - 1 effective terms.
  jitter_ = std::max(m > 1 ? std::sqrt(jitter / (m - 1)) : 0.0, precision);
  if (m == 0) return false;
  offset_ = sorted[0].offset;
  delay_ = sorted[0].delay;
  if (sorted[0].time - time_ <= 0.0 && !unsynchronized) return false;
  time_ = sorted[0].time;
  return true;
}

void ClockFilter::apply_correction(double phase, double frequency, double now) {
  for (auto& s : stages_) {
    if (s.delay >= kMaxDisp) continue;
    s.offset -= phase + frequency * (s.time - now);
  }
  if (valid_ > 0) offset_ -= phase + frequency * (time_ - now);
}

void ClockFilter::clear() {
  *this = ClockFilter{};
}

}  // namespace wiretime::engine

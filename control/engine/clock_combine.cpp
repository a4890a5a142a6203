#include "control/engine/clock_combine.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

CombineResult clock_combine(std::span<const Candidate> survivors, int system_peer) {
  CombineResult r;
  if (survivors.empty()) return r;
  const auto& peer = survivors[system_peer];
  double w_sum = 0.0;
  double offset = 0.0;
  double sel_jitter = 0.0;
  double fw_sum = 0.0;
  double frequency = 0.0;
  for (const auto& c : survivors) {
    const double w = 1.0 / std::max(c.distance, 1e-12);
    w_sum += w;
    offset += w * c.offset;
    sel_jitter += w * (c.offset - peer.offset) * (c.offset - peer.offset);
    if (c.frequency_valid) {
      fw_sum += w;
      frequency += w * c.frequency;
    }
  }
  r.offset = offset / w_sum;
  r.jitter = std::sqrt(peer.jitter * peer.jitter + sel_jitter / w_sum);
  r.frequency_valid = fw_sum > 0.0;
  r.frequency = r.frequency_valid ? frequency / fw_sum : 0.0;
  return r;
}

}  // namespace wiretime::engine

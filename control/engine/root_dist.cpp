#include "control/engine/root_dist.hpp"

#include <algorithm>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

double root_dist(const PeerDistance& p) {
  return std::max(kMinDisp, p.root_delay + p.delay) / 2.0 + p.root_dispersion + p.dispersion +
         kPhi * std::max(0.0, p.age) + p.jitter;
}

}  // namespace wiretime::engine

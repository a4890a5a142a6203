#include "control/engine/poll_update.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

int host_poll(int system_poll, int floor_exponent, int min_poll, int max_poll) {
  return std::clamp(std::max(system_poll, floor_exponent), min_poll, max_poll);
}

double unsync_next_interval(double current, const UnsyncPollConfig& config) {
  if (!config.configured) return std::min(current * 2.0, std::ldexp(1.0, kUnsyncCapDefault));
  const double cap = std::ldexp(1.0, config.cap_exponent);
  if (current > cap) return std::max(cap, current - std::ldexp(1.0, config.step_exponent));
  return std::min(current * 2.0, cap);
}

}  // namespace wiretime::engine

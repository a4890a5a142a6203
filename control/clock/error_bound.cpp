#include "control/clock/error_bound.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::clock {

ErrorBound error_bound(const engine::SystemStatus& system, double slew_remaining) {
  ErrorBound b;
  b.offset = slew_remaining;
  b.root_delay = system.root_delay;
  b.root_dispersion = system.root_dispersion;
  b.error_estimate = system.jitter;
  b.max_frequency_error = engine::kPhi + std::abs(system.wander);
  b.free_run_after = std::max(kMinFreeRunAfter, kFreeRunPolls * std::ldexp(1.0, system.poll));
  return b;
}

void store_bound(const ErrorBound& b, wt_clock_data& d) {
  d.offset = b.offset;
  d.root_delay = b.root_delay;
  d.root_dispersion = b.root_dispersion;
  d.error_estimate = b.error_estimate;
  d.max_frequency_error = b.max_frequency_error;
  d.free_run_after = b.free_run_after;
}

uint32_t next_sync_state(uint32_t current, bool synchronized) {
  if (synchronized) return WT_SYNC_SYNCHRONISED;
  return current == WT_SYNC_UNKNOWN ? WT_SYNC_UNKNOWN : WT_SYNC_UNSYNCED;
}

}  // namespace wiretime::clock

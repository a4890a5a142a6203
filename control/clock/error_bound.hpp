// The error bound wiretimed publishes with its clock (include/wiretime/clock_segment.h has the
// formula and the reader's half of it): its parameters derived from the engine's state at a
// clock update, and the sync state machine. Pure, shared by the daemon and the simulator.
#pragma once

#include <cstdint>

#include "control/engine/status.hpp"
#include "include/wiretime/clock_segment.h"

namespace wiretime::clock {

struct ErrorBound {
  double offset = 0.0;               // s, correction not yet applied (signed)
  double root_delay = 0.0;           // s
  double root_dispersion = 0.0;      // s
  double error_estimate = 0.0;       // s
  double max_frequency_error = 0.0;  // s/s
  double free_run_after = 0.0;       // s
};

// Free-running after this many system polls without an update (at least kMinFreeRunAfter s):
// an update normally comes every poll, so three missing ones mean the sources are silent.
inline constexpr double kFreeRunPolls = 3.0;
inline constexpr double kMinFreeRunAfter = 64.0;

// The bound's parameters right after a clock update. `slew_remaining` is the part of the
// commanded correction the clock has not applied yet (runtime::ClockInfo::slew_remaining):
// until it is applied, the clock is off by it. The growth rate is RFC 5905's frequency
// tolerance PHI (15 ppm: what a disciplined oscillator may drift from its corrected rate)
// plus the engine's wander, the scatter of its frequency estimate.
ErrorBound error_bound(const engine::SystemStatus& system, double slew_remaining);

// Copies the bound into the segment's data.
void store_bound(const ErrorBound& b, wt_clock_data& d);

// The published sync state after the engine reports `synchronized` (WT_SYNC_*): unknown until
// the first synchronisation, then synchronised or unsynced; a panic is disrupted until the
// next synchronised update.
uint32_t next_sync_state(uint32_t current, bool synchronized);

}  // namespace wiretime::clock

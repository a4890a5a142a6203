// What the clock driver can do when it slews: a slew rate limit, and on drivers whose rate is
// one kernel frequency (clock_adjtime ADJ_FREQUENCY, clamped at +-500 ppm) a limit on the
// frequency correction and the slew together. The engine and the driver compute the rate of a
// slew with the same function, so a correction lands exactly where the engine expects it in
// both directions (issue 13: with the clock's -50 ppm correction a -500 ppm slew asked the
// kernel for -550 ppm, got -500, and slews achieved 90 % of their correction).
#pragma once

#include <algorithm>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

struct SlewCapability {
  double slew_limit = kMaxSlewRate;  // s/s, the rate of a slew on its own
  double total_limit = 0.0;          // s/s, |frequency + slew| at most this; 0: no such limit
};

// Slowest slew any driver is asked for: with the frequency correction at the total limit a
// slew toward it still moves (the kernel then clamps; documented in docs/engine.md).
inline constexpr double kMinSlewRate = 1e-6;

// Rate (s/s, positive) of a slew in direction `sign` (+1 or -1) while the frequency
// correction is `frequency`.
inline double slew_rate(const SlewCapability& cap, double frequency, int sign) {
  double rate = cap.slew_limit;
  if (cap.total_limit > 0.0) rate = std::min(rate, cap.total_limit - sign * frequency);
  return std::max(rate, kMinSlewRate);
}

}  // namespace wiretime::engine

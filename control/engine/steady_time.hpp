// The engine's notion of "now": a monotonic count of nanoseconds (ticks scaled by the nominal
// rate), passed in by the caller. It is never read from a system clock here.
#pragma once

#include <cstdint>

namespace wiretime::engine {

using SteadyNanos = int64_t;

constexpr double steady_seconds(SteadyNanos t) {
  return static_cast<double>(t) * 1e-9;
}
constexpr SteadyNanos steady_from_seconds(double s) {
  return static_cast<SteadyNanos>(s * 1e9);
}

}  // namespace wiretime::engine

// How long to wait before looking a name up again after consecutive failures: exponential,
// capped, so a name that does not resolve costs little and one that comes back is found soon.
#pragma once

#include <cstdint>

#include "control/engine/steady_time.hpp"

namespace wiretime::resolver {

struct BackoffPolicy {
  engine::SteadyNanos initial = 2'000'000'000;    // after the first failure
  engine::SteadyNanos maximum = 300'000'000'000;  // 5 min; ntpd/chrony retry in minutes too
  uint32_t factor = 2;
};

// Delay after `failures` (>= 1) consecutive failures: initial * factor^(failures-1), capped.
engine::SteadyNanos backoff_delay(const BackoffPolicy& policy, uint32_t failures);

}  // namespace wiretime::resolver

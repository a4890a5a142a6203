// One direction of a simulated path: base delay plus exponential jitter, loss, duplication
// and reordering (an extra delay for a fraction of packets).
#pragma once

#include "control/engine/prng.hpp"

namespace wiretime::sim {

struct PathModel {
  double base = 100e-6;         // s
  double jitter_mean = 10e-6;   // mean of the exponential jitter, s
  double loss = 0.0;            // probability
  double duplicate = 0.0;       // probability of a second copy
  double reorder = 0.0;         // probability of an extra delay
  double reorder_delay = 5e-3;  // s

  // Delay of one packet, or a negative value when it is lost.
  double sample(engine::Prng& prng) const {
    if (loss > 0.0 && prng.uniform() < loss) return -1.0;
    double d = base + (jitter_mean > 0.0 ? prng.exponential(jitter_mean) : 0.0);
    if (reorder > 0.0 && prng.uniform() < reorder) d += reorder_delay;
    return d;
  }
};

}  // namespace wiretime::sim

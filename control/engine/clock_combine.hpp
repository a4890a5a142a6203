// RFC 5905 section 11.2.3: combine. Survivor offsets averaged with weights 1/lambda; the
// system jitter adds the selection jitter about the system peer to its peer jitter.
#pragma once

#include <span>

#include "control/engine/candidate.hpp"

namespace wiretime::engine {

struct CombineResult {
  double offset = 0.0;
  double frequency = 0.0;  // same weights, over survivors with a valid frequency
  bool frequency_valid = false;
  double jitter = 0.0;
};

// `system_peer` indexes `survivors`.
CombineResult clock_combine(std::span<const Candidate> survivors, int system_peer);

}  // namespace wiretime::engine

// RFC 5905 section 11.2.2: cluster. Repeatedly drops the survivor with the largest selection
// jitter while that exceeds the smallest peer jitter and more than NMIN survivors remain.
#pragma once

#include <span>
#include <vector>

#include "control/engine/candidate.hpp"

namespace wiretime::engine {

struct ClusterResult {
  std::vector<int> survivors;  // indices into the input, best (lowest metric) first
  std::vector<int> outliers;   // indices pruned, in pruning order
};

// `min_survivors` is NMIN (3) in the RFC.
ClusterResult clock_cluster(std::span<const Candidate> truechimers, int min_survivors);

}  // namespace wiretime::engine

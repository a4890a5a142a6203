// RFC 5905 section 11.2.1: selection. Marzullo-style intersection of correctness intervals
// [theta - lambda, theta + lambda], lambda = Candidate::root_distance; candidates whose offset lies
// outside the intersection of the majority are falsetickers.
#pragma once

#include <span>
#include <vector>

#include "control/engine/candidate.hpp"

namespace wiretime::engine {

struct SelectResult {
  bool majority = false;  // an intersection agreed by more than half was found
  double low = 0.0;       // intersection interval, s
  double high = 0.0;
  int allowed_falsetickers = 0;
  std::vector<bool> truechimer;  // per candidate, same order as the input
};

SelectResult clock_select(std::span<const Candidate> candidates);

}  // namespace wiretime::engine

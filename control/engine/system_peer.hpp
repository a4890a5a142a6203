// RFC 5905 section 11.2.3 system peer choice, with the VRP `preferred` rule
// (vrp-ntp-cli.md section 4.3): a preferred survivor is the system peer unless another
// survivor has a smaller stratum; otherwise the previous system peer is kept while it
// survives (no clock hopping), else the survivor with the best metric.
#pragma once

#include <span>

#include "control/engine/candidate.hpp"

namespace wiretime::engine {

// `survivors` best metric first (clock_cluster order); `previous_id` is the Candidate::id of
// the old system peer or -1. Returns an index into `survivors`, -1 when empty.
int choose_system_peer(std::span<const Candidate> survivors, int previous_id);

}  // namespace wiretime::engine

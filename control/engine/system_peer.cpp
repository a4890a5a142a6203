#include "control/engine/system_peer.hpp"

namespace wiretime::engine {

int choose_system_peer(std::span<const Candidate> survivors, int previous_id) {
  const int n = static_cast<int>(survivors.size());
  if (n == 0) return -1;
  int min_stratum = survivors[0].stratum;
  for (const auto& c : survivors) min_stratum = c.stratum < min_stratum ? c.stratum : min_stratum;
  for (int i = 0; i < n; ++i) {
    if (survivors[i].preferred && survivors[i].stratum <= min_stratum) return i;
  }
  for (int i = 0; i < n; ++i) {
    if (survivors[i].id == previous_id && survivors[i].stratum <= survivors[0].stratum) return i;
  }
  return 0;
}

}  // namespace wiretime::engine

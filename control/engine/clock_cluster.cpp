#include "control/engine/clock_cluster.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

ClusterResult clock_cluster(std::span<const Candidate> truechimers, int min_survivors) {
  ClusterResult r;
  for (int i = 0; i < static_cast<int>(truechimers.size()); ++i) r.survivors.push_back(i);
  // RFC metric: stratum first, then distance.
  auto metric = [&](int i) {
    return truechimers[i].stratum * kMaxDistDefault + truechimers[i].distance;
  };
  std::stable_sort(r.survivors.begin(), r.survivors.end(),
                   [&](int a, int b) { return metric(a) < metric(b); });
  while (static_cast<int>(r.survivors.size()) > min_survivors) {
    const int n = static_cast<int>(r.survivors.size());
    double max_sel = -1.0;
    int max_pos = 0;
    double min_peer = 1e300;
    for (int a = 0; a < n; ++a) {
      const auto& ca = truechimers[r.survivors[a]];
      double sum = 0.0;
      for (int b = 0; b < n; ++b) {
        const double d = truechimers[r.survivors[b]].offset - ca.offset;
        sum += d * d;
      }
      const double sel = std::sqrt(sum / (n - 1));
      if (sel > max_sel) {
        max_sel = sel;
        max_pos = a;
      }
      min_peer = std::min(min_peer, ca.jitter);
    }
    if (max_sel <= min_peer) break;
    r.outliers.push_back(r.survivors[max_pos]);
    r.survivors.erase(r.survivors.begin() + max_pos);
  }
  return r;
}

}  // namespace wiretime::engine

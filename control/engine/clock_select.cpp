#include "control/engine/clock_select.hpp"

#include <algorithm>

namespace wiretime::engine {

SelectResult clock_select(std::span<const Candidate> candidates) {
  SelectResult r;
  const int n = static_cast<int>(candidates.size());
  r.truechimer.assign(candidates.size(), false);
  if (n == 0) return r;

  struct Edge {
    double value;
    int type;  // +1 lower endpoint, 0 midpoint, -1 upper endpoint
  };
  std::vector<Edge> edges;
  edges.reserve(3 * candidates.size());
  for (const auto& c : candidates) {
    edges.push_back({c.offset - c.root_distance, +1});
    edges.push_back({c.offset, 0});
    edges.push_back({c.offset + c.root_distance, -1});
  }
  // Ties: lower endpoints first and upper endpoints last, so touching intervals intersect.
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.value != b.value ? a.value < b.value : a.type > b.type;
  });

  for (int allow = 0; 2 * allow < n; ++allow) {
    int found = 0;  // midpoints outside the candidate intersection
    int chime = 0;
    double low = 0.0;
    double high = 0.0;
    bool have_low = false;
    bool have_high = false;
    for (const auto& e : edges) {
      chime += e.type;
      if (chime >= n - allow) {
        low = e.value;
        have_low = true;
        break;
      }
      if (e.type == 0) ++found;
    }
    chime = 0;
    for (auto it = edges.rbegin(); it != edges.rend(); ++it) {
      chime -= it->type;
      if (chime >= n - allow) {
        high = it->value;
        have_high = true;
        break;
      }
      if (it->type == 0) ++found;
    }
    if (!have_low || !have_high || found > allow) continue;
    if (high >= low) {
      r.majority = true;
      r.low = low;
      r.high = high;
      r.allowed_falsetickers = allow;
      break;
    }
  }
  if (!r.majority) return r;
  for (int i = 0; i < n; ++i) {
    const double theta = candidates[i].offset;
    r.truechimer[i] = theta >= r.low && theta <= r.high;
  }
  return r;
}

}  // namespace wiretime::engine

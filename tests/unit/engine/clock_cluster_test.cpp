#include "control/engine/clock_cluster.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

Candidate cand(int id, double offset, double jitter, int stratum = 1) {
  Candidate c;
  c.id = id;
  c.offset = offset;
  c.distance = 0.01;
  c.jitter = jitter;
  c.stratum = stratum;
  return c;
}

TEST(ClockCluster, PrunesOutlierDownToNmin) {
  const std::vector<Candidate> c{cand(0, 0.0, 1e-5), cand(1, 1e-5, 1e-5), cand(2, -1e-5, 1e-5),
                                 cand(3, 2e-5, 1e-5), cand(4, 5e-3, 1e-5)};
  const auto r = clock_cluster(c, 3);
  ASSERT_FALSE(r.outliers.empty());
  EXPECT_EQ(r.outliers.front(), 4);
  EXPECT_GE(r.survivors.size(), 3u);
}

TEST(ClockCluster, StopsWhenSelectionJitterBelowPeerJitter) {
  const std::vector<Candidate> c{cand(0, 0.0, 1e-3), cand(1, 1e-5, 1e-3), cand(2, -1e-5, 1e-3),
                                 cand(3, 2e-5, 1e-3)};
  const auto r = clock_cluster(c, 3);
  EXPECT_TRUE(r.outliers.empty());
  EXPECT_EQ(r.survivors.size(), 4u);
}

TEST(ClockCluster, OrdersByStratumThenDistance) {
  const std::vector<Candidate> c{cand(0, 0.0, 1e-3, 3), cand(1, 0.0, 1e-3, 1)};
  const auto r = clock_cluster(c, 3);
  EXPECT_EQ(r.survivors.front(), 1);
}

}  // namespace
}  // namespace wiretime::engine

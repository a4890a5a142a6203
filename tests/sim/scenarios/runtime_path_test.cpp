// The simulator drives the daemon's control loop (issue 13 item 6): requests and replies go
// through runtime::ControlLoop and its transport interface, and the paths and servers are
// modelled as real ones behave (per-direction delays, precision-fuzzed stamps).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimRuntimePath, EveryPacketGoesThroughTheDaemonsControlLoop) {
  const auto r = run(anchor_s4_falseticker(AnchorPoll::k16s, 1, 2000.0));
  uint64_t served = 0;
  for (uint64_t n : r.server_requests) served += n;
  uint64_t polled = 0;
  for (const auto& p : r.polls) polled += p.request_times.size();
  // The loop counted every request the servers saw (lossless paths), got a T1 for each, and
  // every reply reached an association.
  EXPECT_GT(r.counters.requests, 100u);
  EXPECT_EQ(r.counters.requests, served);
  EXPECT_EQ(r.counters.requests, polled);
  EXPECT_EQ(r.counters.transmitted_unmatched, 0u);
  EXPECT_EQ(r.counters.send_failures, 0u);
  EXPECT_EQ(r.counters.replies, served);
  EXPECT_EQ(r.counters.replies_unknown_source, 0u);
  // The family counters of `display ntp statistics packet` are the same loop's.
  EXPECT_EQ(r.counters.family[0].requests, r.counters.requests);
  EXPECT_TRUE(r.system.synchronized);
}

TEST(SimRuntimePath, S3PathsHaveTheirOwnDelayDistributionPerDirection) {
  // Anchor S3: client -> server 100 us + exp(100 us), server -> client 100 us + exp(1 us).
  const Scenario s = anchor_s3_asymmetric(AnchorPoll::k16s, 1, 0.0);
  ASSERT_EQ(s.servers.size(), 1u);
  engine::Prng prng(5);
  const int n = 200000;
  double up_sum = 0, down_sum = 0, up_min = 1, down_min = 1, down_max = 0;
  for (int i = 0; i < n; ++i) {
    const double up = s.servers[0].up.sample(prng);
    const double down = s.servers[0].down.sample(prng);
    up_sum += up;
    down_sum += down;
    up_min = std::min(up_min, up);
    down_min = std::min(down_min, down);
    down_max = std::max(down_max, down);
  }
  EXPECT_NEAR(up_sum / n, 200e-6, 1e-6);
  EXPECT_NEAR(down_sum / n, 101e-6, 0.05e-6);
  EXPECT_GE(up_min, 100e-6);
  EXPECT_GE(down_min, 100e-6);
  EXPECT_LT(down_max, 120e-6);  // exp(1 us) never reaches 20 us in 200 000 draws
  // The server answers like chronyd: zero processing, stamps fuzzed below 2^-24 s.
  EXPECT_EQ(s.servers[0].processing, 0.0);
  EXPECT_EQ(s.servers[0].precision, -24);
  EXPECT_TRUE(s.servers[0].fuzz_below_precision);
}

}  // namespace
}  // namespace wiretime::sim

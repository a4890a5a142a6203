// A server that answers requests closer than 32 s with a RATE kiss: the client raises its
// poll exponent (at least by one) and keeps synchronising.
#include <gtest/gtest.h>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimKodRate, PollRaisedAndStillSynchronised) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 5, 40000.0);
  s.association.min_poll = 4;
  s.association.max_poll = 10;
  s.servers.at(0).kiss = KissMode::kRate;
  s.servers.at(0).kiss_min_interval = 31.0;
  s.servers.at(0).kiss_from = 300.0;  // synchronised, still polling at 16 s
  const auto r = run(s);
  EXPECT_GE(r.server_kisses.at(0), 1u);
  EXPECT_LE(r.server_kisses.at(0), 2u);  // one kiss is enough to slow down
  const auto& times = r.polls.at(0).request_times;
  for (size_t i = 1; i < times.size(); ++i)
    if (times[i - 1] > 800.0) {
      EXPECT_GE(times[i] - times[i - 1], 31.0) << times[i];
    }
  EXPECT_GE(r.associations.at(0).local_poll, 5);
  EXPECT_EQ(r.associations.at(0).on_wire[static_cast<size_t>(engine::OnWireReason::kKissOfDeath)],
            r.server_kisses.at(0));
  EXPECT_TRUE(r.system.synchronized);
  // The poll then adapts upwards from 2^5 like S1 at default polling (chrony: 21 us there);
  // through the daemon's control loop this run measures 15.1 us.
  EXPECT_LT(r.rms, 20e-6);
}

}  // namespace
}  // namespace wiretime::sim

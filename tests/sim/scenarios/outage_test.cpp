// A single server goes silent for three hours and comes back. While it is silent the client
// loses synchronisation, the reach register empties and polling backs off to 1024 s; after
// the return it re-acquires and the error is back to microseconds.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

TEST(SimOutage, BacksOffAndReacquires) {
  constexpr double kStart = 30000.0;
  constexpr double kEnd = kStart + 3 * 3600.0;
  Scenario s = anchor_s1_lan(AnchorPoll::kDefault, 3, 60000.0);
  s.servers.at(0).outages.push_back({kStart, kEnd});
  double before = 0.0;
  double during = 0.0;
  double after = 0.0;
  s.observer = [&](double t, double e) {
    if (t > 20000.0 && t < kStart) before = std::max(before, std::abs(e));
    if (t >= kStart && t < kEnd) during = std::max(during, std::abs(e));
    if (t > kEnd + 3000.0) after = std::max(after, std::abs(e));
  };
  const auto r = run(s);
  // Maximum |error| over 10 000 s at the adaptive poll (S1 at default polling: ~360 s, RMS
  // 11 us, chrony 21 us).
  EXPECT_LT(before, 60e-6);
  EXPECT_LT(during, 5e-3);  // free-running on the last frequency: wander only
  EXPECT_LT(after, 60e-6);
  // Requests during the outage: intervals grow by doubling and stop at 1024 s.
  std::vector<double> gaps;
  const auto& times = r.polls.at(0).request_times;
  for (size_t i = 1; i < times.size(); ++i)
    if (times[i - 1] >= kStart && times[i] < kEnd) gaps.push_back(times[i] - times[i - 1]);
  ASSERT_GE(gaps.size(), 5u);
  for (size_t i = 1; i < gaps.size(); ++i) EXPECT_GE(gaps[i], gaps[i - 1] - 1.0);
  EXPECT_NEAR(gaps.back(), 1024.0, 1.0);
  EXPECT_TRUE(r.system.synchronized);
  EXPECT_EQ(r.associations.at(0).selection, engine::SelectionStatus::kSystemPeer);
}

}  // namespace
}  // namespace wiretime::sim

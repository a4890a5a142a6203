// `ntp unsync max-poll-interval V dec-step S` (vrp-ntp-cli.md section 2, section 11 Q7/Q8),
// checked interval by interval against a server that never synchronises the client.
#include <gtest/gtest.h>

#include <vector>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

std::vector<double> intervals(const SimResult& r, double from, double to) {
  std::vector<double> out;
  const auto& t = r.polls.at(0).request_times;
  for (size_t i = 1; i < t.size(); ++i)
    if (t[i - 1] >= from && t[i] <= to) out.push_back(t[i] - t[i - 1]);
  return out;
}

void expect_intervals(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_GE(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 0.5) << "interval " << i;
}

Scenario unsynchronised_server(uint64_t seed) {
  Scenario s = anchor_s1_lan(AnchorPoll::kDefault, seed, 10000.0);
  s.warmup = 0.0;
  s.servers.at(0).unsynchronized_from = 0.0;
  return s;
}

TEST(SimUnsyncPoll, WithoutCommandDoublesTo1024) {
  const auto r = run(unsynchronised_server(1));
  expect_intervals(intervals(r, 0.0, 1e9), {64, 128, 256, 512, 1024, 1024, 1024});
  EXPECT_FALSE(r.system.synchronized);
  EXPECT_EQ(r.system.stratum, 16);
  EXPECT_EQ(r.system.reference_name, "none");
  EXPECT_EQ(r.associations.at(0).selection, engine::SelectionStatus::kUnsynchronized);
}

TEST(SimUnsyncPoll, BelowCeilingDoublesUpToIt) {
  Scenario s = unsynchronised_server(2);
  s.engine.unsync = engine::UnsyncPollConfig{true, 7, 6};  // documented example: 128 s, 64 s
  const auto r = run(s);
  expect_intervals(intervals(r, 0.0, 1e9), {64, 128, 128, 128, 128});
}

TEST(SimUnsyncPoll, AboveCeilingDecreasesByStep) {
  // Synchronised over a noisy WAN path the poll grows; then the server loses its reference
  // and the interval walks down by 2^S per poll to the ceiling 2^V.
  Scenario s = anchor_s2_wan(AnchorPoll::kDefault, 3, 40000.0);
  s.warmup = 0.0;
  constexpr double kLost = 30000.0;
  s.servers.at(0).unsynchronized_from = kLost;
  s.engine.unsync = engine::UnsyncPollConfig{true, 6, 4};  // ceiling 64 s, step 16 s
  const auto r = run(s);
  const auto gaps = intervals(r, kLost - 1.0, 1e9);
  ASSERT_GE(gaps.size(), 3u);
  // The first gap is the synchronised poll that was already scheduled.
  const double start = gaps[0];
  ASSERT_GT(start, 100.0) << "the WAN scenario should have lengthened the poll";
  double expect = start;
  for (size_t i = 1; i < gaps.size(); ++i) {
    expect = std::max(64.0, expect - 16.0);
    EXPECT_NEAR(gaps[i], expect, 0.5) << "interval " << i;
  }
  EXPECT_FALSE(r.system.synchronized);
}

}  // namespace
}  // namespace wiretime::sim

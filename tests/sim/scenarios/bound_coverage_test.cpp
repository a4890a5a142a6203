// The published error bound (include/wiretime/clock_segment.h) holds: in every scenario, each
// simulated second whose status offers an interval (synchronised or free-running) has true
// time inside it. Prints one table row per scenario (docs/accuracy.md, "Error bound"):
// coverage, mean half-width, RMS error, their ratio, and chrony's root distance beside it.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

void check(const std::string& label, const Scenario& s) {
  const SimResult r = run(s);
  const BoundStats& b = r.bound;
  auto ratio = [](double h, double e) { return e > 0 ? h / e : 0.0; };
  std::printf(
      "| %-30s | %6llu | %5.1f %% | %7.3f %% | %9.1f | %8.2f | %5.0f | %9.1f | %9.1f | %7.3f | "
      "%5.0f | %9.1f | %5.3f |\n",
      label.c_str(), static_cast<unsigned long long>(b.seconds),
      100.0 * static_cast<double>(b.bounded) / static_cast<double>(b.seconds), 100.0 * b.coverage(),
      b.mean_half_width() * 1e6, b.rms_error() * 1e6, ratio(b.mean_half_width(), b.rms_error()),
      b.mean_root_distance() * 1e6, b.steady_mean_half_width() * 1e6, b.steady_rms_error() * 1e6,
      ratio(b.steady_mean_half_width(), b.steady_rms_error()),
      b.steady_mean_root_dispersion() * 1e6, b.worst_ratio);
  EXPECT_EQ(b.covered, b.bounded) << label << ": worst |error|/half-width " << b.worst_ratio
                                  << " at t=" << b.worst_t << " s";
  // The bound is offered once the first update synchronised the clock, not withheld.
  EXPECT_GT(b.bounded, b.seconds * 8 / 10) << label;
}

TEST(SimBoundCoverage, AnchorsAtSixteenSecondPolling) {
  std::printf(
      "| scenario | seconds | bounded | coverage | mean half-width us | RMS error us | ratio | "
      "root distance us | steady: mean half-width us | RMS error us | ratio | root dispersion "
      "us | worst error/half-width |\n");
  check("S1 LAN, poll 16 s", anchor_s1_lan(AnchorPoll::k16s, 1, 20000.0));
  check("S2 WAN, poll 16 s", anchor_s2_wan(AnchorPoll::k16s, 1, 20000.0));
  check("S3 asymmetric, poll 16 s", anchor_s3_asymmetric(AnchorPoll::k16s, 1, 20000.0));
  check("S4 falseticker, poll 16 s", anchor_s4_falseticker(AnchorPoll::k16s, 1, 20000.0));
}

TEST(SimBoundCoverage, AnchorsAtDefaultPolling) {
  check("S1 LAN, poll 64-1024 s", anchor_s1_lan(AnchorPoll::kDefault, 2, 40000.0));
  check("S2 WAN, poll 64-1024 s", anchor_s2_wan(AnchorPoll::kDefault, 2, 40000.0));
  check("S3 asymmetric, poll 64-1024 s", anchor_s3_asymmetric(AnchorPoll::kDefault, 2, 40000.0));
  check("S4 falseticker, poll 64-1024 s", anchor_s4_falseticker(AnchorPoll::kDefault, 2, 40000.0));
  check("S5 start-up 0.5 s off", anchor_s5_startup(2, 43200.0));
}

TEST(SimBoundCoverage, Outage) {
  // Three hours of silence: free-running, the bound grows at 15 ppm and keeps true time.
  Scenario s = anchor_s1_lan(AnchorPoll::kDefault, 3, 40000.0);
  s.servers.at(0).outages.push_back({30000.0, 30000.0 + 3 * 3600.0});
  const SimResult r = run(s);
  EXPECT_GT(r.bound.free_running, 3000u);
  check("outage 3 h", s);
}

TEST(SimBoundCoverage, Step) {
  // The client starts 1 s behind two servers without iburst: one step, then the bound.
  Scenario s = anchor_s1_lan(AnchorPoll::kDefault, 4, 20000.0);
  s.initial_offset = -1.0;
  s.servers.push_back(s.servers.at(0));
  const SimResult r = run(s);
  EXPECT_EQ(r.steps, 1);
  check("step (1 s off at start)", s);
}

TEST(SimBoundCoverage, FalsetickerAmongFive) {
  Scenario s = anchor_s1_lan(AnchorPoll::k16s, 7, 20000.0);
  const ServerSpec good = s.servers.at(0);
  s.servers.clear();
  for (int i = 0; i < 5; ++i) s.servers.push_back(good);
  s.servers[3].offset = -3e-3;
  check("falseticker among five", s);
}

TEST(SimBoundCoverage, FrequencyJump) {
  // The oscillator jumps by 10 ppm (within the 15 ppm the bound allows between updates).
  for (const double jump : {10e-6, -10e-6}) {
    Scenario s = anchor_s1_lan(AnchorPoll::kDefault, 5, 40000.0);
    s.oscillator.jump_at = 30000.0;
    s.oscillator.jump = jump;
    check(jump > 0 ? "frequency jump +10 ppm" : "frequency jump -10 ppm", s);
  }
}

}  // namespace
}  // namespace wiretime::sim

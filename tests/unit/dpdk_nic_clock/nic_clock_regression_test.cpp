#include "dataplane/rx/nic_clock_regression.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace wiretime::dpdk {
namespace {

// A NIC clock counting ns at +37 ppm against a 2.5 GHz TSC, sampled every 50 ms.
constexpr double kTscPerNic = 2.5 * (1 + 37e-6);
constexpr uint64_t kTsc0 = 9'000'000'000'000;
constexpr uint64_t kNic0 = 1'700'000'000'000'000'000;

uint64_t tsc_at(uint64_t nic) {
  return kTsc0 + static_cast<uint64_t>(static_cast<double>(nic - kNic0) * kTscPerNic);
}

TEST(NicClockRegression, NeedsAFewPairs) {
  NicClockRegression r;
  EXPECT_FALSE(r.to_tsc(kNic0));
  for (size_t i = 0; i + 1 < NicClockRegression::kMinPairs; ++i)
    r.add(kNic0 + i * 50'000'000, tsc_at(kNic0 + i * 50'000'000));
  EXPECT_FALSE(r.ready());
  r.add(kNic0 + 10 * 50'000'000ull, tsc_at(kNic0 + 10 * 50'000'000ull));
  EXPECT_TRUE(r.ready());
}

TEST(NicClockRegression, MapsStampsOntoTheTscWithinATickWithoutNoise) {
  NicClockRegression r;
  for (uint64_t i = 0; i < 40; ++i) r.add(kNic0 + i * 50'000'000, tsc_at(kNic0 + i * 50'000'000));
  EXPECT_NEAR(r.slope(), kTscPerNic, 1e-9);
  // A stamp between samples and one 10 ms beyond the last.
  for (uint64_t nic : {kNic0 + 1'234'567'891ull, kNic0 + 39 * 50'000'000ull + 10'000'000}) {
    const auto tsc = r.to_tsc(nic);
    ASSERT_TRUE(tsc);
    EXPECT_NEAR(static_cast<double>(*tsc), static_cast<double>(tsc_at(nic)), 2.0);
  }
}

TEST(NicClockRegression, AveragesPairingNoise) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> jitter(-100, 100);  // +-40 ns of TSC pairing noise
  NicClockRegression r;
  for (uint64_t i = 0; i < 64; ++i) {
    const uint64_t nic = kNic0 + i * 50'000'000;
    r.add(nic, static_cast<uint64_t>(static_cast<int64_t>(tsc_at(nic)) + jitter(rng)));
  }
  const uint64_t nic = kNic0 + 63 * 50'000'000ull + 25'000'000;
  EXPECT_NEAR(static_cast<double>(*r.to_tsc(nic)), static_cast<double>(tsc_at(nic)), 100.0);
}

TEST(NicClockRegression, ClockGoingBackwardsRestartsTheFit) {
  NicClockRegression r;
  for (uint64_t i = 0; i < 8; ++i) r.add(kNic0 + i * 1000, kTsc0 + i * 2500);
  EXPECT_TRUE(r.ready());
  r.add(kNic0, kTsc0 + 100'000);  // NIC clock reset
  EXPECT_FALSE(r.ready());
  EXPECT_EQ(r.pairs(), 1u);
}

}  // namespace
}  // namespace wiretime::dpdk

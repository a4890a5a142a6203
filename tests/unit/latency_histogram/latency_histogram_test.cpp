#include "dataplane/server/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

namespace wiretime::server {
namespace {

TEST(LatencyHistogram, BucketsAreContiguousAndAtMostOneThirtySecondWide) {
  using H = LatencyHistogram;
  for (size_t b = 0; b + 1 < H::kBuckets; ++b) {
    const uint64_t lo = H::lower_bound(b), next = H::lower_bound(b + 1);
    ASSERT_LT(lo, next) << b;
    EXPECT_EQ(H::bucket(lo), b);
    EXPECT_EQ(H::bucket(next - 1), b);
    EXPECT_LE((next - lo) * H::kSub, std::max<uint64_t>(lo, H::kSub)) << b;
  }
  EXPECT_EQ(H::bucket(~uint64_t{0}), H::kBuckets - 1);
}

TEST(LatencyHistogram, QuantilesBoundTheTrueOnesWithinOneBucket) {
  auto h = std::make_unique<LatencyHistogram>();
  EXPECT_EQ(h->quantile(0.5), 0u);
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> d(9.0, 1.0);  // ~8 us median in ns, a long tail
  std::vector<uint64_t> v(100000);
  for (auto& x : v) {
    x = static_cast<uint64_t>(d(rng));
    h->record(x);
  }
  std::sort(v.begin(), v.end());
  EXPECT_EQ(h->total(), v.size());
  EXPECT_EQ(h->max(), v.back());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const uint64_t truth = v[static_cast<size_t>(q * static_cast<double>(v.size())) - 1];
    const uint64_t got = h->quantile(q);
    EXPECT_GE(got, truth) << q;
    EXPECT_LE(static_cast<double>(got), static_cast<double>(truth) * (1.0 + 2.0 / 32)) << q;
  }
  EXPECT_EQ(h->quantile(1.0), v.back());
}

TEST(LatencyHistogram, CountsABurstOnceWithItsWeightAndResets) {
  auto h = std::make_unique<LatencyHistogram>();
  h->record(1000, 31);
  h->record(5);
  EXPECT_EQ(h->total(), 32u);
  EXPECT_EQ(h->quantile(0.01), 5u);
  EXPECT_GE(h->quantile(0.5), 1000u);
  EXPECT_LE(h->quantile(0.5), 1000u + 1000u / 32);
  h->reset();
  EXPECT_EQ(h->total(), 0u);
  EXPECT_EQ(h->max(), 0u);
}

}  // namespace
}  // namespace wiretime::server

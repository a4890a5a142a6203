#include "dataplane/l3/neighbor_cache.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::l3 {
namespace {

using test::v4;
using test::v6;

constexpr int64_t kSecond = 1'000'000'000;
const wire::MacAddress kMacA{{0x02, 0, 0, 0, 0, 0xa}};
const wire::MacAddress kMacB{{0x02, 0, 0, 0, 0, 0xb}};
const NeighborKey kServer{0, v4(198, 18, 0, 1)};

struct Timers {
  std::vector<std::pair<NeighborKey, ProbeKind>> probes;
  std::vector<std::pair<NeighborKey, std::optional<int>>> failed;
  void run(NeighborCache<int>& cache, int64_t now) {
    cache.advance(
        now,
        [&](const NeighborKey& k, ProbeKind p, const wire::MacAddress&) {
          probes.push_back({k, p});
        },
        [&](const NeighborKey& k, const std::optional<int>& held) {
          failed.push_back({k, held});
        });
  }
};

TEST(NeighborCache, UnknownNeighbourIsProbedAndThePacketHeld) {
  NeighborCache<int> cache;
  const int packet = 42;
  auto r = cache.resolve(kServer, 0, &packet);
  EXPECT_FALSE(r.mac);
  EXPECT_EQ(r.probe, ProbeKind::kMulticast);
  EXPECT_TRUE(r.held);
  // A second packet replaces the first (one held per neighbour), which the caller drops.
  const int newer = 43;
  r = cache.resolve(kServer, kSecond / 10, &newer);
  EXPECT_EQ(r.probe, ProbeKind::kNone);  // the retransmit timer does the next probe
  EXPECT_EQ(r.displaced, 42);
  EXPECT_EQ(cache.learn(kServer, kMacA, kSecond / 5, LearnKind::kConfirmed), 43);
  r = cache.resolve(kServer, kSecond / 4);
  EXPECT_EQ(r.mac, kMacA);
  EXPECT_EQ(r.probe, ProbeKind::kNone);
}

TEST(NeighborCache, IncompleteEntryRetriesThenFails) {
  NeighborCache<int> cache;  // 3 probes, 1 s apart
  const int packet = 7;
  cache.resolve(kServer, 0, &packet);
  Timers t;
  t.run(cache, kSecond / 2);
  EXPECT_TRUE(t.probes.empty());
  t.run(cache, kSecond);
  t.run(cache, 2 * kSecond);
  ASSERT_EQ(t.probes.size(), 2u);
  EXPECT_EQ(t.probes[0].second, ProbeKind::kMulticast);
  EXPECT_TRUE(t.failed.empty());
  t.run(cache, 3 * kSecond);
  ASSERT_EQ(t.failed.size(), 1u);
  EXPECT_EQ(t.failed[0].second, 7);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(NeighborCache, ReachableAgesToStaleAndIsConfirmedByUnicastProbes) {
  NeighborCache<int> cache;
  cache.resolve(kServer, 0);
  cache.learn(kServer, kMacA, 0, LearnKind::kConfirmed);
  Timers t;
  t.run(cache, 29 * kSecond);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kReachable);
  t.run(cache, 30 * kSecond);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kStale);
  // Used while stale: still sent to the known MAC, and confirmed by a unicast probe.
  auto r = cache.resolve(kServer, 31 * kSecond);
  EXPECT_EQ(r.mac, kMacA);
  EXPECT_EQ(r.probe, ProbeKind::kUnicast);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kProbe);
  cache.learn(kServer, kMacA, 31 * kSecond + 1000, LearnKind::kConfirmed);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kReachable);
}

TEST(NeighborCache, UnansweredUnicastProbesRemoveTheEntry) {
  NeighborCache<int> cache;
  cache.resolve(kServer, 0);
  cache.learn(kServer, kMacA, 0, LearnKind::kConfirmed);
  EXPECT_EQ(cache.resolve(kServer, 40 * kSecond).probe, ProbeKind::kUnicast);
  Timers t;
  for (int s = 41; s <= 44; ++s) t.run(cache, s * kSecond);
  EXPECT_EQ(t.probes.size(), 2u);
  EXPECT_EQ(t.probes[0].second, ProbeKind::kUnicast);
  EXPECT_EQ(t.failed.size(), 1u);
  EXPECT_EQ(cache.lookup(kServer), nullptr);
}

TEST(NeighborCache, UnusedStaleEntriesAgeOut) {
  NeighborCacheConfig config;
  config.stale_lifetime_ns = 60 * kSecond;
  NeighborCache<int> cache(config);
  cache.learn(kServer, kMacA, 0, LearnKind::kHeard, true);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kStale);
  Timers t;
  t.run(cache, 59 * kSecond);
  EXPECT_NE(cache.lookup(kServer), nullptr);
  t.run(cache, 60 * kSecond);
  EXPECT_EQ(cache.lookup(kServer), nullptr);
  EXPECT_TRUE(t.failed.empty());
}

TEST(NeighborCache, HeardAddressesOnlyRefreshUnlessCreated) {
  NeighborCache<int> cache;
  cache.learn(kServer, kMacA, 0, LearnKind::kHeard);
  EXPECT_EQ(cache.lookup(kServer), nullptr);
  cache.resolve(kServer, 0);
  cache.learn(kServer, kMacA, 0, LearnKind::kConfirmed);
  // Overheard with another MAC: the new MAC is taken but must be confirmed again.
  cache.learn(kServer, kMacB, kSecond, LearnKind::kHeard);
  EXPECT_EQ(cache.lookup(kServer)->mac, kMacB);
  EXPECT_EQ(cache.lookup(kServer)->state, NeighborState::kStale);
}

TEST(NeighborCache, KeysIncludeInterfaceAndFamily) {
  NeighborCache<int> cache;
  const NeighborKey other_vrf{1, kServer.ip};
  const NeighborKey ipv6{0, v6(0, 1)};
  cache.resolve(kServer, 0);
  cache.learn(kServer, kMacA, 0, LearnKind::kConfirmed);
  EXPECT_EQ(cache.resolve(other_vrf, 0).probe, ProbeKind::kMulticast);
  EXPECT_FALSE(cache.resolve(other_vrf, 0).mac);
  cache.learn(ipv6, kMacB, 0, LearnKind::kConfirmed);
  EXPECT_EQ(cache.resolve(ipv6, 0).mac, kMacB);
  EXPECT_EQ(cache.resolve(kServer, 0).mac, kMacA);
}

TEST(NeighborCache, FullCacheEvictsStaleEntriesOnly) {
  NeighborCacheConfig config;
  config.capacity = 2;
  NeighborCache<int> cache(config);
  cache.resolve({0, v4(10, 0, 0, 1)}, 0);
  cache.resolve({0, v4(10, 0, 0, 2)}, 0);
  EXPECT_TRUE(cache.resolve({0, v4(10, 0, 0, 3)}, 0).cache_full);
  cache.learn({0, v4(10, 0, 0, 2)}, kMacA, 0, LearnKind::kHeard);  // incomplete -> stale
  const auto r = cache.resolve({0, v4(10, 0, 0, 3)}, 0);
  EXPECT_FALSE(r.cache_full);
  EXPECT_EQ(r.probe, ProbeKind::kMulticast);
  EXPECT_EQ(cache.lookup({0, v4(10, 0, 0, 2)}), nullptr);
}

}  // namespace
}  // namespace wiretime::l3

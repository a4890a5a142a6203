// The live L3 swap's pure part: tables rebuilt from the ones they replace keep indices, VRF ids
// and unchanged revisions; the lcore's NeighborRevisions forgets only the neighbours of
// interfaces that changed; a reader thread routing through swapped tables never sees a freed
// or half-built table (ASan would flag a use after free).
#include "dataplane/l3/network_tables.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::l3 {
namespace {

using test::prefix;
using test::v4;

const wire::MacAddress kMac0{{0x02, 0, 0, 0, 0, 0x10}};
const wire::MacAddress kMac1{{0x02, 0, 0, 0, 0, 0x11}};

InterfaceSpec port(const std::string& name, std::vector<IpPrefix> addresses, std::string vrf = "") {
  return {name, "", kNoVlan, std::move(vrf), std::nullopt, std::move(addresses)};
}
InterfaceSpec sub(const std::string& parent, uint16_t vlan, std::vector<IpPrefix> addresses,
                  std::string vrf = "") {
  return {parent + "." + std::to_string(vlan),
          parent,
          vlan,
          std::move(vrf),
          std::nullopt,
          std::move(addresses)};
}

NetworkSpec before() {
  NetworkSpec n;
  n.interfaces = {port("GE1/0/1", {prefix(v4(198, 18, 0, 2), 24)}),
                  port("GE1/0/2", {prefix(v4(198, 18, 1, 2), 24)}),
                  sub("GE1/0/1", 100, {prefix(v4(198, 18, 2, 2), 24)}, "red")};
  n.routes = {{"", prefix(v4(203, 0, 113, 0), 24), v4(198, 18, 0, 1), ""}};
  return n;
}

// GE1/0/1 untouched, GE1/0/2 readdressed, GE1/0/1.100 gone, GE1/0/1.200 new (in blue), the
// static route moved to GE1/0/2's subnet.
NetworkSpec after() {
  NetworkSpec n;
  n.interfaces = {port("GE1/0/1", {prefix(v4(198, 18, 0, 2), 24)}),
                  port("GE1/0/2", {prefix(v4(198, 18, 3, 2), 24)}),
                  sub("GE1/0/1", 200, {prefix(v4(198, 18, 4, 2), 24)}, "blue")};
  n.routes = {{"", prefix(v4(203, 0, 113, 0), 24), v4(198, 18, 3, 1), ""}};
  return n;
}

TEST(NetworkTables, RebuildKeepsIndicesVrfIdsAndUnchangedRevisions) {
  NetworkTables a;
  ASSERT_EQ(a.build(before(), {kMac0, kMac1}), "");
  NetworkTables b;
  ASSERT_EQ(b.build(after(), {kMac0, kMac1}, &a), "");
  const Interface* ge1 = b.interfaces.find_by_name("GE1/0/1");
  const Interface* ge2 = b.interfaces.find_by_name("GE1/0/2");
  const Interface* v200 = b.interfaces.find_by_name("GE1/0/1.200");
  ASSERT_TRUE(ge1 && ge2 && v200);
  EXPECT_EQ(ge1->index, a.interfaces.find_by_name("GE1/0/1")->index);
  EXPECT_EQ(ge1->revision, a.interfaces.find_by_name("GE1/0/1")->revision);
  EXPECT_EQ(ge2->index, a.interfaces.find_by_name("GE1/0/2")->index);
  EXPECT_NE(ge2->revision, a.interfaces.find_by_name("GE1/0/2")->revision);
  // The removed sub-interface's index is free again; the new one takes it with a new revision.
  EXPECT_EQ(b.interfaces.find_by_name("GE1/0/1.100"), nullptr);
  EXPECT_EQ(v200->index, 2);
  EXPECT_NE(v200->revision, a.interfaces.find_by_name("GE1/0/1.100")->revision);
  EXPECT_NE(v200->revision, ge2->revision);
  // VRF ids: red keeps its id (nothing uses it now), blue is new.
  EXPECT_EQ(b.interfaces.vrf_id("red"), a.interfaces.vrf_id("red"));
  EXPECT_EQ(*b.interfaces.vrf_id("blue"), 2);
  // Routes follow: the static route now leaves through GE1/0/2.
  const auto hop = b.routes.lookup(kDefaultVrf, v4(203, 0, 113, 9));
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->interface, ge2->index);
  EXPECT_EQ(hop->neighbor, v4(198, 18, 3, 1));
}

TEST(NetworkTables, SpecOrderDoesNotRenumber) {
  NetworkTables a;
  NetworkSpec s = before();
  s.interfaces.push_back(sub("GE1/0/2", 7, {}));
  ASSERT_EQ(a.build(s, {kMac0, kMac1}), "");
  std::swap(s.interfaces[2], s.interfaces[3]);
  NetworkTables b;
  ASSERT_EQ(b.build(s, {kMac0, kMac1}, &a), "");
  for (const Interface& itf : a.interfaces.all()) {
    const Interface* same = b.interfaces.find_by_name(itf.name);
    ASSERT_NE(same, nullptr);
    EXPECT_EQ(same->index, itf.index) << itf.name;
    EXPECT_EQ(same->revision, itf.revision) << itf.name;
  }
  // all() stays in index order.
  for (size_t i = 1; i < b.interfaces.all().size(); ++i) {
    EXPECT_LT(b.interfaces.all()[i - 1].index, b.interfaces.all()[i].index);
  }
}

TEST(NetworkTables, RefusesWhatTheTablesCannotHoldAndKeepsNothingHalfBuilt) {
  NetworkTables a;
  ASSERT_EQ(a.build(before(), {kMac0, kMac1}), "");
  NetworkSpec many = before();
  for (uint16_t vlan = 1; vlan <= kMaxInterfaces; ++vlan) {
    many.interfaces.push_back(sub("GE1/0/2", vlan, {}));
  }
  NetworkTables b;
  EXPECT_NE(b.build(many, {kMac0, kMac1}, &a).find("more than 64 interfaces"), std::string::npos);
}

TEST(NeighborRevisions, ForgetsOnlyTheNeighboursOfChangedInterfaces) {
  NetworkTables a;
  ASSERT_EQ(a.build(before(), {kMac0, kMac1}), "");
  NeighborCache<int> cache;
  NeighborRevisions revisions;
  int announced = 0;
  revisions.adopt(
      a.interfaces, cache, [](const NeighborKey&, const std::optional<int>&) {},
      [&](const Interface&) { ++announced; });
  EXPECT_EQ(announced, 3);  // the first table: every interface is new
  const wire::MacAddress mac{{0x02, 0, 0, 0, 0, 0x77}};
  cache.learn({0, v4(198, 18, 0, 1)}, mac, 0, LearnKind::kConfirmed, true);
  cache.learn({1, v4(198, 18, 1, 1)}, mac, 0, LearnKind::kConfirmed, true);
  const int held = 42;
  (void)cache.resolve({2, v4(198, 18, 2, 1)}, 0, &held);  // incomplete, a packet parked

  NetworkTables b;
  ASSERT_EQ(b.build(after(), {kMac0, kMac1}, &a), "");
  std::vector<int> dropped;
  std::vector<std::string> changed;
  revisions.adopt(
      b.interfaces, cache,
      [&](const NeighborKey&, const std::optional<int>& h) { dropped.push_back(h.value_or(-1)); },
      [&](const Interface& itf) { changed.push_back(itf.name); });
  EXPECT_NE(cache.lookup({0, v4(198, 18, 0, 1)}), nullptr);  // untouched: kept
  EXPECT_EQ(cache.lookup({1, v4(198, 18, 1, 1)}), nullptr);  // readdressed: forgotten
  EXPECT_EQ(cache.lookup({2, v4(198, 18, 2, 1)}), nullptr);  // removed: forgotten
  EXPECT_EQ(cache.size(), 1u);
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_NE(std::find(dropped.begin(), dropped.end(), 42), dropped.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"GE1/0/2", "GE1/0/1.200"}));

  // The same table again changes nothing.
  changed.clear();
  revisions.adopt(
      b.interfaces, cache, [](const NeighborKey&, const std::optional<int>&) {},
      [&](const Interface& itf) { changed.push_back(itf.name); });
  EXPECT_TRUE(changed.empty());
  EXPECT_EQ(cache.size(), 1u);
}

// An lcore-like reader routes through whatever table it acquired while control keeps
// replacing the tables: the untouched interface's route never changes, and every table the
// reader held stays intact until its next acquire.
TEST(NetworkTablePublisher, ReaderRoutesThroughSwapsWithoutSeeingAFreedTable) {
  NetworkTablePublisher pub;
  auto first = std::make_unique<NetworkTables>();
  ASSERT_EQ(first->build(before(), {kMac0, kMac1}), "");
  const NetworkTables* previous = first.get();
  pub.publish(std::move(first));
  const size_t reader = pub.register_reader();
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> passes{0};
  std::atomic<bool> bad{false};
  std::thread lcore([&] {
    NeighborCache<int> cache;
    NeighborRevisions revisions;
    const NetworkTables* held = nullptr;
    while (!stop.load()) {
      const NetworkTables* t = pub.acquire(reader);  // the pass's quiescent point
      if (t != held) {
        revisions.adopt(
            t->interfaces, cache, [](const NeighborKey&, const std::optional<int>&) {},
            [](const Interface&) {});
        held = t;
      }
      for (int k = 0; k < 20; ++k) {
        const auto hop = t->routes.lookup(kDefaultVrf, v4(198, 18, 0, 9));
        const Interface* itf = hop ? t->interfaces.find(hop->interface) : nullptr;
        if (itf == nullptr || itf->name != "GE1/0/1" || itf->index != 0) bad = true;
      }
      ++passes;
    }
  });
  // Swaps must overlap the reader's passes, also when the scheduler starts it late.
  const auto wait_for_reader = [&passes] {
    const uint64_t seen = passes.load();
    while (passes.load() < seen + 1) std::this_thread::yield();
  };
  for (int i = 0; i < 1000; ++i) {
    if (i % 50 == 0) wait_for_reader();
    auto next = std::make_unique<NetworkTables>();
    ASSERT_EQ(next->build(i % 2 == 0 ? after() : before(), {kMac0, kMac1}, previous), "");
    previous = next.get();
    pub.publish(std::move(next));
  }
  stop = true;
  lcore.join();
  EXPECT_FALSE(bad.load());
  EXPECT_GE(passes.load(), 20u);
  (void)pub.acquire(reader);
  pub.reclaim();
  EXPECT_EQ(pub.retired(), 0u);
}

// A reader that only reads now and then (telemetry) holds nothing back between its reads.
TEST(NetworkTablePublisher, ReleasedReaderDoesNotHoldReclamation) {
  NetworkTablePublisher pub;
  const size_t lcore = pub.register_reader();
  const size_t telemetry = pub.register_reader();
  auto t0 = std::make_unique<NetworkTables>();
  ASSERT_EQ(t0->build(before(), {kMac0, kMac1}), "");
  pub.publish(std::move(t0));
  ASSERT_NE(pub.acquire(telemetry), nullptr);
  pub.release(telemetry);
  auto t1 = std::make_unique<NetworkTables>();
  ASSERT_EQ(t1->build(after(), {kMac0, kMac1}), "");
  pub.publish(std::move(t1));
  EXPECT_EQ(pub.retired(), 1u);  // the lcore has not passed a quiescent point yet
  (void)pub.acquire(lcore);
  pub.reclaim();
  EXPECT_EQ(pub.retired(), 0u);
}

}  // namespace
}  // namespace wiretime::l3

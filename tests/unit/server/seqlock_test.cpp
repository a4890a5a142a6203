#include "dataplane/server/seqlock.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>

#include "dataplane/server/server_state.hpp"

namespace wiretime::server {
namespace {

struct Words {
  std::array<uint64_t, 24> w{};
};

TEST(Seqlock, ReadReturnsWhatWasStored) {
  PublishedServer published;
  EXPECT_EQ(published.read().clock.stratum, 16);  // unsynchronised by default
  EXPECT_EQ(published.read().clock.leap, 3);
  ServerSnapshot s;
  s.clock.stratum = 3;
  s.clock.reference_id = 0xc6120001;
  s.listen.ipv4_enabled = true;
  s.listen.ipv4_interfaces = 0b101;
  published.store(s);
  const ServerSnapshot r = published.read();
  EXPECT_EQ(r.clock.stratum, 3);
  EXPECT_EQ(r.clock.reference_id, 0xc6120001u);
  EXPECT_TRUE(r.listen.ipv4_enabled);
  EXPECT_EQ(r.listen.ipv4_interfaces, 0b101u);
}

// A reader racing the writer never sees a mix of two stores: every word of a value is the
// same number, so a torn read shows as two different words.
TEST(Seqlock, ConcurrentReadersNeverSeeATornValue) {
  Seqlock<Words> lock;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done.load(std::memory_order_relaxed)) {
      const Words v = lock.read();
      for (uint64_t x : v.w) {
        if (x != v.w[0]) {
          torn.fetch_add(1);
          break;
        }
      }
      reads.fetch_add(1, std::memory_order_relaxed);
    }
  });
  for (uint64_t i = 1; i <= 200'000; ++i) {
    Words v;
    v.w.fill(i);
    lock.store(v);
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0u);
  EXPECT_EQ(torn.load(), 0u);
  EXPECT_EQ(lock.read().w[5], 200'000u);
}

}  // namespace
}  // namespace wiretime::server

#include "control/resolver/name_resolver.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace wiretime::resolver {
namespace {

constexpr engine::SteadyNanos kSecond = 1'000'000'000;

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}

// Polls a worker-mode resolver (waiting on its wake fd) until `count` events or 5 s.
std::vector<ResolveEvent> wait_events(NameResolver& r, size_t count, engine::SteadyNanos now) {
  std::vector<ResolveEvent> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    pollfd p{r.wake_fd(), POLLIN, 0};
    ::poll(&p, 1, 50);
    r.poll(now, out);
  }
  return out;
}

TEST(BackoffDelay, DoublesUpToTheCap) {
  BackoffPolicy p;  // 2 s, x2, 300 s
  EXPECT_EQ(backoff_delay(p, 1), 2 * kSecond);
  EXPECT_EQ(backoff_delay(p, 2), 4 * kSecond);
  EXPECT_EQ(backoff_delay(p, 5), 32 * kSecond);
  EXPECT_EQ(backoff_delay(p, 8), 256 * kSecond);
  EXPECT_EQ(backoff_delay(p, 9), 300 * kSecond);
  EXPECT_EQ(backoff_delay(p, 4'000'000'000u), 300 * kSecond);
  p.factor = 0;  // degenerate: constant
  EXPECT_EQ(backoff_delay(p, 7), 2 * kSecond);
}

TEST(NameResolverWorker, AnswersArriveAsEventsFromAnotherThread) {
  std::atomic<std::thread::id> lookup_thread{};
  ResolverOptions o;
  NameResolver r(o, [&](const std::string& name, AddressFamily) {
    lookup_thread = std::this_thread::get_id();
    return LookupResult{{name == "ntp.example" ? v4(198, 18, 0, 1) : v4(0, 0, 0, 0)}, {}};
  });
  // No thread and no descriptor before the first name (a daemon of addresses stays one thread).
  EXPECT_EQ(r.wake_fd(), -1);
  r.resolve(7, "ntp.example", 0);
  ASSERT_GE(r.wake_fd(), 0);
  EXPECT_EQ(r.pending(), 1u);
  const auto events = wait_events(r, 1, 0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].tag, 7u);
  EXPECT_EQ(events[0].name, "ntp.example");
  ASSERT_TRUE(events[0].ok);
  EXPECT_EQ(events[0].addresses, std::vector{v4(198, 18, 0, 1)});
  EXPECT_NE(lookup_thread.load(), std::this_thread::get_id());
  EXPECT_EQ(r.pending(), 0u);
  EXPECT_EQ(r.next_due(), std::nullopt);
}

TEST(NameResolverWorker, ControlNeverWaitsForASlowLookup) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  NameResolver r({}, [released](const std::string&, AddressFamily) {
    released.wait();
    return LookupResult{{v4(198, 18, 0, 2)}, {}};
  });
  const auto t0 = std::chrono::steady_clock::now();
  r.resolve(1, "slow.example", 0);
  std::vector<ResolveEvent> out;
  for (int i = 0; i < 20; ++i) r.poll(0, out);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));
  EXPECT_TRUE(out.empty());
  release->set_value();
  const auto events = wait_events(r, 1, 0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].ok);
}

TEST(NameResolverWorker, DestructionDoesNotWaitForALookupInProgress) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  auto started = std::make_shared<std::promise<void>>();
  std::optional<NameResolver> r;
  r.emplace(ResolverOptions{}, [released, started](const std::string&, AddressFamily) {
    started->set_value();
    released.wait();
    return LookupResult{};
  });
  r->resolve(1, "stuck.example", 0);
  started->get_future().wait();
  const auto t0 = std::chrono::steady_clock::now();
  r.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(100));
  release->set_value();  // lets the detached thread finish and free the shared state
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

TEST(NameResolverWorker, FailuresBackOffAndRetryUntilTheNameResolves) {
  std::atomic<int> calls{0};
  ResolverOptions o;
  o.backoff = {1 * kSecond, 8 * kSecond, 2};
  NameResolver r(o, [&](const std::string&, AddressFamily) {
    return ++calls < 3 ? LookupResult{{}, "Name or service not known"}
                       : LookupResult{{v4(198, 18, 0, 3)}, {}};
  });
  r.resolve(4, "late.example", 10 * kSecond);
  auto ev = wait_events(r, 1, 10 * kSecond);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_FALSE(ev[0].ok);
  EXPECT_EQ(ev[0].error, "Name or service not known");
  EXPECT_EQ(ev[0].failures, 1u);
  EXPECT_EQ(ev[0].retry_at, 11 * kSecond);
  EXPECT_EQ(r.next_due(), 11 * kSecond);
  // Asking again during the back-off does not start a lookup.
  r.resolve(4, "late.example", 10 * kSecond);
  std::vector<ResolveEvent> out;
  r.poll(11 * kSecond - 1, out);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  r.poll(11 * kSecond - 1, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(calls.load(), 1);
  // Due: second attempt fails, the back-off doubles.
  r.poll(11 * kSecond, out);
  ev = wait_events(r, 1, 11 * kSecond);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].failures, 2u);
  EXPECT_EQ(ev[0].retry_at, 13 * kSecond);
  r.poll(13 * kSecond, out);
  ev = wait_events(r, 1, 13 * kSecond);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].ok);
  EXPECT_EQ(ev[0].failures, 0u);
  EXPECT_EQ(calls.load(), 3);
}

TEST(NameResolverWorker, CancelAndNewNamesDropStaleAnswers) {
  std::mutex m;
  std::vector<std::string> looked_up;
  NameResolver r({}, [&](const std::string& name, AddressFamily) {
    std::lock_guard lock(m);
    looked_up.push_back(name);
    return LookupResult{{name == "b.example" ? v4(198, 18, 0, 11) : v4(198, 18, 0, 10)}, {}};
  });
  r.resolve(1, "a.example", 0);
  r.resolve(1, "b.example", 0);  // supersedes a.example
  r.resolve(2, "a.example", 0);
  r.cancel(2);
  auto ev = wait_events(r, 1, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  r.poll(0, ev);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].tag, 1u);
  EXPECT_EQ(ev[0].name, "b.example");
  EXPECT_EQ(ev[0].addresses, std::vector{v4(198, 18, 0, 11)});
  // Re-resolution after a success looks the name up again.
  r.resolve(1, "b.example", 0);
  ev = wait_events(r, 1, 0);
  ASSERT_EQ(ev.size(), 1u);
  std::lock_guard lock(m);
  EXPECT_EQ(looked_up.size(), 4u);
}

TEST(NameResolverSynchronous, RunsDueLookupsInPollOnTheCallingThread) {
  std::vector<std::thread::id> threads;
  ResolverOptions o;
  o.mode = ResolverMode::kSynchronous;
  o.family = AddressFamily::kIpv6;
  AddressFamily seen = AddressFamily::kAny;
  NameResolver r(o, [&](const std::string&, AddressFamily family) {
    threads.push_back(std::this_thread::get_id());
    seen = family;
    wire::Ipv6Address a;
    a.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
    return LookupResult{{wire::IpAddress::from(a)}, {}};
  });
  EXPECT_EQ(r.wake_fd(), -1);
  r.resolve(1, "one.example", 0);
  r.resolve(2, "two.example", 0);
  EXPECT_TRUE(threads.empty());  // resolve() itself never looks anything up
  EXPECT_EQ(r.next_due(), 0);
  std::vector<ResolveEvent> out;
  r.poll(0, out);  // one lookup per poll by default
  ASSERT_EQ(out.size(), 1u);
  r.poll(0, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].tag, 2u);
  EXPECT_EQ(format_address(out[1].addresses[0]), "2001:db8::7");
  EXPECT_EQ(seen, AddressFamily::kIpv6);
  ASSERT_EQ(threads.size(), 2u);
  EXPECT_EQ(threads[0], std::this_thread::get_id());
  EXPECT_EQ(r.next_due(), std::nullopt);
}

TEST(NameResolverSynchronous, ThrowingLookupIsAFailureWithBackoff) {
  ResolverOptions o;
  o.mode = ResolverMode::kSynchronous;
  o.backoff = {3 * kSecond, 60 * kSecond, 2};
  NameResolver r(o, [](const std::string&, AddressFamily) -> LookupResult {
    throw std::runtime_error("boom");
  });
  r.resolve(9, "x.example", 5 * kSecond);
  std::vector<ResolveEvent> out;
  r.poll(5 * kSecond, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].ok);
  EXPECT_EQ(out[0].error, "lookup failed: boom");
  EXPECT_EQ(r.next_due(), 8 * kSecond);
  r.poll(8 * kSecond, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].retry_at, 14 * kSecond);
  EXPECT_EQ(r.pending(), 1u);
}

TEST(SystemLookup, LiteralsAndLocalhostResolveWithoutDns) {
  auto r = system_lookup("198.18.0.5", AddressFamily::kAny);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.addresses, std::vector{v4(198, 18, 0, 5)});
  r = system_lookup("2001:db8::1", AddressFamily::kIpv6);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(format_address(r.addresses[0]), "2001:db8::1");
  r = system_lookup("2001:db8::1", AddressFamily::kIpv4);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.error.empty());
  r = system_lookup("localhost", AddressFamily::kIpv4);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.addresses[0], v4(127, 0, 0, 1));
}

TEST(SystemLookup, BoundedLookupResolvesLiterals) {
  const auto lookup = system_lookup_bounded(std::chrono::seconds(1), 1);
  const auto r = lookup("198.18.0.9", AddressFamily::kAny);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(format_address(r.addresses[0]), "198.18.0.9");
}

}  // namespace
}  // namespace wiretime::resolver

#include "control/daemon/system_resolver.hpp"

#include <gtest/gtest.h>

#include "control/runtime/virtual_clock.hpp"

namespace wiretime::daemon {
namespace {

class NullTransport : public runtime::Transport {
 public:
  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest&) override {
    sent.push_back(peer);
    return true;
  }
  std::vector<runtime::Peer> sent;
};

// A domain association asks the resolver; a failed lookup keeps it unresolved and is retried;
// the answer of the transport's family (IPv4 here) becomes the peer, with the configured port.
TEST(SystemResolver, ResolvesDomainAssociationsThroughTheLoop) {
  uint64_t ticks = 1'000'000'000;
  engine::SteadyNanos now = 0;
  clock::PublishedClock published;
  runtime::VirtualClock clock(published,
                              clock::ClockModel::from_rate(ticks, 1'700'000'000'000'000'000, 1e9),
                              [&] { return ticks; });
  int lookups = 0;
  resolver::ResolverOptions options;
  options.mode = resolver::ResolverMode::kSynchronous;
  options.family = resolver::AddressFamily::kIpv4;
  SystemResolver names(
      options, [&] { return now; },
      [&](const std::string& name, resolver::AddressFamily) {
        resolver::LookupResult r;
        if (++lookups == 1 || name != "ntp.test") {
          r.error = "not found";
        } else {
          r.addresses.push_back(wire::IpAddress::from(wire::Ipv6Address{}));
          r.addresses.push_back(wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 9}}));
        }
        return r;
      });
  NullTransport transport;
  runtime::RuntimeObserver observer;
  runtime::ControlLoop loop(engine::EngineConfig{}, 3, clock, transport, observer, &names);
  engine::AssociationConfig a;
  a.address = "ntp.test";
  a.is_domain = true;
  a.version = 4;
  a.min_poll = 0;
  a.max_poll = 0;
  const auto id = loop.add(a, runtime::Peer{});
  names.set_port(id, 1123);

  bool resolved = false;
  int failures = 0;
  for (int step = 0; step < 200 && transport.sent.empty(); ++step) {
    loop.run_due();
    if (const auto due = names.next_due(); due && *due <= now) {
      for (const auto& e : names.deliver(loop)) {
        if (e.ok)
          resolved = true;
        else
          ++failures;
      }
    }
    ticks += 100'000'000;
    now += 100'000'000;
  }
  EXPECT_EQ(failures, 1);
  EXPECT_TRUE(resolved);
  ASSERT_FALSE(transport.sent.empty());
  EXPECT_EQ(transport.sent.front(),
            (runtime::Peer{wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 9}}), 1123}));
}

}  // namespace
}  // namespace wiretime::daemon

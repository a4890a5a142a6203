// The control side of live L3: a commit that changes section-12 entries hands the backend new
// tables built by the start-up function; anything else does not; a refusal is logged.
#include "control/daemon/l3_publisher.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

std::vector<config::InterfaceSection> inventory() {
  config::InterfaceSection port;
  port.name = "GE1/0/1";
  port.devargs = "net_null0";
  return {port};
}

config::NtpConfig with_address(const std::string& address) {
  config::NtpConfig c;
  config::InterfaceSettings s;
  s.name = "GE1/0/1";
  s.ipv4.push_back({address, 24});
  c.interfaces.push_back(s);
  return c;
}

struct Recorder {
  std::vector<l3::NetworkSpec> applied;
  std::vector<std::string> info, warnings;
  std::string refuse;
  L3Publisher make(const config::NtpConfig& running) {
    return L3Publisher(
        inventory(), running,
        [this](const l3::NetworkSpec& n) {
          applied.push_back(n);
          return refuse;
        },
        [this](const std::string& m) { info.push_back(m); },
        [this](const std::string& m) { warnings.push_back(m); });
  }
};

TEST(L3Publisher, HandsOverTablesOnlyWhenSectionTwelveChanged) {
  Recorder r;
  config::NtpConfig running;  // inventory-only start
  L3Publisher p = r.make(running);
  EXPECT_FALSE(p.update(running));
  running.max_distance = 3;  // not L3
  EXPECT_FALSE(p.update(running));
  EXPECT_TRUE(r.applied.empty());

  running = with_address("198.18.0.2");
  EXPECT_TRUE(p.update(running));
  ASSERT_EQ(r.applied.size(), 1u);
  ASSERT_EQ(r.applied[0].interfaces.size(), 1u);
  ASSERT_EQ(r.applied[0].interfaces[0].addresses.size(), 1u);
  EXPECT_EQ(l3::to_string(r.applied[0].interfaces[0].addresses[0]), "198.18.0.2/24");
  EXPECT_FALSE(p.update(running));  // same again: nothing
  EXPECT_EQ(r.applied.size(), 1u);

  config::StaticRoute route;
  route.prefix = "203.0.113.0";
  route.prefix_length = 24;
  route.next_hop = "198.18.0.1";
  running.static_routes.push_back(route);
  EXPECT_TRUE(p.update(running));
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[1].routes.size(), 1u);
  EXPECT_EQ(r.info.size(), 2u);
}

TEST(L3Publisher, ARefusalIsLoggedNotSwallowed) {
  Recorder r;
  r.refuse = "the socket backend uses the kernel's addresses and routes (ip(8))";
  L3Publisher p = r.make(config::NtpConfig{});
  EXPECT_FALSE(p.update(with_address("198.18.0.2")));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("not applied: the socket backend"), std::string::npos);
}

}  // namespace
}  // namespace wiretime::daemon

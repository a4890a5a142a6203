#include "control/daemon/daemon_config.hpp"

#include <gtest/gtest.h>

#include "control/daemon/server_specs.hpp"

namespace wiretime::daemon {
namespace {

constexpr const char* kBase =
    "dataplane:\n"
    "  eal: []\n"
    "%BACKEND%"
    "interfaces:\n"
    "  - name: GE1/0/1\n"
    "    devargs: kernel\n"
    "    ipv4: 198.18.0.2/24\n"
    "clock:\n"
    "%DRIVER%"
    "  test-initial-offset-ns: 5000000\n"
    "log:\n"
    "  tracking: /tmp/t.log\n"
    "ntp:\n"
    "  unicast-servers:\n"
    "    - address: 198.18.0.1\n"
    "      minpoll: 0\n"
    "      maxpoll: 4\n";

std::string make(const std::string& backend, const std::string& driver) {
  std::string s = kBase;
  s.replace(s.find("%BACKEND%"), 9, backend);
  s.replace(s.find("%DRIVER%"), 8, driver);
  return s;
}

TEST(DaemonConfig, ReadsTheDaemonKeysAndLeavesTheRestToTheStartupLoader) {
  const auto r =
      load_daemon_config_text(make("  backend: socket\n", "  driver: system\n"), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().backend, Backend::kSocket);
  EXPECT_EQ(r.value().clock, ClockDriverKind::kSystem);
  EXPECT_EQ(r.value().tracking_log, "/tmp/t.log");
  EXPECT_EQ(r.value().startup.clock.test_initial_offset_ns, 5'000'000);
  ASSERT_EQ(r.value().startup.ntp.unicast_servers.size(), 1u);
}

TEST(DaemonConfig, DefaultsAreDpdkAndVirtual) {
  const auto r = load_daemon_config_text(make("", ""), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().backend, Backend::kDpdk);
  EXPECT_EQ(r.value().clock, ClockDriverKind::kVirtual);
}

TEST(DaemonConfig, UnknownBackendIsReportedAtItsPosition) {
  const auto r = load_daemon_config_text(make("  backend: kernel\n", ""), "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(),
            "d.yaml:3:3: dataplane.backend: unknown backend 'kernel' (dpdk, socket)");
}

// Issue 11: the DPDK backend steers CLOCK_REALTIME after its disciplined clock.
TEST(DaemonConfig, SystemClockWorksWithTheDpdkBackend) {
  const auto r = load_daemon_config_text(make("", "  driver: system\n"), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().backend, Backend::kDpdk);
  EXPECT_EQ(r.value().clock, ClockDriverKind::kSystem);
}

TEST(DaemonConfig, ClockOutputs) {
  auto r = load_daemon_config_text(
      make("", "  shm-path: /run/x/clock.shm\n  chrony-sock: /run/chrony/wt.sock\n"), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().shm_path, "/run/x/clock.shm");
  EXPECT_EQ(r.value().chrony_sock, "/run/chrony/wt.sock");
  r = load_daemon_config_text(make("", "  chrony-sock: " + std::string(120, 'a') + "\n"), "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().path, "clock.chrony-sock");
  EXPECT_NE(r.error().message.find("1-107"), std::string::npos);
}

TEST(DaemonConfig, PositionsOfOtherErrorsAreUnchanged) {
  std::string text = make("  backend: socket\n", "  driver: virtual\n");
  text.replace(text.find("198.18.0.2/24"), 13, "198.18.0.300/24");
  const auto r = load_daemon_config_text(text, "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 7);
  EXPECT_EQ(r.error().column, 5);
  EXPECT_EQ(r.error().path, "interfaces[0].ipv4");
}

TEST(DaemonConfig, FlowStyleDaemonKeysAreRejected) {
  std::string text = make("", "");
  text.replace(text.find("log:\n  tracking: /tmp/t.log\n"), 28, "log: {tracking: /tmp/t.log}\n");
  const auto r = load_daemon_config_text(text, "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().path, "log.tracking");
}

TEST(DaemonConfig, ServerSpecsCarryAddressPortAndPolls) {
  const auto r = load_daemon_config_text(make("", ""), "d.yaml");
  ASSERT_TRUE(r);
  const auto specs = server_specs(r.value().startup.ntp);
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].config.address, "198.18.0.1");
  EXPECT_EQ(specs[0].config.min_poll, 0);
  EXPECT_EQ(specs[0].config.max_poll, 4);
  EXPECT_EQ(specs[0].peer.port, 123);
  EXPECT_EQ(specs[0].peer.address.v4, (wire::Ipv4Address{{198, 18, 0, 1}}));
}

}  // namespace
}  // namespace wiretime::daemon

#include "control/daemon/daemon_config.hpp"

#include <gtest/gtest.h>

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

TEST(DaemonConfig, ReadsTheDaemonKeysOfTheOneModel) {
  const auto r =
      load_daemon_config_text(make("  backend: socket\n", "  driver: system\n"), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().backend, BackendKind::kSocket);
  EXPECT_EQ(r.value().clock, ClockDriverKind::kSystem);
  EXPECT_EQ(r.value().tracking_log, "/tmp/t.log");
  EXPECT_EQ(r.value().startup.clock.test_initial_offset_ns, 5'000'000);
  ASSERT_EQ(r.value().running().unicast_servers.size(), 1u);
}

TEST(DaemonConfig, DefaultsAreDpdkAndVirtual) {
  const auto r = load_daemon_config_text(make("", ""), "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().backend, BackendKind::kDpdk);
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
  EXPECT_EQ(r.value().backend, BackendKind::kDpdk);
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

TEST(DaemonConfig, PositionsOfErrorsAreThoseOfTheFile) {
  std::string text = make("  backend: socket\n", "  driver: virtual\n");
  text.replace(text.find("minpoll: 0"), 10, "minpoll: x");
  const auto r = load_daemon_config_text(text, "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 16);
  EXPECT_EQ(r.error().path, "ntp.unicast-servers[0].minpoll");
}

// The daemon's keys are keys of the one schema: flow style is as good as block style.
TEST(DaemonConfig, FlowStyleDaemonKeysAreRead) {
  std::string text = make("", "");
  text.replace(text.find("log:\n  tracking: /tmp/t.log\n"), 28, "log: {tracking: /tmp/t.log}\n");
  const auto r = load_daemon_config_text(text, "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().tracking_log, "/tmp/t.log");
}

TEST(DaemonConfig, ServersAreTheRunningConfigurationsAssociations) {
  const auto r = load_daemon_config_text(make("", ""), "d.yaml");
  ASSERT_TRUE(r);
  ASSERT_EQ(r.value().running().unicast_servers.size(), 1u);
  const config::Association& a = r.value().running().unicast_servers[0];
  EXPECT_EQ(a.address, "198.18.0.1");
  EXPECT_EQ(a.minpoll, 0);
  EXPECT_EQ(a.maxpoll, 4);
  EXPECT_EQ(a.port, 123);
}

}  // namespace
}  // namespace wiretime::daemon

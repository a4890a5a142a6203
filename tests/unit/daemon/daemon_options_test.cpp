#include "control/daemon/daemon_options.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

TEST(DaemonOptions, ParsesAllForms) {
  std::string error;
  auto o =
      parse_daemon_options({"--config", "a.yaml", "--log-level=debug", "--check-config"}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->config_path, "a.yaml");
  EXPECT_EQ(o->log_level, config::LogLevel::kDebug);
  EXPECT_TRUE(o->check_config);
  o = parse_daemon_options({"--config=b.yaml"}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->config_path, "b.yaml");
  EXPECT_FALSE(o->log_level);
  EXPECT_FALSE(o->check_config);
}

TEST(DaemonOptions, NoMgmtSocketTurnsTheSocketOff) {
  std::string error;
  auto o = parse_daemon_options({"--config", "a.yaml"}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_FALSE(o->mgmt_socket.empty());
  o = parse_daemon_options({"--config", "a.yaml", "--no-mgmt-socket"}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_TRUE(o->mgmt_socket.empty());
}

TEST(DaemonOptions, Errors) {
  std::string error;
  EXPECT_FALSE(parse_daemon_options({}, error));
  EXPECT_EQ(error, "--config FILE is required");
  error.clear();
  EXPECT_FALSE(parse_daemon_options({"--config"}, error));
  EXPECT_EQ(error, "--config needs a value");
  error.clear();
  EXPECT_FALSE(parse_daemon_options({"--config", "a", "--log-level", "loud"}, error));
  EXPECT_EQ(error, "unknown log level 'loud'");
  error.clear();
  EXPECT_FALSE(parse_daemon_options({"--config", "a", "-x"}, error));
  EXPECT_EQ(error, "unknown argument '-x'");
}

TEST(DaemonOptions, HelpNeedsNoConfig) {
  std::string error;
  const auto o = parse_daemon_options({"--help"}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_TRUE(o->help);
}

}  // namespace
}  // namespace wiretime::daemon

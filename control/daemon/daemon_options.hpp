// Command line of wiretimed: --config FILE [--log-level L] [--check-config].
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/startup/startup_config.hpp"

namespace wiretime::daemon {

struct DaemonOptions {
  std::string config_path;
  std::optional<config::LogLevel> log_level;                 // overrides log.level from the YAML
  bool check_config = false;                                 // validate the YAML and exit
  std::string mgmt_socket = "/run/wiretime/wiretimed.sock";  // wiretime-cli's socket
  bool help = false;
};

// Exit statuses, documented in docs/operations.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeError = 1;  // DPDK, port or file trouble after validation
inline constexpr int kExitConfigError = 2;   // bad command line or start-up YAML

const char* usage();

// `args` excludes argv[0]. On error, `error` says what is wrong and the result is empty.
std::optional<DaemonOptions> parse_daemon_options(const std::vector<std::string>& args,
                                                  std::string& error);

}  // namespace wiretime::daemon

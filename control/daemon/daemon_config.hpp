// The daemon's view of its start-up YAML: everything config/startup loads, plus the keys that
// select how the daemon runs and that the start-up schema does not carry yet:
//   dataplane.backend: dpdk | socket   (default dpdk)
//   clock.driver:      virtual | system (system only with the socket backend)
//   log.tracking:      FILE             (one line per clock update)
// These keys are read here with their positions and blanked out (same length, so every other
// line and column stays where it was) before the text goes to the start-up loader. When the
// start-up schema takes them over, this file shrinks to a call of that loader.
#pragma once

#include <string>
#include <string_view>

#include "config/startup/startup_config.hpp"

namespace wiretime::daemon {

enum class Backend { kDpdk, kSocket };
enum class ClockDriverKind { kVirtual, kSystem };

struct DaemonConfig {
  config::StartupConfig startup;
  Backend backend = Backend::kDpdk;
  ClockDriverKind clock = ClockDriverKind::kVirtual;
  std::string tracking_log;  // empty: none
};

const char* to_string(Backend backend);
const char* to_string(ClockDriverKind clock);

config::ConfigResult<DaemonConfig> load_daemon_config_text(std::string_view text,
                                                           const std::string& file_name);
config::ConfigResult<DaemonConfig> load_daemon_config_file(const std::string& path);

}  // namespace wiretime::daemon

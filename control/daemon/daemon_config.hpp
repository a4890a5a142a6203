// The daemon's view of its file: config/startup parses it once into one model (inventory and
// running configuration, startup_config.hpp); this adds the daemon's own names for how it runs.
#pragma once

#include <string>

#include "config/startup/startup_config.hpp"

namespace wiretime::daemon {

using BackendKind = config::BackendKind;  // `dataplane.backend`
enum class ClockDriverKind { kVirtual, kSystem };

struct DaemonConfig {
  config::StartupConfig startup;  // inventory + running configuration (`startup.running`)
  BackendKind backend = BackendKind::kDpdk;
  ClockDriverKind clock = ClockDriverKind::kVirtual;
  std::string tracking_log;  // empty: none
  std::string key_file;      // `ntp.key-file` of the running configuration; empty: none
  std::string shm_path;      // empty: beside the management socket; "off": none
  std::string chrony_sock;   // empty: no chrony feed

  const config::NtpConfig& running() const { return startup.running; }
};

const char* to_string(BackendKind backend);
const char* to_string(ClockDriverKind clock);

config::ConfigResult<DaemonConfig> load_daemon_config_text(std::string_view text,
                                                           const std::string& file_name);
config::ConfigResult<DaemonConfig> load_daemon_config_file(const std::string& path);

}  // namespace wiretime::daemon

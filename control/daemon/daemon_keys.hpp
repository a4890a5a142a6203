// The daemon's authentication keys: chrony's key file named by `ntp.key-file` (so a lab shares
// keys with chronyd for MD5, SHA1, SHA256, AES128...). chronyd skips bad lines with a warning;
// so does the daemon, but a server whose key-id is not in the table is a start-up error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "control/auth/key_table.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_log.hpp"

namespace wiretime::daemon {

struct DaemonKeys {
  auth::KeyTable table;
  std::vector<std::string> warnings;  // skipped key-file lines, "file:line:column: why"
  std::string error;                  // non-empty: the daemon must not start
  // Some server has a key: the engine then requires authentic replies from it.
  bool authentication_enabled = false;
};

DaemonKeys load_daemon_keys(const DaemonConfig& config);

// load_daemon_keys, with its warnings and the key count logged as both backends do at start;
// nullopt when the daemon must not start (the error is logged).
std::optional<DaemonKeys> load_daemon_keys(const DaemonConfig& config, const DaemonLog& log);

}  // namespace wiretime::daemon

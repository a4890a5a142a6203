#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::cli {

// Where the shell's configuration lives. The shell edits its candidate alone and talks to a
// backend only to read running, to commit, and for live displays. Offline: a YAML file
// (OfflineFileBackend). With a daemon: wiretimed over its Unix socket (mgmt::DaemonSocketBackend),
// which validates and applies all or nothing and writes its file the same atomic way.
class ConfigBackend {
 public:
  virtual ~ConfigBackend() = default;

  virtual config::NtpConfig running() = 0;
  virtual config::InterfaceInventory inventory() = 0;

  struct CommitResult {
    bool ok = false;
    std::string message;  // on failure: one line, shown as "Error: <message>"
  };
  // The candidate becomes running in full or not at all.
  virtual CommitResult commit(const config::NtpConfig& candidate) = 0;
  // The same for a candidate edited from `base`, the running configuration the session last
  // took. A backend that other sessions share (the daemon) refuses it when running is no
  // longer `base`, so that no session silently reverts another's commit.
  virtual CommitResult commit_from(const config::NtpConfig& base,
                                   const config::NtpConfig& candidate) {
    (void)base;
    return commit(candidate);
  }

  // Live state (`display ntp status`, `... sessions [verbose]`, `... trace`,
  // `... statistics packet`, `display interface brief`): text, or nullopt when the backend
  // has no live daemon.
  virtual std::optional<std::string> display(std::string_view what) = 0;

  // `reset ntp statistics packet [ ipv6 ]`: `what` is "statistics" or "statistics ipv6".
  // Live counters only: refused without a daemon.
  virtual CommitResult reset(std::string_view what);
};

}  // namespace wiretime::cli

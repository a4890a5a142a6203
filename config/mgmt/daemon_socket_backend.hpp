#pragma once

#include <memory>
#include <string>
#include <variant>

#include "config/cli/config_backend.hpp"

namespace wiretime::mgmt {

// The shell's backend when a daemon runs (wiretime-cli without --offline): every call is one
// exchange over the management socket (mgmt_client). The daemon validates and applies
// commits; a commit carries the running configuration the session edited, so a concurrent
// commit by another session is reported instead of being reverted.
class DaemonSocketBackend : public cli::ConfigBackend {
 public:
  // Fetches running and inventory once, so an unreachable daemon is reported at start.
  static std::variant<std::unique_ptr<DaemonSocketBackend>, std::string> connect(
      const std::string& socket_path);

  // ConfigBackend has no error channel for these two: when the daemon stops answering they
  // return what it said last.
  config::NtpConfig running() override;
  config::InterfaceInventory inventory() override;

  CommitResult commit(const config::NtpConfig& candidate) override;
  CommitResult commit_from(const config::NtpConfig& base,
                           const config::NtpConfig& candidate) override;
  // The daemon's text, or an `Error: ` line when the daemon refused or could not be reached.
  std::optional<std::string> display(std::string_view what) override;
  CommitResult reset(std::string_view what) override;

  const std::string& last_error() const { return last_error_; }

 private:
  explicit DaemonSocketBackend(std::string socket_path) : socket_path_(std::move(socket_path)) {}
  std::optional<std::string> fetch_running();
  std::optional<std::string> fetch_inventory();
  CommitResult send_commit(const config::NtpConfig& candidate,
                           const std::optional<config::NtpConfig>& base);

  std::string socket_path_;
  config::NtpConfig running_;
  config::InterfaceInventory inventory_;
  std::string last_error_;
};

}  // namespace wiretime::mgmt

#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "config/apply/apply_plan.hpp"
#include "config/apply/running_file.hpp"
#include "config/display/live_display.hpp"
#include "config/mgmt/mgmt_protocol.hpp"
#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::mgmt {

// What the daemon provides to the management service.
struct DaemonHooks {
  // The configuration the daemon runs now.
  std::function<config::NtpConfig()> running;
  // The interfaces its hardware has (the start-up file's `interfaces:`).
  std::function<config::InterfaceInventory()> inventory;
  // Carry out `plan`, after which the daemon's running configuration is `candidate`. All or
  // nothing: on failure (an error text) the daemon must still run what it ran before.
  std::function<std::optional<std::string>(const apply::ApplyPlan& plan,
                                           const config::NtpConfig& candidate)>
      apply;
  // Live state for the displays; may be left empty (displays then answer with an error).
  std::function<display::StatusSnapshot()> status;
  // `reset ntp statistics packet [ ipv6 ]`: which families' counters restart from zero
  // (without `ipv6`: both, as the display shows both).
  std::function<void(bool ipv4, bool ipv6)> reset_statistics;
  // `display ntp trace` with queries up the hierarchy: the text comes later, through `done`
  // (called once, from the daemon's loop). Empty: the trace is rendered from `status`.
  std::function<void(std::function<void(std::string)> done)> trace;
};

struct CommitOutcome {
  bool ok = false;
  std::string message;  // one line on failure
  apply::ApplyPlan plan;
};

// The daemon side of `commit` and the live displays, independent of the transport. A commit:
//   1. is refused if the session edited an older running configuration (another session
//      committed in between), so no commit silently reverts another's;
//   2. is validated in full (validate_ntp_config against the daemon's inventory: references,
//      address classes, 256 associations, 1024 keys); a refusal leaves everything untouched;
//   3. is planned (plan_apply), written to the running file atomically, then applied; if the
//      daemon cannot apply it, the old file content is written back.
// Commits are serialised by a lock, so two sessions never interleave.
class MgmtService {
 public:
  MgmtService(DaemonHooks hooks, apply::RunningFile file);

  Response handle(const Request& request);
  // The same, for requests whose answer may come later (`display ntp trace`): `reply` runs
  // once, possibly before this returns.
  void handle_async(const Request& request, std::function<void(const Response&)> reply);

  CommitOutcome commit(const config::NtpConfig& candidate,
                       const std::optional<config::NtpConfig>& base = std::nullopt);
  std::optional<std::string> display(std::string_view what);

  uint64_t commits() const { return commits_; }

 private:
  DaemonHooks hooks_;
  apply::RunningFile file_;
  std::mutex mutex_;
  uint64_t commits_ = 0;
};

// Refusal texts of the commit path that the validator's table does not cover.
inline constexpr const char* kRunningChangedText =
    "The running configuration was changed by another session; run clear configuration "
    "candidate and enter the changes again.";

}  // namespace wiretime::mgmt

#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/cli/config_backend.hpp"
#include "config/cli/grammar.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::cli {

enum class ViewKind : uint8_t {
  kUser,
  kSystem,
  kVpnInstance,
  kVpnFamily,
  kInterface,
  kAcl4,
  kAcl6
};

struct View {
  ViewKind kind = ViewKind::kUser;
  std::string vpn;                                              // vpn-instance and family views
  config::AddressFamily family = config::AddressFamily::kIpv4;  // family view
  std::string interface;  // interface view; ACL views: the ACL's number or name (a letter first)
};

// What one line produced: normal output, error output (caret line and/or one `Error:` line),
// and whether it failed (non-interactive use stops at the first failure).
struct LineResult {
  std::string output;
  std::string error;
  bool failed = false;
};

// One operator's VRP session (spec section 8): views and prompts, a private candidate,
// commit through a ConfigBackend, the Y/N/C exit dialog. Pure of terminal I/O: the shell
// feeds lines and prints results, tests do the same.
class Session {
 public:
  explicit Session(ConfigBackend& backend);
  ~Session();

  // The prompt, or the pending question (`... [Y(yes)/N(no)/C(cancel)]:`).
  std::string prompt() const;
  LineResult execute(std::string_view line);
  // Ctrl+Z: like `return`.
  LineResult ctrl_z();

  // `?` at the end of `line`: the help text (or the parse error with its caret).
  std::string help(std::string_view line) const;
  // Tab: keywords completing the last word of `line`.
  std::vector<std::string> complete(std::string_view line) const;

  bool finished() const { return finished_; }
  bool has_uncommitted() const;
  const View& view() const { return view_; }
  const config::NtpConfig& candidate() const { return candidate_; }
  const config::NtpConfig& running() const { return running_; }
  bool question_pending() const;

  struct Impl;

 private:
  ConfigBackend& backend_;
  config::NtpConfig running_;
  config::NtpConfig candidate_;
  config::InterfaceInventory inventory_;
  config::ExplicitServerDisableUndo explicit_undo_;
  View view_;
  bool immediate_ = false;
  bool finished_ = false;

  enum class Question : uint8_t { kNone, kExitCommit, kListenAll };
  Question question_ = Question::kNone;
  config::NtpConfig question_edit_;  // the candidate a confirmed Y/N question installs

  const Grammar& grammar_for(ViewKind kind) const;
  LineResult answer(std::string_view line);
  LineResult leave_to_user_view();
  // Applies the server-disable rule and commits; false with the error set on failure.
  bool commit_candidate(LineResult& result);
};

}  // namespace wiretime::cli

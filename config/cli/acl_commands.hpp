// The basic-ACL companion commands (vrp-ntp-cli.md section 12): `acl ...` in the system view
// enters (creating) or removes an ACL; `rule ...` / `undo rule <id>` in its view edit it.
#pragma once

#include <optional>
#include <string>

#include "config/cli/grammar.hpp"
#include "config/ntp_config/ntp_config.hpp"
#include "config/ntp_config/refusal.hpp"

namespace wiretime::cli {

// Which ACL a view edits.
struct AclRef {
  bool ipv6 = false;
  std::string id;
  bool is_name = false;
};

// `[undo] acl ...`: on success, `enter` is the ACL to enter (empty optional for undo).
std::optional<config::Refusal> apply_acl(config::NtpConfig& config, const Match& m,
                                         std::optional<AclRef>& enter);
// `[undo] rule ...` in the view of `acl`.
std::optional<config::Refusal> apply_acl_rule(config::NtpConfig& config, const AclRef& acl,
                                              const Match& m);

}  // namespace wiretime::cli

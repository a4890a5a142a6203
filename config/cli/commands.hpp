#pragma once

#include <cstdint>
#include <vector>

#include "config/cli/grammar.hpp"

namespace wiretime::cli {

// Every command the shell knows (spec sections 1-6, 8 and 12). The positive and the undo form
// share an id; a captured "undo" tells them apart.
enum class Cmd : uint8_t {
  kSystemView,
  kQuit,
  kReturn,
  kCommit,
  kClearCandidate,
  kDisplayCandidate,
  kDisplayCurrent,
  kDisplayLive,
  kNtpUnsync,
  kNtpSourceInterface,
  kNtpUnicast,
  kNtpKey,
  kNtpAuthEnable,
  kNtpTrusted,
  kNtpServerDisable,
  kNtpServerSourceInterface,
  kNtpIpv6ServerSourceAddress,
  kNtpServerListenAll,
  kNtpPhysicIsolate,
  kNtpRefclock,
  kNtpMaxDistance,
  kNtpDiscard,
  kNtpKod,
  kNtpAccess,
  kNtpSourcePort,
  kNtpSyncInterval,
  kNtpOffsetLimit,
  kNtpMaxDynamic,
  kNtpDisable,
  kIpVpnInstance,
  kVpnFamily,
  kInterface,
  kIpBinding,
  kIpAddress,
  kIpv6Enable,
  kIpv6Address,
  kDot1q,
  kRouteStatic,
  kSysname,
  kResetStatistics,  // user view: `reset ntp statistics packet [ ipv6 ]` (section 7.5)
  kAcl,              // `[undo] acl [ipv6] {[number] <n> | name <name> [basic]}` (section 12)
  kAclRule,          // in an ACL view: `[undo] rule ...`
};

// The grammar of one view and, per grammar entry, its command.
struct ViewGrammar {
  Grammar grammar;
  std::vector<Cmd> commands;
};

const ViewGrammar& user_view_grammar();
const ViewGrammar& system_view_grammar();
const ViewGrammar& vpn_view_grammar();
const ViewGrammar& vpn_family_view_grammar();
const ViewGrammar& interface_view_grammar();
const ViewGrammar& acl4_view_grammar();
const ViewGrammar& acl6_view_grammar();

}  // namespace wiretime::cli

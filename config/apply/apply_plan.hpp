#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::apply {

// What committing `candidate` over `running` changes, so the daemon touches only that
// (issue 5: an unchanged association keeps its filter, reach and poll state).
//
// An association is identified by (mode, kind, address, VPN), the key `undo` uses.
//  - kKeep: identical, and its effective source (its own or the global source interface, and
//    that interface's addresses and VPN) is unchanged: leave it running untouched.
//  - kModify: only options the engine can change on a live association differ (preferred,
//    preempt, burst, iburst, minpoll, maxpoll, authentication key): update in place, keeping
//    the filter, reach register and poll state.
//  - kReplace: the path to the server changed (version, port, source interface or that
//    interface's addressing): samples of the old path say nothing about the new one, so the
//    association is removed and added afresh.
//  - kAdd / kRemove: only in the candidate / only in running.
enum class AssociationAction : uint8_t { kKeep, kModify, kReplace, kAdd, kRemove };

std::string_view to_string(AssociationAction action);

// Bits of AssociationChange::changed.
enum AssociationField : uint32_t {
  kFieldVersion = 1u << 0,
  kFieldKeyId = 1u << 1,
  kFieldPort = 1u << 2,
  kFieldSourceInterface = 1u << 3,
  kFieldPreferred = 1u << 4,
  kFieldMaxpoll = 1u << 5,
  kFieldMinpoll = 1u << 6,
  kFieldBurst = 1u << 7,
  kFieldIburst = 1u << 8,
  kFieldPreempt = 1u << 9,
  // Not an option of the entry: the global source interface it falls back to, or the
  // addresses / VPN binding of its source interface, changed.
  kFieldEffectiveSource = 1u << 10,
  kFieldInterleaved = 1u << 11,
};

// Fields a live association can take without losing its state.
inline constexpr uint32_t kInPlaceFields = kFieldKeyId | kFieldPreferred | kFieldMaxpoll |
                                           kFieldMinpoll | kFieldBurst | kFieldIburst |
                                           kFieldPreempt | kFieldInterleaved;

struct AssociationChange {
  AssociationAction action = AssociationAction::kKeep;
  config::AssociationMode mode = config::AssociationMode::kServer;
  std::optional<config::Association> running;    // absent for kAdd
  std::optional<config::Association> candidate;  // absent for kRemove
  uint32_t changed = 0;                          // AssociationField bits
};

// Global settings, each a group of NtpConfig fields the daemon applies as one unit.
enum class GlobalSetting : uint8_t {
  kSysname,
  kVpnInstances,
  kInterfaces,
  kStaticRoutes,
  kServiceDisable,        // ntp [ipv6] disable
  kServerDisable,         // ntp [ipv6] server disable
  kAuthenticationKeys,    // ntp authentication-keyid
  kTrustedKeys,           // ntp trusted authentication-keyid
  kAuthenticationEnable,  // ntp authentication enable
  kRefclockMaster,
  kSourceInterfaces,  // ntp [ipv6] source-interface
  kUnsyncMaxPoll,
  kMaxDistance,
  kDiscard,
  kAccess,
  kKodEnable,
  kServerListening,  // server source-interface / source-address / all / physic-isolate
  kSourcePort,
  kSyncInterval,
  kOffsetLimit,
  kMaxDynamicSessions,
};

std::string_view to_string(GlobalSetting setting);

struct ApplyPlan {
  // Removals first (in running order) so their slots are free before anything is added; then
  // every candidate association in candidate order with its action (kKeep included).
  std::vector<AssociationChange> associations;
  std::vector<GlobalSetting> globals;  // in enum order

  bool changes_nothing() const;
  size_t count(AssociationAction action) const;
  bool has_global(GlobalSetting setting) const;
};

// The family whose global settings (`ntp [ipv6] source-interface`, `ntp [ipv6] disable`) an
// association follows: a domain name counts as IPv4, as the VRP domain branch is the IPv4
// grammar.
config::AddressFamily family_of(const config::Association& association);

// The interface whose address the association's requests leave from (spec section 3: the
// per-server setting wins over the global one for the entry's family and VPN); empty: none,
// the route decides.
std::string effective_source(const config::NtpConfig& config,
                             const config::Association& association);

// Pure: compares two configurations (both already valid) and lists what differs.
ApplyPlan plan_apply(const config::NtpConfig& running, const config::NtpConfig& candidate);

// One line per change, for the daemon's log: "modify server 10.1.1.1 (preferred)".
std::string describe(const ApplyPlan& plan);

}  // namespace wiretime::apply

#include "config/apply/apply_plan.hpp"

#include <map>
#include <tuple>

namespace wiretime::apply {

using config::AddressFamily;
using config::Association;
using config::AssociationMode;
using config::NtpConfig;
using config::ServerKind;

std::string_view to_string(AssociationAction action) {
  switch (action) {
    case AssociationAction::kKeep:
      return "keep";
    case AssociationAction::kModify:
      return "modify";
    case AssociationAction::kReplace:
      return "replace";
    case AssociationAction::kAdd:
      return "add";
    case AssociationAction::kRemove:
      return "remove";
  }
  return "?";
}

std::string_view to_string(GlobalSetting setting) {
  switch (setting) {
    case GlobalSetting::kSysname:
      return "sysname";
    case GlobalSetting::kVpnInstances:
      return "vpn-instances";
    case GlobalSetting::kInterfaces:
      return "interfaces";
    case GlobalSetting::kStaticRoutes:
      return "static-routes";
    case GlobalSetting::kServiceDisable:
      return "service-disable";
    case GlobalSetting::kServerDisable:
      return "server-disable";
    case GlobalSetting::kAuthenticationKeys:
      return "authentication-keys";
    case GlobalSetting::kTrustedKeys:
      return "trusted-keys";
    case GlobalSetting::kAuthenticationEnable:
      return "authentication-enable";
    case GlobalSetting::kRefclockMaster:
      return "refclock-master";
    case GlobalSetting::kSourceInterfaces:
      return "source-interfaces";
    case GlobalSetting::kUnsyncMaxPoll:
      return "unsync-max-poll-interval";
    case GlobalSetting::kMaxDistance:
      return "max-distance";
    case GlobalSetting::kDiscard:
      return "discard";
    case GlobalSetting::kAccess:
      return "access";
    case GlobalSetting::kKodEnable:
      return "kod-enable";
    case GlobalSetting::kServerListening:
      return "server-listening";
    case GlobalSetting::kSourcePort:
      return "source-port";
    case GlobalSetting::kSyncInterval:
      return "sync-interval";
    case GlobalSetting::kOffsetLimit:
      return "offset-limit";
    case GlobalSetting::kMaxDynamicSessions:
      return "max-dynamic-sessions";
  }
  return "?";
}

bool ApplyPlan::changes_nothing() const {
  if (!globals.empty()) return false;
  for (const AssociationChange& c : associations) {
    if (c.action != AssociationAction::kKeep) return false;
  }
  return true;
}

size_t ApplyPlan::count(AssociationAction action) const {
  size_t n = 0;
  for (const AssociationChange& c : associations) n += c.action == action ? 1 : 0;
  return n;
}

bool ApplyPlan::has_global(GlobalSetting setting) const {
  for (GlobalSetting g : globals) {
    if (g == setting) return true;
  }
  return false;
}

// Domain names resolve at run time; they fall back to the IPv4 global source interface, as
// the VRP domain branch is the IPv4 grammar.
AddressFamily family_of(const Association& a) {
  return a.kind == ServerKind::kIpv6 ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
}

std::string effective_source(const NtpConfig& config, const Association& a) {
  if (!a.source_interface.empty()) return a.source_interface;
  for (const config::SourceInterface& s : config.source_interfaces) {
    if (s.family == family_of(a) && s.vpn_instance == a.vpn_instance) return s.interface;
  }
  return {};
}

namespace {

using Key = std::tuple<AssociationMode, ServerKind, std::string, std::string>;

Key key_of(AssociationMode mode, const Association& a) {
  return {mode, a.kind, a.address, a.vpn_instance};
}

bool same_interface_settings(const NtpConfig& running, const NtpConfig& candidate,
                             const std::string& name) {
  const config::InterfaceSettings* before = running.find_interface(name);
  const config::InterfaceSettings* after = candidate.find_interface(name);
  if (before == nullptr || after == nullptr) return before == after;
  return *before == *after;
}

uint32_t changed_fields(const NtpConfig& running, const Association& before,
                        const NtpConfig& candidate, const Association& after) {
  uint32_t changed = 0;
  // The version the requests carry changes with `interleaved` too (NTPv4 by default).
  if (before.version != after.version || before.request_version() != after.request_version()) {
    changed |= kFieldVersion;
  }
  if (before.key_id != after.key_id) changed |= kFieldKeyId;
  if (before.port != after.port) changed |= kFieldPort;
  if (before.source_interface != after.source_interface) changed |= kFieldSourceInterface;
  if (before.preferred != after.preferred) changed |= kFieldPreferred;
  if (before.maxpoll != after.maxpoll) changed |= kFieldMaxpoll;
  if (before.minpoll != after.minpoll) changed |= kFieldMinpoll;
  if (before.burst != after.burst) changed |= kFieldBurst;
  if (before.iburst != after.iburst) changed |= kFieldIburst;
  if (before.preempt != after.preempt) changed |= kFieldPreempt;
  if (before.interleaved != after.interleaved) changed |= kFieldInterleaved;
  const std::string source_before = effective_source(running, before);
  const std::string source_after = effective_source(candidate, after);
  if (source_before != source_after ||
      (!source_after.empty() && !same_interface_settings(running, candidate, source_after))) {
    changed |= kFieldEffectiveSource;
  }
  return changed;
}

void plan_associations(const NtpConfig& running, const NtpConfig& candidate, AssociationMode mode,
                       const std::vector<Association>& before,
                       const std::vector<Association>& after,
                       std::vector<AssociationChange>& removals,
                       std::vector<AssociationChange>& others) {
  std::map<Key, const Association*> running_by_key;
  for (const Association& a : before) running_by_key.emplace(key_of(mode, a), &a);
  std::map<Key, const Association*> candidate_by_key;
  for (const Association& a : after) candidate_by_key.emplace(key_of(mode, a), &a);

  for (const Association& a : before) {
    if (candidate_by_key.count(key_of(mode, a)) == 0) {
      removals.push_back({AssociationAction::kRemove, mode, a, std::nullopt, 0});
    }
  }
  for (const Association& a : after) {
    auto it = running_by_key.find(key_of(mode, a));
    if (it == running_by_key.end()) {
      others.push_back({AssociationAction::kAdd, mode, std::nullopt, a, 0});
      continue;
    }
    const uint32_t changed = changed_fields(running, *it->second, candidate, a);
    AssociationAction action = AssociationAction::kKeep;
    if (changed != 0) {
      action = (changed & ~kInPlaceFields) == 0 ? AssociationAction::kModify
                                                : AssociationAction::kReplace;
    }
    others.push_back({action, mode, *it->second, a, changed});
  }
}

}  // namespace

ApplyPlan plan_apply(const NtpConfig& running, const NtpConfig& candidate) {
  ApplyPlan plan;
  std::vector<AssociationChange> removals;
  std::vector<AssociationChange> others;
  plan_associations(running, candidate, AssociationMode::kServer, running.unicast_servers,
                    candidate.unicast_servers, removals, others);
  plan_associations(running, candidate, AssociationMode::kPeer, running.unicast_peers,
                    candidate.unicast_peers, removals, others);
  plan.associations = std::move(removals);
  plan.associations.insert(plan.associations.end(), others.begin(), others.end());

  const NtpConfig& r = running;
  const NtpConfig& c = candidate;
  auto global = [&](GlobalSetting setting, bool same) {
    if (!same) plan.globals.push_back(setting);
  };
  global(GlobalSetting::kSysname, r.sysname == c.sysname);
  global(GlobalSetting::kVpnInstances, r.vpn_instances == c.vpn_instances);
  global(GlobalSetting::kInterfaces, r.interfaces == c.interfaces);
  global(GlobalSetting::kStaticRoutes, r.static_routes == c.static_routes);
  global(GlobalSetting::kServiceDisable, r.service_disable == c.service_disable &&
                                             r.ipv6_service_disable == c.ipv6_service_disable);
  global(GlobalSetting::kServerDisable,
         r.server_disable == c.server_disable && r.ipv6_server_disable == c.ipv6_server_disable);
  global(GlobalSetting::kAuthenticationKeys, r.keys == c.keys);
  global(GlobalSetting::kTrustedKeys, r.trusted_keys == c.trusted_keys);
  global(GlobalSetting::kAuthenticationEnable, r.authentication_enable == c.authentication_enable);
  global(GlobalSetting::kRefclockMaster, r.refclock_master == c.refclock_master);
  global(GlobalSetting::kSourceInterfaces, r.source_interfaces == c.source_interfaces);
  global(GlobalSetting::kUnsyncMaxPoll, r.unsync_max_poll == c.unsync_max_poll);
  global(GlobalSetting::kMaxDistance, r.max_distance == c.max_distance);
  global(GlobalSetting::kDiscard, r.discard_min_interval == c.discard_min_interval &&
                                      r.discard_avg_interval == c.discard_avg_interval);
  global(GlobalSetting::kAccess, r.access == c.access);
  global(GlobalSetting::kKodEnable, r.kod_enable == c.kod_enable);
  global(GlobalSetting::kServerListening,
         r.server_source_interfaces == c.server_source_interfaces &&
             r.ipv6_server_source_addresses == c.ipv6_server_source_addresses &&
             r.server_listen_all == c.server_listen_all &&
             r.ipv6_server_listen_all == c.ipv6_server_listen_all &&
             r.physic_isolate == c.physic_isolate);
  global(GlobalSetting::kSourcePort, r.source_port == c.source_port);
  global(GlobalSetting::kSyncInterval, r.sync_interval == c.sync_interval);
  global(GlobalSetting::kOffsetLimit, r.offset_limit == c.offset_limit);
  global(GlobalSetting::kMaxDynamicSessions, r.max_dynamic_sessions == c.max_dynamic_sessions);
  return plan;
}

namespace {

std::string association_name(const AssociationChange& change) {
  const Association& a = change.candidate ? *change.candidate : *change.running;
  std::string text = change.mode == AssociationMode::kServer ? "server " : "peer ";
  if (a.kind == ServerKind::kIpv6) text += "ipv6 ";
  if (a.kind == ServerKind::kDomain) text += "domain ";
  text += a.address;
  if (!a.vpn_instance.empty()) text += " vpn-instance " + a.vpn_instance;
  return text;
}

std::string field_names(uint32_t changed) {
  static constexpr std::pair<uint32_t, const char*> kNames[] = {
      {kFieldVersion, "version"},
      {kFieldKeyId, "authentication-keyid"},
      {kFieldPort, "port"},
      {kFieldSourceInterface, "source-interface"},
      {kFieldPreferred, "preferred"},
      {kFieldMaxpoll, "maxpoll"},
      {kFieldMinpoll, "minpoll"},
      {kFieldBurst, "burst"},
      {kFieldIburst, "iburst"},
      {kFieldPreempt, "preempt"},
      {kFieldEffectiveSource, "effective source"},
      {kFieldInterleaved, "interleaved"},
  };
  std::string text;
  for (const auto& [bit, name] : kNames) {
    if ((changed & bit) == 0) continue;
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

}  // namespace

std::string describe(const ApplyPlan& plan) {
  std::string text;
  for (const AssociationChange& change : plan.associations) {
    if (change.action == AssociationAction::kKeep) continue;
    text += std::string(to_string(change.action)) + " " + association_name(change);
    if (change.changed != 0) text += " (" + field_names(change.changed) + ")";
    text += "\n";
  }
  for (GlobalSetting g : plan.globals) text += "change " + std::string(to_string(g)) + "\n";
  return text;
}

}  // namespace wiretime::apply

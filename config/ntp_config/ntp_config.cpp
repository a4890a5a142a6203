#include "config/ntp_config/ntp_config.hpp"

#include <algorithm>

namespace wiretime::config {

bool NtpConfig::has_ntp_settings() const {
  NtpConfig bare;
  bare.sysname = sysname;
  bare.vpn_instances = vpn_instances;
  bare.interfaces = interfaces;
  bare.static_routes = static_routes;
  bare.server_disable = server_disable;
  bare.ipv6_server_disable = ipv6_server_disable;
  return !(*this == bare);
}

VpnInstance* NtpConfig::find_vpn(const std::string& name) {
  for (auto& vpn : vpn_instances) {
    if (vpn.name == name) return &vpn;
  }
  return nullptr;
}

const VpnInstance* NtpConfig::find_vpn(const std::string& name) const {
  return const_cast<NtpConfig*>(this)->find_vpn(name);
}

InterfaceSettings* NtpConfig::find_interface(const std::string& name) {
  for (auto& settings : interfaces) {
    if (settings.name == name) return &settings;
  }
  return nullptr;
}

const InterfaceSettings* NtpConfig::find_interface(const std::string& name) const {
  return const_cast<NtpConfig*>(this)->find_interface(name);
}

InterfaceSettings& NtpConfig::interface_settings(const std::string& name) {
  if (InterfaceSettings* found = find_interface(name)) return *found;
  InterfaceSettings settings;
  settings.name = name;
  interfaces.push_back(std::move(settings));
  return interfaces.back();
}

void apply_server_disable_rule(const NtpConfig& running, NtpConfig& candidate,
                               ExplicitServerDisableUndo explicit_undo) {
  const bool was = running.has_ntp_settings();
  const bool now = candidate.has_ntp_settings();
  if (!was && now) {
    if (!explicit_undo.ipv4) candidate.server_disable = true;
    if (!explicit_undo.ipv6) candidate.ipv6_server_disable = true;
  } else if (was && !now) {
    candidate.server_disable = false;
    candidate.ipv6_server_disable = false;
  }
}

namespace {

template <typename T, typename Pred>
void erase_if_vec(std::vector<T>& items, Pred pred) {
  items.erase(std::remove_if(items.begin(), items.end(), pred), items.end());
}

bool is_ipv6_kind(const Association& a) {
  return a.kind == ServerKind::kIpv6;
}

}  // namespace

void cascade_vpn_removed(NtpConfig& config, const std::string& vpn) {
  auto in_vpn = [&](const Association& a) { return a.vpn_instance == vpn; };
  erase_if_vec(config.unicast_servers, in_vpn);
  erase_if_vec(config.unicast_peers, in_vpn);
  erase_if_vec(config.source_interfaces,
               [&](const SourceInterface& s) { return s.vpn_instance == vpn; });
  erase_if_vec(config.ipv6_server_source_addresses,
               [&](const Ipv6ServerSourceAddress& s) { return s.vpn_instance == vpn; });
  erase_if_vec(config.static_routes, [&](const StaticRoute& r) { return r.vpn_instance == vpn; });
  for (auto& settings : config.interfaces) {
    if (settings.vpn_instance == vpn) {
      // VRP removes the binding and with it the interface's addresses.
      settings.vpn_instance.clear();
      settings.ipv4.clear();
      settings.ipv6.clear();
    }
  }
}

void cascade_vpn_family_disabled(NtpConfig& config, const std::string& vpn, AddressFamily family) {
  auto hit = [&](const Association& a) {
    if (a.vpn_instance != vpn) return false;
    return family == AddressFamily::kIpv6 ? is_ipv6_kind(a) : !is_ipv6_kind(a);
  };
  erase_if_vec(config.unicast_servers, hit);
  erase_if_vec(config.unicast_peers, hit);
  erase_if_vec(config.source_interfaces, [&](const SourceInterface& s) {
    return s.vpn_instance == vpn && s.family == family;
  });
  if (family == AddressFamily::kIpv6) {
    erase_if_vec(config.ipv6_server_source_addresses,
                 [&](const Ipv6ServerSourceAddress& s) { return s.vpn_instance == vpn; });
  }
  erase_if_vec(config.static_routes,
               [&](const StaticRoute& r) { return r.vpn_instance == vpn && r.family == family; });
}

void cascade_interface_removed(NtpConfig& config, const std::string& interface) {
  auto uses = [&](const Association& a) { return a.source_interface == interface; };
  erase_if_vec(config.unicast_servers, uses);
  erase_if_vec(config.unicast_peers, uses);
  erase_if_vec(config.source_interfaces,
               [&](const SourceInterface& s) { return s.interface == interface; });
  erase_if_vec(config.server_source_interfaces,
               [&](const std::string& s) { return s == interface; });
  erase_if_vec(config.physic_isolate,
               [&](const PhysicIsolate& p) { return p.interface == interface; });
  erase_if_vec(config.interfaces, [&](const InterfaceSettings& s) { return s.name == interface; });
}

void cascade_interface_ipv6_disabled(NtpConfig& config, const std::string& interface) {
  auto hit = [&](const Association& a) {
    return a.source_interface == interface && is_ipv6_kind(a);
  };
  erase_if_vec(config.unicast_servers, hit);
  erase_if_vec(config.unicast_peers, hit);
  erase_if_vec(config.source_interfaces, [&](const SourceInterface& s) {
    return s.interface == interface && s.family == AddressFamily::kIpv6;
  });
  erase_if_vec(config.physic_isolate, [&](const PhysicIsolate& p) {
    return p.interface == interface && p.family == AddressFamily::kIpv6;
  });
}

const char* to_string(KeyMode mode) {
  switch (mode) {
    case KeyMode::kMd5:
      return "md5";
    case KeyMode::kHmacSha256:
      return "hmac-sha256";
    case KeyMode::kAes128Cmac:
      return "aes-128-cmac";
    case KeyMode::kAes256Cmac:
      return "aes-256-cmac";
  }
  return "?";
}

std::optional<KeyMode> key_mode_from_string(const std::string& text) {
  for (KeyMode mode :
       {KeyMode::kMd5, KeyMode::kHmacSha256, KeyMode::kAes128Cmac, KeyMode::kAes256Cmac}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

const char* to_string(AccessLevel level) {
  switch (level) {
    case AccessLevel::kPeer:
      return "peer";
    case AccessLevel::kQuery:
      return "query";
    case AccessLevel::kServer:
      return "server";
    case AccessLevel::kSynchronization:
      return "synchronization";
    case AccessLevel::kLimited:
      return "limited";
  }
  return "?";
}

std::optional<AccessLevel> access_level_from_string(const std::string& text) {
  for (AccessLevel level : {AccessLevel::kPeer, AccessLevel::kQuery, AccessLevel::kServer,
                            AccessLevel::kSynchronization, AccessLevel::kLimited}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

}  // namespace wiretime::config

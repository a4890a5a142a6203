#include "config/ntp_config/ntp_config_validate.hpp"

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"

namespace wiretime::config {

bool interface_exists(const NtpConfig& config, const InterfaceInventory& inventory,
                      const std::string& name) {
  if (inventory.contains(name)) return true;
  // A dot1q sub-interface exists once created on an inventory interface.
  auto sub = split_sub_interface(name);
  return sub && inventory.contains(sub->parent) && config.find_interface(name) != nullptr;
}

std::optional<Refusal> check_vpn_family(const NtpConfig& config, const std::string& vpn,
                                        AddressFamily family) {
  if (vpn.empty()) return std::nullopt;
  const VpnInstance* v = config.find_vpn(vpn);
  if (v == nullptr) return Refusal::kVpnNotExist;
  const bool enabled = family == AddressFamily::kIpv4 ? v->ipv4_family : v->ipv6_family;
  if (!enabled) return Refusal::kVpnFamilyNotEnabled;
  return std::nullopt;
}

std::optional<Refusal> check_server_address(ServerKind kind, const std::string& address,
                                            bool has_source_interface) {
  if (kind == ServerKind::kIpv4) {
    auto v4 = parse_ipv4(address);
    if (!v4 || classify_ipv4_server(*v4) != ServerAddressClass::kHost) {
      return Refusal::kInvalidAddress;
    }
  } else if (kind == ServerKind::kIpv6) {
    auto v6 = parse_ipv6(address);
    if (!v6) return Refusal::kInvalidAddress;
    const ServerAddressClass cls = classify_ipv6_server(*v6);
    if (cls == ServerAddressClass::kLinkLocal) {
      if (!has_source_interface) return Refusal::kLinkLocalNeedsInterface;
    } else if (cls != ServerAddressClass::kHost) {
      return Refusal::kInvalidAddress;
    }
  } else if (!is_domain_name(address)) {
    return Refusal::kInvalidAddress;
  }
  return std::nullopt;
}

std::optional<Refusal> check_association(const NtpConfig& config,
                                         const InterfaceInventory& inventory,
                                         const Association& a) {
  if (auto r = check_server_address(a.kind, a.address, !a.source_interface.empty())) return r;
  if (a.kind == ServerKind::kIpv4) {
    // Q11: the broadcast address of a local interface subnet is not a host.
    const uint32_t server = *parse_ipv4(a.address);
    for (const InterfaceSettings& s : config.interfaces) {
      for (const InterfaceAddress& local : s.ipv4) {
        if (local.prefix_length > 30) continue;
        const uint32_t mask = ipv4_mask_from_length(local.prefix_length);
        if (server == ((*parse_ipv4(local.address) & mask) | ~mask)) {
          return Refusal::kInvalidAddress;
        }
      }
    }
  }
  if (a.key_id && *a.key_id > 65535 && a.request_version() == 4) {
    return Refusal::kKeyIdTooLargeForNtpv4;
  }
  if (a.interleaved && a.request_version() != 4) return Refusal::kInterleavedNeedsNtpv4;
  if (!a.vpn_instance.empty()) {
    const VpnInstance* v = config.find_vpn(a.vpn_instance);
    if (v == nullptr) return Refusal::kVpnNotExist;
    // A domain name may resolve to either family: one enabled family is enough.
    const bool ok = a.kind == ServerKind::kIpv4   ? v->ipv4_family
                    : a.kind == ServerKind::kIpv6 ? v->ipv6_family
                                                  : (v->ipv4_family || v->ipv6_family);
    if (!ok) return Refusal::kVpnFamilyNotEnabled;
  }
  if (!a.source_interface.empty()) {
    if (!interface_exists(config, inventory, a.source_interface)) {
      return Refusal::kInterfaceNotExist;
    }
    const InterfaceSettings* s = config.find_interface(a.source_interface);
    if (!a.vpn_instance.empty() && (s == nullptr || s->vpn_instance != a.vpn_instance)) {
      return Refusal::kInterfaceNotInVpn;
    }
    if (a.kind == ServerKind::kIpv6 && (s == nullptr || !s->ipv6_enable)) {
      return Refusal::kIpv6NotEnabled;
    }
  }
  return std::nullopt;
}

std::optional<Refusal> check_source_interface(const NtpConfig& config,
                                              const InterfaceInventory& inventory,
                                              const SourceInterface& source) {
  if (!interface_exists(config, inventory, source.interface)) return Refusal::kInterfaceNotExist;
  if (auto r = check_vpn_family(config, source.vpn_instance, source.family)) return r;
  const InterfaceSettings* s = config.find_interface(source.interface);
  if (source.family == AddressFamily::kIpv6 && (s == nullptr || !s->ipv6_enable)) {
    return Refusal::kIpv6NotEnabled;
  }
  return std::nullopt;
}

std::optional<Refusal> check_key_secret(KeyMode mode, const std::string& secret) {
  if (mode == KeyMode::kAes128Cmac && secret.size() != 16) return Refusal::kKeyLengthForMode;
  if (mode == KeyMode::kAes256Cmac && secret.size() != 32) return Refusal::kKeyLengthForMode;
  if (secret.empty() || secret.size() > 255) return Refusal::kKeyLengthForMode;
  return std::nullopt;
}

std::optional<ConfigError> validate_ntp_config(const NtpConfig& c,
                                               const InterfaceInventory& inventory) {
  auto err = [](std::string path, Refusal r) {
    return ConfigError{.path = std::move(path), .message = refusal_text(r)};
  };
  auto at = [](const char* list, size_t i) {
    return std::string("ntp.") + list + "[" + std::to_string(i) + "]";
  };

  for (size_t i = 0; i < c.interfaces.size(); ++i) {
    const InterfaceSettings& s = c.interfaces[i];
    const auto sub = split_sub_interface(s.name);
    const bool exists = inventory.contains(s.name) || (sub && inventory.contains(sub->parent));
    if (!exists) return err(at("interfaces", i), Refusal::kInterfaceNotExist);
    if (s.dot1q_vid && !sub) return err(at("interfaces", i), Refusal::kNotSubInterface);
    if (!s.vpn_instance.empty() && c.find_vpn(s.vpn_instance) == nullptr) {
      return err(at("interfaces", i) + ".vpn-instance", Refusal::kVpnNotExist);
    }
    if (!s.ipv6.empty() && !s.ipv6_enable)
      return err(at("interfaces", i), Refusal::kIpv6NotEnabled);
  }
  for (size_t i = 0; i < c.acls.size(); ++i) {
    if (c.acls[i].rules.size() > kMaxAclRulesPerAcl)
      return err(at("acls", i), Refusal::kAclRuleLimit);
  }
  for (size_t i = 0; i < c.static_routes.size(); ++i) {
    const StaticRoute& r = c.static_routes[i];
    if (auto refusal = check_vpn_family(c, r.vpn_instance, r.family)) {
      return err(at("static-routes", i), *refusal);
    }
  }
  if (c.keys.size() > kMaxAuthenticationKeys) {
    return err("ntp.authentication-keys", Refusal::kKeyLimit);
  }
  {
    size_t i = 0;
    for (const auto& [id, key] : c.keys) {
      if (auto r = check_key_secret(key.mode, key.secret))
        return err(at("authentication-keys", i), *r);
      ++i;
    }
  }
  {
    size_t i = 0;
    for (uint32_t id : c.trusted_keys) {
      if (!c.keys.count(id)) return err(at("trusted-keys", i), Refusal::kKeyNotExist);
      ++i;
    }
  }
  if (c.unicast_servers.size() + c.unicast_peers.size() > kMaxStaticAssociations) {
    return err("ntp.unicast-servers", Refusal::kServerLimit);
  }
  // wiretimed runs client/server mode only (docs/cli.md): a saved unicast-peer would be a
  // setting that does nothing, so the commit (and a start-up file) refuses it.
  if (!c.unicast_peers.empty()) return err(at("unicast-peers", 0), Refusal::kPeerModeUnsupported);
  for (const auto& [list, name] : {std::pair{&c.unicast_servers, "unicast-servers"},
                                   std::pair{&c.unicast_peers, "unicast-peers"}}) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (auto r = check_association(c, inventory, (*list)[i])) return err(at(name, i), *r);
    }
  }
  for (size_t i = 0; i < c.source_interfaces.size(); ++i) {
    if (auto r = check_source_interface(c, inventory, c.source_interfaces[i])) {
      return err(at("source-interfaces", i), *r);
    }
  }
  for (size_t i = 0; i < c.server_source_interfaces.size(); ++i) {
    if (!interface_exists(c, inventory, c.server_source_interfaces[i])) {
      return err(at("server-source-interfaces", i), Refusal::kInterfaceNotExist);
    }
  }
  if (c.ipv6_server_source_addresses.size() > kMaxIpv6ServerSourceAddresses) {
    return err(at("ipv6-server-source-addresses", kMaxIpv6ServerSourceAddresses),
               Refusal::kIpv6ServerSourceAddressLimit);
  }
  for (size_t i = 0; i < c.ipv6_server_source_addresses.size(); ++i) {
    if (auto r = check_vpn_family(c, c.ipv6_server_source_addresses[i].vpn_instance,
                                  AddressFamily::kIpv6)) {
      return err(at("ipv6-server-source-addresses", i), *r);
    }
  }
  if (c.physic_isolate.size() > kMaxPhysicIsolate) {
    return err(at("physic-isolate", kMaxPhysicIsolate), Refusal::kPhysicIsolateLimit);
  }
  for (size_t i = 0; i < c.physic_isolate.size(); ++i) {
    if (!interface_exists(c, inventory, c.physic_isolate[i].interface)) {
      return err(at("physic-isolate", i), Refusal::kInterfaceNotExist);
    }
  }
  return std::nullopt;
}

}  // namespace wiretime::config

#include "config/ntp_config/legacy_l3.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"

namespace wiretime::config {
namespace {

ConfigError error_at(const YAML::Node& node, std::string path, std::string message) {
  ConfigError e{.path = std::move(path), .message = std::move(message)};
  const YAML::Mark mark = node.Mark();
  if (mark.line >= 0) {
    e.line = mark.line + 1;
    e.column = mark.column + 1;
  }
  return e;
}

struct Prefix {
  AddressFamily family = AddressFamily::kIpv4;
  InterfaceAddress address;  // canonical text and length
};

std::optional<Prefix> parse_prefix(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  int length = -1;
  const char* begin = text.data() + slash + 1;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, length);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  const std::string addr = text.substr(0, slash);
  if (auto v4 = parse_ipv4(addr); v4 && length >= 0 && length <= 32) {
    return Prefix{AddressFamily::kIpv4, {ipv4_to_string(*v4), length}};
  }
  if (auto v6 = parse_ipv6(addr); v6 && length >= 0 && length <= 128) {
    return Prefix{AddressFamily::kIpv6, {ipv6_to_string(*v6), length}};
  }
  return std::nullopt;
}

// The network address of a prefix, as `ip route-static` stores it.
std::string network_text(const Prefix& p) {
  if (p.family == AddressFamily::kIpv4) {
    return ipv4_to_string(*parse_ipv4(p.address.address) &
                          ipv4_mask_from_length(p.address.prefix_length));
  }
  Ipv6Bytes bytes = *parse_ipv6(p.address.address);
  for (int bit = p.address.prefix_length; bit < 128; ++bit) {
    bytes[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return ipv6_to_string(bytes);
}

std::optional<std::string> scalar(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

// `key: one` or `key: [one, two]`.
std::vector<YAML::Node> one_or_list(const YAML::Node& node) {
  std::vector<YAML::Node> out;
  if (node.IsSequence()) {
    for (const auto& item : node) out.push_back(item);
  } else {
    out.push_back(node);
  }
  return out;
}

VpnInstance& ensure_vpn(NtpConfig& running, const std::string& name) {
  if (VpnInstance* v = running.find_vpn(name)) return *v;
  running.vpn_instances.push_back(VpnInstance{name, false, false});
  return running.vpn_instances.back();
}

}  // namespace

std::optional<ConfigError> adopt_legacy_l3(const YAML::Node& document, NtpConfig& running,
                                           std::vector<std::string>* moved) {
  if (!document.IsMap()) return std::nullopt;
  auto note = [&](const std::string& from, const std::string& to) {
    if (moved != nullptr) moved->push_back(from + " -> " + to);
  };
  const YAML::Node interfaces = document["interfaces"];
  std::vector<std::pair<std::string, std::string>> vpn_of;  // interface -> VPN (for gateways)
  if (interfaces && interfaces.IsSequence()) {
    for (size_t i = 0; i < interfaces.size(); ++i) {
      const YAML::Node item = interfaces[i];
      if (!item.IsMap()) continue;  // the inventory loader reports the shape
      const std::string base = "interfaces[" + std::to_string(i) + "]";
      bool legacy = false;
      for (const char* key : kLegacyInterfaceKeys) legacy = legacy || item[key];
      if (!legacy) continue;
      const auto raw_name = item["name"] ? scalar(item["name"]) : std::nullopt;
      const auto name = raw_name ? canonical_interface_name(*raw_name) : std::nullopt;
      if (!name) return error_at(item, base + ".name", "an interface needs a usable name");
      const std::string where = "ntp.interfaces " + *name;
      if (running.find_interface(*name) != nullptr) {
        for (const char* key : kLegacyInterfaceKeys) {
          if (item[key] && std::string(key) != "gateway") {
            return error_at(item[key], base + "." + key,
                            *name +
                                " is also configured in ntp.interfaces: move this key there "
                                "(old-style L3 key, see docs/configuration.md)");
          }
        }
      }
      InterfaceSettings settings;
      settings.name = *name;
      if (item["parent"] || item["vlan"]) {
        const auto sub = split_sub_interface(*name);
        const auto parent = item["parent"] ? scalar(item["parent"]) : std::nullopt;
        const auto parent_name = parent ? canonical_interface_name(*parent) : std::nullopt;
        int vlan = 0;
        const auto vlan_text = item["vlan"] ? scalar(item["vlan"]) : std::nullopt;
        if (vlan_text) {
          const auto [p, ec] =
              std::from_chars(vlan_text->data(), vlan_text->data() + vlan_text->size(), vlan);
          if (ec != std::errc() || p != vlan_text->data() + vlan_text->size()) vlan = 0;
        }
        if (!parent_name || vlan < 1 || vlan > 4094) {
          return error_at(item, base, "a sub-interface needs `parent` and `vlan` (1..4094)");
        }
        if (!sub || sub->parent != *parent_name) {
          return error_at(item["name"], base + ".name",
                          "name the sub-interface <parent>.<number> (e.g. " + *parent_name + "." +
                              std::to_string(vlan) + "), as `interface` does");
        }
        settings.dot1q_vid = vlan;
        note(base, where + " dot1q-termination-vid " + std::to_string(vlan));
      }
      if (const YAML::Node vrf = item["vpn-instance"]) {
        const auto text = scalar(vrf);
        if (!text || text->empty())
          return error_at(vrf, base + ".vpn-instance", "must not be empty");
        settings.vpn_instance = *text;
        ensure_vpn(running, *text).ipv4_family = true;
        note(base + ".vpn-instance", "ntp.vpn-instances + " + where + " vpn-instance");
      }
      for (const char* key : {"ipv4", "ipv6"}) {
        const YAML::Node list = item[key];
        if (!list) continue;
        const AddressFamily want =
            std::string(key) == "ipv4" ? AddressFamily::kIpv4 : AddressFamily::kIpv6;
        for (const YAML::Node& a : one_or_list(list)) {
          const auto text = scalar(a);
          const auto prefix = text ? parse_prefix(*text) : std::nullopt;
          if (!prefix || prefix->family != want) {
            return error_at(a, base + "." + key,
                            "'" + text.value_or("") + "' is not an " +
                                (want == AddressFamily::kIpv4 ? "IPv4" : "IPv6") +
                                " address/prefix");
          }
          (want == AddressFamily::kIpv4 ? settings.ipv4 : settings.ipv6).push_back(prefix->address);
        }
        if (want == AddressFamily::kIpv6 && !settings.ipv6.empty()) {
          settings.ipv6_enable = true;
          if (!settings.vpn_instance.empty())
            ensure_vpn(running, settings.vpn_instance).ipv6_family = true;
        }
        note(base + "." + key,
             where + (want == AddressFamily::kIpv4 ? " ipv4-addresses" : " ipv6-addresses"));
      }
      if (const YAML::Node gateway = item["gateway"]) {
        const auto text = scalar(gateway);
        const auto hop = text ? parse_ipv4(*text) : std::nullopt;
        if (!hop) {
          return error_at(gateway, base + ".gateway",
                          "'" + text.value_or("") + "' is not an IPv4 address");
        }
        StaticRoute route;
        route.family = AddressFamily::kIpv4;
        route.vpn_instance = settings.vpn_instance;
        route.prefix = "0.0.0.0";
        route.prefix_length = 0;
        route.next_hop = ipv4_to_string(*hop);
        if (std::find(running.static_routes.begin(), running.static_routes.end(), route) ==
            running.static_routes.end()) {
          running.static_routes.push_back(route);
        }
        note(base + ".gateway", "ntp.static-routes 0.0.0.0/0 next-hop " + route.next_hop);
      }
      if (running.find_interface(*name) == nullptr) {
        running.interfaces.push_back(settings);
      } else if (settings.dot1q_vid || !settings.ipv4.empty() || !settings.ipv6.empty() ||
                 !settings.vpn_instance.empty()) {
        return error_at(item, base, *name + " is also configured in ntp.interfaces");
      }
    }
  }
  const YAML::Node routes = document["routes"];
  if (routes && !routes.IsNull()) {
    if (!routes.IsSequence()) return error_at(routes, "routes", "expected a list");
    for (size_t i = 0; i < routes.size(); ++i) {
      const YAML::Node item = routes[i];
      const std::string base = "routes[" + std::to_string(i) + "]";
      if (!item.IsMap()) return error_at(item, base, "expected a mapping");
      for (const auto& kv : item) {
        const std::string key = kv.first.Scalar();
        if (key != "prefix" && key != "next-hop" && key != "vpn-instance") {
          return error_at(kv.first, base + "." + key,
                          key == "interface"
                              ? "a static route names its next hop only (ip route-static): "
                                "delete this key"
                              : "unknown key");
        }
      }
      const auto prefix_text = item["prefix"] ? scalar(item["prefix"]) : std::nullopt;
      const auto prefix = prefix_text ? parse_prefix(*prefix_text) : std::nullopt;
      if (!prefix) {
        return error_at(item["prefix"] ? item["prefix"] : item, base + ".prefix",
                        "'" + prefix_text.value_or("") + "' is not an IPv4 or IPv6 prefix");
      }
      const auto hop_text = item["next-hop"] ? scalar(item["next-hop"]) : std::nullopt;
      StaticRoute route;
      route.family = prefix->family;
      route.prefix = network_text(*prefix);
      route.prefix_length = prefix->address.prefix_length;
      if (hop_text && prefix->family == AddressFamily::kIpv4 && parse_ipv4(*hop_text)) {
        route.next_hop = ipv4_to_string(*parse_ipv4(*hop_text));
      } else if (hop_text && prefix->family == AddressFamily::kIpv6 && parse_ipv6(*hop_text)) {
        route.next_hop = ipv6_to_string(*parse_ipv6(*hop_text));
      } else {
        return error_at(item["next-hop"] ? item["next-hop"] : item, base + ".next-hop",
                        "'" + hop_text.value_or("") + "' is not an address of the prefix's family");
      }
      if (const YAML::Node vrf = item["vpn-instance"]) {
        const auto text = scalar(vrf);
        if (!text || text->empty())
          return error_at(vrf, base + ".vpn-instance", "must not be empty");
        route.vpn_instance = *text;
        VpnInstance& v = ensure_vpn(running, *text);
        (route.family == AddressFamily::kIpv4 ? v.ipv4_family : v.ipv6_family) = true;
      }
      if (std::find(running.static_routes.begin(), running.static_routes.end(), route) ==
          running.static_routes.end()) {
        running.static_routes.push_back(route);
      }
      note(base, "ntp.static-routes");
    }
  }
  return std::nullopt;
}

bool strip_legacy_l3(YAML::Node& document) {
  if (!document.IsMap()) return false;
  bool changed = false;
  YAML::Node interfaces = document["interfaces"];
  if (interfaces && interfaces.IsSequence()) {
    YAML::Node kept(YAML::NodeType::Sequence);
    for (YAML::Node item : interfaces) {
      if (item.IsMap() && (item["parent"] || item["vlan"])) {
        changed = true;  // a sub-interface is no hardware: `interface X.N` in ntp.interfaces
        continue;
      }
      if (item.IsMap()) {
        for (const char* key : kLegacyInterfaceKeys) {
          if (item[key]) {
            item.remove(key);
            changed = true;
          }
        }
      }
      kept.push_back(item);
    }
    if (changed) document["interfaces"] = kept;
  }
  if (document["routes"]) {
    document.remove("routes");
    changed = true;
  }
  return changed;
}

}  // namespace wiretime::config

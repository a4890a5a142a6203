#include "config/ntp_config/ntp_config_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <functional>
#include <initializer_list>

#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/key_cipher.hpp"
#include "config/ntp_config/yaml_error.hpp"

namespace wiretime::config {
namespace {

// Reads YAML into the model; the first error wins and stops further reading.
class Decoder {
 public:
  std::optional<ConfigError> error;

  bool ok() const { return !error.has_value(); }

  void fail(const YAML::Node& node, const std::string& path, const std::string& message) {
    if (!error) error = yaml_error(node.Mark(), path, message);
  }

  // Every key of the map must be one of `known`.
  bool map(const YAML::Node& node, const std::string& path,
           std::initializer_list<std::string_view> known) {
    if (!node.IsMap()) {
      fail(node, path, "expected a mapping");
      return false;
    }
    for (const auto& item : node) {
      const std::string key = item.first.Scalar();
      bool found = false;
      for (std::string_view k : known) found = found || k == key;
      if (!found) {
        fail(item.first, join(path, key), "unknown key");
        return false;
      }
    }
    return true;
  }

  bool sequence(const YAML::Node& node, const std::string& path) {
    if (!node.IsSequence()) {
      fail(node, path, "expected a list");
      return false;
    }
    return true;
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

  bool string(const YAML::Node& node, const std::string& path, std::string& out, size_t min_len = 1,
              size_t max_len = 255) {
    if (!node.IsScalar()) {
      fail(node, path, "expected a string");
      return false;
    }
    const std::string& s = node.Scalar();
    if (s.size() < min_len || s.size() > max_len) {
      fail(node, path, "length must be " + std::to_string(min_len) + "-" + std::to_string(max_len));
      return false;
    }
    out = s;
    return true;
  }

  bool boolean(const YAML::Node& node, const std::string& path, bool& out) {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      if (s == "true" || s == "yes" || s == "on") {
        out = true;
        return true;
      }
      if (s == "false" || s == "no" || s == "off") {
        out = false;
        return true;
      }
    }
    fail(node, path, "expected true or false");
    return false;
  }

  template <typename T>
  bool integer(const YAML::Node& node, const std::string& path, int64_t min, int64_t max, T& out) {
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      int64_t value = 0;
      const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
      if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) {
        if (value < min || value > max) {
          fail(node, path,
               "'" + s + "' is out of range " + std::to_string(min) + "-" + std::to_string(max));
          return false;
        }
        out = static_cast<T>(value);
        return true;
      }
    }
    fail(node, path, "expected an integer");
    return false;
  }

  bool vpn_name(const YAML::Node& node, const std::string& path, std::string& out) {
    if (!string(node, path, out, 1, 31)) return false;
    if (out == "_public_") {
      fail(node, path, "'_public_' is reserved for the public network");
      return false;
    }
    return true;
  }

  bool interface(const YAML::Node& node, const std::string& path, std::string& out) {
    std::string text;
    if (!string(node, path, text, 1, 47)) return false;
    auto name = canonical_interface_name(text);
    if (!name) {
      fail(node, path, "'" + text + "' is not an interface name");
      return false;
    }
    out = *name;
    return true;
  }

  // "a.b.c.d/len" or "x::y/len"; the family is taken from the literal.
  bool prefix(const YAML::Node& node, const std::string& path, AddressFamily& family,
              InterfaceAddress& out) {
    std::string text;
    if (!string(node, path, text, 1, 64)) return false;
    const size_t slash = text.find('/');
    int length = -1;
    if (slash != std::string::npos) {
      const std::string len = text.substr(slash + 1);
      const auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), length);
      if (ec != std::errc() || ptr != len.data() + len.size()) length = -1;
    }
    const std::string addr = text.substr(0, slash);
    if (auto v4 = parse_ipv4(addr); v4 && length >= 0 && length <= 32) {
      family = AddressFamily::kIpv4;
      out = {ipv4_to_string(*v4), length};
      return true;
    }
    if (auto v6 = parse_ipv6(addr); v6 && length >= 0 && length <= 128) {
      family = AddressFamily::kIpv6;
      out = {ipv6_to_string(*v6), length};
      return true;
    }
    fail(node, path, "'" + text + "' is not an address/prefix-length");
    return false;
  }

  bool address(const YAML::Node& node, const std::string& path, AddressFamily& family,
               std::string& out) {
    std::string text;
    if (!string(node, path, text, 1, 64)) return false;
    if (auto v4 = parse_ipv4(text)) {
      family = AddressFamily::kIpv4;
      out = ipv4_to_string(*v4);
      return true;
    }
    if (auto v6 = parse_ipv6(text)) {
      family = AddressFamily::kIpv6;
      out = ipv6_to_string(*v6);
      return true;
    }
    fail(node, path, "'" + text + "' is not an IP address");
    return false;
  }

  bool family(const YAML::Node& node, const std::string& path, AddressFamily& out) {
    std::string text;
    if (!string(node, path, text)) return false;
    if (text == "ipv4") {
      out = AddressFamily::kIpv4;
    } else if (text == "ipv6") {
      out = AddressFamily::kIpv6;
    } else {
      fail(node, path, "expected ipv4 or ipv6");
      return false;
    }
    return true;
  }

  // Runs `read(item, item_path)` for every element of an optional list.
  void each(const YAML::Node& parent, const std::string& parent_path, const char* key,
            const std::function<void(const YAML::Node&, const std::string&)>& read) {
    const YAML::Node node = parent[key];
    // `key:` with nothing under it is an empty list, as the start-up loader reads it.
    if (!node || node.IsNull() || !ok()) return;
    const std::string path = join(parent_path, key);
    if (!sequence(node, path)) return;
    for (size_t i = 0; i < node.size() && ok(); ++i) read(node[i], index(path, i));
  }

  void association(const YAML::Node& node, const std::string& path, AssociationMode mode,
                   Association& a) {
    if (mode == AssociationMode::kServer) {
      if (!map(node, path,
               {"address", "domain", "version", "authentication-keyid", "key-id", "port",
                "source-interface", "vpn-instance", "preferred", "maxpoll", "minpoll", "burst",
                "iburst", "preempt", "interleaved"})) {
        return;
      }
    } else if (!map(node, path,
                    {"address", "domain", "version", "authentication-keyid", "key-id", "port",
                     "source-interface", "vpn-instance", "preferred", "maxpoll", "minpoll",
                     "preempt"})) {
      return;
    }
    const bool has_address = static_cast<bool>(node["address"]);
    const bool has_domain = static_cast<bool>(node["domain"]);
    if (has_address == has_domain) {
      fail(node, path, "exactly one of 'address' and 'domain' is required");
      return;
    }
    if (has_address) {
      AddressFamily fam{};
      if (!address(node["address"], join(path, "address"), fam, a.address)) return;
      a.kind = fam == AddressFamily::kIpv4 ? ServerKind::kIpv4 : ServerKind::kIpv6;
    } else {
      if (!string(node["domain"], join(path, "domain"), a.address)) return;
      if (!is_domain_name(a.address)) {
        fail(node["domain"], join(path, "domain"), "'" + a.address + "' is not a domain name");
        return;
      }
      a.kind = ServerKind::kDomain;
    }
    if (a.kind == ServerKind::kIpv6) {
      a.version = 4;
      if (node["version"]) {
        fail(node["version"], join(path, "version"), "not allowed for an IPv6 server (NTPv4)");
        return;
      }
    } else if (node["version"]) {
      if (!integer(node["version"], join(path, "version"), 1, 4, a.version)) return;
    }
    if (node["authentication-keyid"]) {
      uint32_t key = 0;
      if (!integer(node["authentication-keyid"], join(path, "authentication-keyid"), 1, 4294967295,
                   key)) {
        return;
      }
      a.key_id = key;
    }
    if (node["key-id"]) {
      uint32_t key = 0;
      if (!integer(node["key-id"], join(path, "key-id"), 1, 4294967295, key)) return;
      a.file_key_id = key;
    }
    if (node["port"]) {
      if (!integer(node["port"], join(path, "port"), 1, 65535, a.port)) return;
      if (a.port != 123 && a.port < 1025) {
        fail(node["port"], join(path, "port"), "must be 123 or 1025-65535");
        return;
      }
    }
    if (node["source-interface"] &&
        !interface(node["source-interface"], join(path, "source-interface"), a.source_interface)) {
      return;
    }
    if (node["vpn-instance"] &&
        !vpn_name(node["vpn-instance"], join(path, "vpn-instance"), a.vpn_instance)) {
      return;
    }
    // Lab extension (spec section 12): poll exponents down to -4 (1/16 s).
    if (node["maxpoll"] && !integer(node["maxpoll"], join(path, "maxpoll"), -4, 17, a.maxpoll)) {
      return;
    }
    if (node["minpoll"] && !integer(node["minpoll"], join(path, "minpoll"), -4, 17, a.minpoll)) {
      return;
    }
    if (a.minpoll > a.maxpoll) {
      fail(node, path, "minpoll must not exceed maxpoll");
      return;
    }
    const std::pair<const char*, bool*> flags[] = {{"preferred", &a.preferred},
                                                   {"burst", &a.burst},
                                                   {"iburst", &a.iburst},
                                                   {"preempt", &a.preempt},
                                                   {"interleaved", &a.interleaved}};
    for (const auto& [key, target] : flags) {
      if (node[key] && !boolean(node[key], join(path, key), *target)) return;
    }
  }

  void acl(const YAML::Node& node, const std::string& path, const char* number_key,
           const char* name_key, std::string& out, bool& is_name) {
    if (node[number_key] && node[name_key]) {
      fail(node, path, std::string("only one of '") + number_key + "' and '" + name_key + "'");
      return;
    }
    if (node[number_key]) {
      int number = 0;
      if (integer(node[number_key], join(path, number_key), 2000, 2999, number)) {
        out = std::to_string(number);
        is_name = false;
      }
    } else if (node[name_key]) {
      if (string(node[name_key], join(path, name_key), out, 1, 32)) is_name = true;
    }
  }

  NtpConfig decode(const YAML::Node& ntp) {
    NtpConfig c;
    const std::string root = "ntp";
    if (!ntp || ntp.IsNull()) return c;
    if (!map(ntp, root,
             {"sysname",
              "vpn-instances",
              "interfaces",
              "static-routes",
              "acls",
              "server-disable",
              "ipv6-server-disable",
              "disable",
              "ipv6-disable",
              "authentication-keys",
              "trusted-keys",
              "key-file",
              "refclock-master",
              "unicast-servers",
              "unicast-peers",
              "source-interfaces",
              "unsync-max-poll-interval",
              "max-distance",
              "discard",
              "access",
              "authentication-enable",
              "kod-enable",
              "server-source-interfaces",
              "ipv6-server-source-addresses",
              "server-source-interface-all",
              "ipv6-server-source-interface-all",
              "physic-isolate",
              "source-port",
              "sync-interval",
              "offset-limit",
              "max-dynamic-sessions"})) {
      return c;
    }
    if (ntp["sysname"]) string(ntp["sysname"], "ntp.sysname", c.sysname, 1, 246);

    each(ntp, root, "vpn-instances", [&](const YAML::Node& n, const std::string& p) {
      VpnInstance v;
      if (!map(n, p, {"name", "ipv4-family", "ipv6-family"})) return;
      if (!n["name"]) return fail(n, p, "'name' is required");
      if (!vpn_name(n["name"], join(p, "name"), v.name)) return;
      if (n["ipv4-family"] && !boolean(n["ipv4-family"], join(p, "ipv4-family"), v.ipv4_family))
        return;
      if (n["ipv6-family"] && !boolean(n["ipv6-family"], join(p, "ipv6-family"), v.ipv6_family))
        return;
      if (c.find_vpn(v.name)) return fail(n["name"], join(p, "name"), "duplicate VPN instance");
      c.vpn_instances.push_back(v);
    });

    each(ntp, root, "interfaces", [&](const YAML::Node& n, const std::string& p) {
      InterfaceSettings s;
      if (!map(n, p,
               {"name", "vpn-instance", "ipv4-addresses", "ipv6-enable", "ipv6-addresses",
                "dot1q-termination-vid"})) {
        return;
      }
      if (!n["name"]) return fail(n, p, "'name' is required");
      if (!interface(n["name"], join(p, "name"), s.name)) return;
      if (n["vpn-instance"] &&
          !vpn_name(n["vpn-instance"], join(p, "vpn-instance"), s.vpn_instance))
        return;
      if (n["ipv6-enable"] && !boolean(n["ipv6-enable"], join(p, "ipv6-enable"), s.ipv6_enable))
        return;
      if (n["dot1q-termination-vid"]) {
        int vid = 0;
        if (!integer(n["dot1q-termination-vid"], join(p, "dot1q-termination-vid"), 1, 4094, vid))
          return;
        s.dot1q_vid = vid;
      }
      for (const auto& entry : {std::tuple{"ipv4-addresses", AddressFamily::kIpv4, &s.ipv4},
                                std::tuple{"ipv6-addresses", AddressFamily::kIpv6, &s.ipv6}}) {
        // Plain locals: clang 14 cannot capture structured bindings in a lambda.
        const char* key = std::get<0>(entry);
        const AddressFamily want = std::get<1>(entry);
        std::vector<InterfaceAddress>* list = std::get<2>(entry);
        each(n, p, key, [&](const YAML::Node& an, const std::string& ap) {
          AddressFamily fam{};
          InterfaceAddress a;
          if (!prefix(an, ap, fam, a)) return;
          if (fam != want) return fail(an, ap, "wrong address family for this list");
          list->push_back(a);
        });
      }
      if (c.find_interface(s.name)) return fail(n["name"], join(p, "name"), "duplicate interface");
      c.interfaces.push_back(s);
    });

    each(ntp, root, "static-routes", [&](const YAML::Node& n, const std::string& p) {
      StaticRoute r;
      if (!map(n, p, {"prefix", "next-hop", "vpn-instance"})) return;
      if (!n["prefix"] || !n["next-hop"]) return fail(n, p, "'prefix' and 'next-hop' are required");
      InterfaceAddress pre;
      if (!prefix(n["prefix"], join(p, "prefix"), r.family, pre)) return;
      r.prefix = pre.address;
      r.prefix_length = pre.prefix_length;
      AddressFamily hop_family{};
      if (!address(n["next-hop"], join(p, "next-hop"), hop_family, r.next_hop)) return;
      if (hop_family != r.family)
        return fail(n["next-hop"], join(p, "next-hop"), "family differs from the prefix");
      if (n["vpn-instance"] &&
          !vpn_name(n["vpn-instance"], join(p, "vpn-instance"), r.vpn_instance))
        return;
      c.static_routes.push_back(r);
    });
    if (ok() && ntp["acls"]) {
      if (auto e = decode_acls(ntp["acls"], c.acls)) error = std::move(e);
    }

    const std::pair<const char*, bool*> flags[] = {
        {"server-disable", &c.server_disable},
        {"ipv6-server-disable", &c.ipv6_server_disable},
        {"disable", &c.service_disable},
        {"ipv6-disable", &c.ipv6_service_disable},
        {"authentication-enable", &c.authentication_enable},
        {"kod-enable", &c.kod_enable},
        {"server-source-interface-all", &c.server_listen_all},
        {"ipv6-server-source-interface-all", &c.ipv6_server_listen_all}};
    for (const auto& [key, target] : flags) {
      if (ok() && ntp[key]) boolean(ntp[key], join(root, key), *target);
    }

    each(ntp, root, "authentication-keys", [&](const YAML::Node& n, const std::string& p) {
      if (!map(n, p, {"id", "mode", "cipher", "password"})) return;
      if (!n["id"] || !n["mode"]) return fail(n, p, "'id' and 'mode' are required");
      uint32_t id = 0;
      if (!integer(n["id"], join(p, "id"), 1, 4294967295, id)) return;
      AuthenticationKey key;
      std::string mode;
      if (!string(n["mode"], join(p, "mode"), mode)) return;
      auto parsed = key_mode_from_string(mode);
      if (!parsed)
        return fail(n["mode"], join(p, "mode"),
                    "expected md5, hmac-sha256, aes-128-cmac or aes-256-cmac");
      key.mode = *parsed;
      if (static_cast<bool>(n["cipher"]) == static_cast<bool>(n["password"]))
        return fail(n, p, "exactly one of 'cipher' and 'password' is required");
      if (n["cipher"]) {
        std::string cipher;
        if (!string(n["cipher"], join(p, "cipher"), cipher, 20, 432)) return;
        auto secret = decode_key_cipher(cipher);
        if (!secret) return fail(n["cipher"], join(p, "cipher"), "not a valid cipher text");
        key.secret = *secret;
      } else if (!string(n["password"], join(p, "password"), key.secret, 1, 255)) {
        return;
      }
      if (c.keys.count(id)) return fail(n["id"], join(p, "id"), "duplicate key id");
      c.keys[id] = key;
    });

    each(ntp, root, "trusted-keys", [&](const YAML::Node& n, const std::string& p) {
      uint32_t id = 0;
      if (integer(n, p, 1, 4294967295, id)) c.trusted_keys.insert(id);
    });

    if (ok() && ntp["refclock-master"]) {
      const YAML::Node n = ntp["refclock-master"];
      const std::string p = "ntp.refclock-master";
      RefclockMaster m;
      if (map(n, p, {"address", "stratum"})) {
        if (n["address"]) {
          std::string text;
          if (string(n["address"], join(p, "address"), text)) {
            auto v4 = parse_ipv4(text);
            if (!v4 || !is_refclock_address(*v4)) {
              fail(n["address"], join(p, "address"), "expected 127.127.t.u (t 0-37, u 0-3)");
            } else {
              m.address = *v4;
            }
          }
        }
        if (ok() && n["stratum"]) integer(n["stratum"], join(p, "stratum"), 1, 15, m.stratum);
        c.refclock_master = m;
      }
    }

    for (const auto& entry :
         {std::tuple{"unicast-servers", AssociationMode::kServer, &c.unicast_servers},
          std::tuple{"unicast-peers", AssociationMode::kPeer, &c.unicast_peers}}) {
      const char* key = std::get<0>(entry);
      const AssociationMode mode = std::get<1>(entry);
      std::vector<Association>* list = std::get<2>(entry);
      each(ntp, root, key, [&](const YAML::Node& n, const std::string& p) {
        Association a;
        association(n, p, mode, a);
        if (!ok()) return;
        for (const Association& other : *list) {
          if (other.same_key(a)) return fail(n, p, "duplicate entry (same address and VPN)");
        }
        list->push_back(a);
      });
    }

    each(ntp, root, "source-interfaces", [&](const YAML::Node& n, const std::string& p) {
      SourceInterface s;
      if (!map(n, p, {"interface", "family", "vpn-instance"})) return;
      if (!n["interface"]) return fail(n, p, "'interface' is required");
      if (!interface(n["interface"], join(p, "interface"), s.interface)) return;
      if (n["family"] && !family(n["family"], join(p, "family"), s.family)) return;
      if (n["vpn-instance"] &&
          !vpn_name(n["vpn-instance"], join(p, "vpn-instance"), s.vpn_instance))
        return;
      for (const auto& other : c.source_interfaces) {
        if (other.family == s.family && other.vpn_instance == s.vpn_instance)
          return fail(n, p, "duplicate entry (one per address family and VPN)");
      }
      c.source_interfaces.push_back(s);
    });

    if (ok() && ntp["unsync-max-poll-interval"]) {
      const YAML::Node n = ntp["unsync-max-poll-interval"];
      const std::string p = "ntp.unsync-max-poll-interval";
      UnsyncMaxPoll u;
      if (map(n, p, {"poll-interval", "dec-step"})) {
        if (!n["poll-interval"] || !n["dec-step"]) {
          fail(n, p, "'poll-interval' and 'dec-step' are required");
        } else if (integer(n["poll-interval"], join(p, "poll-interval"), 6, 10, u.poll_interval) &&
                   integer(n["dec-step"], join(p, "dec-step"), 1, 6, u.dec_step)) {
          if (u.poll_interval == 10 && u.dec_step != 6) {
            fail(n["dec-step"], join(p, "dec-step"), "must be 6 when poll-interval is 10");
          }
          c.unsync_max_poll = u;
        }
      }
    }

    if (ok() && ntp["key-file"]) string(ntp["key-file"], "ntp.key-file", c.key_file, 1, 4096);
    if (ok() && ntp["max-distance"])
      integer(ntp["max-distance"], "ntp.max-distance", 1, 16, c.max_distance);
    if (ok() && ntp["discard"]) {
      const YAML::Node n = ntp["discard"];
      if (map(n, "ntp.discard", {"min-interval", "avg-interval"})) {
        if (n["min-interval"])
          integer(n["min-interval"], "ntp.discard.min-interval", 1, 8, c.discard_min_interval);
        if (ok() && n["avg-interval"])
          integer(n["avg-interval"], "ntp.discard.avg-interval", 1, 8, c.discard_avg_interval);
      }
    }
    if (ok() && ntp["access"]) {
      const YAML::Node n = ntp["access"];
      if (map(n, "ntp.access", {"peer", "query", "server", "synchronization", "limited"})) {
        for (const auto& item : n) {
          const std::string level_name = item.first.Scalar();
          const std::string p = "ntp.access." + level_name;
          AccessRule rule;
          if (!map(item.second, p, {"acl", "acl-name", "ipv6-acl", "ipv6-acl-name"})) break;
          acl(item.second, p, "acl", "acl-name", rule.acl, rule.acl_is_name);
          acl(item.second, p, "ipv6-acl", "ipv6-acl-name", rule.acl6, rule.acl6_is_name);
          if (!ok()) break;
          if (rule.acl.empty() && rule.acl6.empty()) {
            fail(item.second, p, "an IPv4 or IPv6 ACL is required");
            break;
          }
          c.access[*access_level_from_string(level_name)] = rule;
        }
      }
    }
    each(ntp, root, "server-source-interfaces", [&](const YAML::Node& n, const std::string& p) {
      std::string name;
      if (interface(n, p, name)) c.server_source_interfaces.push_back(name);
    });
    each(ntp, root, "ipv6-server-source-addresses", [&](const YAML::Node& n, const std::string& p) {
      Ipv6ServerSourceAddress s;
      if (!map(n, p, {"address", "vpn-instance"})) return;
      if (!n["address"]) return fail(n, p, "'address' is required");
      AddressFamily fam{};
      if (!address(n["address"], join(p, "address"), fam, s.address)) return;
      if (fam != AddressFamily::kIpv6)
        return fail(n["address"], join(p, "address"), "expected an IPv6 address");
      if (n["vpn-instance"] &&
          !vpn_name(n["vpn-instance"], join(p, "vpn-instance"), s.vpn_instance))
        return;
      c.ipv6_server_source_addresses.push_back(s);
    });
    each(ntp, root, "physic-isolate", [&](const YAML::Node& n, const std::string& p) {
      PhysicIsolate pi;
      if (!map(n, p, {"interface", "address"})) return;
      if (!n["interface"] || !n["address"])
        return fail(n, p, "'interface' and 'address' are required");
      if (!interface(n["interface"], join(p, "interface"), pi.interface)) return;
      if (!address(n["address"], join(p, "address"), pi.family, pi.address)) return;
      c.physic_isolate.push_back(pi);
    });
    if (ok() && ntp["source-port"]) {
      uint16_t port = 0;
      if (integer(ntp["source-port"], "ntp.source-port", 1, 65535, port)) {
        if (port != 123 && port < 1025) {
          fail(ntp["source-port"], "ntp.source-port", "must be 123 or 1025-65535");
        }
        c.source_port = port;
      }
    }
    if (ok() && ntp["sync-interval"]) {
      int v = 0;
      if (integer(ntp["sync-interval"], "ntp.sync-interval", 180, 600, v)) c.sync_interval = v;
    }
    if (ok() && ntp["offset-limit"]) {
      int v = 0;
      if (integer(ntp["offset-limit"], "ntp.offset-limit", 5, 7620, v)) c.offset_limit = v;
    }
    if (ok() && ntp["max-dynamic-sessions"])
      integer(ntp["max-dynamic-sessions"], "ntp.max-dynamic-sessions", 0, 100,
              c.max_dynamic_sessions);
    return c;
  }
};

const char* family_name(AddressFamily f) {
  return f == AddressFamily::kIpv4 ? "ipv4" : "ipv6";
}

YAML::Node encode_association(const Association& a, AssociationMode mode) {
  YAML::Node n;
  n[a.kind == ServerKind::kDomain ? "domain" : "address"] = a.address;
  if (a.kind != ServerKind::kIpv6 && a.version != 3) n["version"] = a.version;
  if (a.key_id) n["authentication-keyid"] = *a.key_id;
  if (a.file_key_id) n["key-id"] = *a.file_key_id;
  if (a.port != 123) n["port"] = a.port;
  if (!a.source_interface.empty()) n["source-interface"] = a.source_interface;
  if (!a.vpn_instance.empty()) n["vpn-instance"] = a.vpn_instance;
  if (a.preferred) n["preferred"] = true;
  if (a.maxpoll != 10) n["maxpoll"] = a.maxpoll;
  if (a.minpoll != 6) n["minpoll"] = a.minpoll;
  if (mode == AssociationMode::kServer && a.burst) n["burst"] = true;
  if (mode == AssociationMode::kServer && a.iburst) n["iburst"] = true;
  if (a.preempt) n["preempt"] = true;
  if (mode == AssociationMode::kServer && a.interleaved) n["interleaved"] = true;
  return n;
}

}  // namespace

InterfaceInventory inventory_from_daemon_yaml(const YAML::Node& document) {
  InterfaceInventory inventory;
  if (!document.IsMap()) return inventory;
  const YAML::Node interfaces = document["interfaces"];
  if (!interfaces || !interfaces.IsSequence()) return inventory;
  for (const auto& item : interfaces) {
    if (!item.IsMap() || !item["name"] || !item["name"].IsScalar()) continue;
    // An old-style sub-interface item (parent + vlan) is no hardware: it becomes the
    // `interface X.N` entry of the running configuration (legacy_l3.hpp).
    if (item["parent"] || item["vlan"]) continue;
    if (auto name = canonical_interface_name(item["name"].Scalar())) inventory.names.insert(*name);
  }
  return inventory;
}

std::variant<NtpConfig, ConfigError> decode_ntp_config(const YAML::Node& ntp_section) {
  Decoder decoder;
  NtpConfig config = decoder.decode(ntp_section);
  if (decoder.error) return *decoder.error;
  return config;
}

YAML::Node encode_ntp_config(const NtpConfig& c) {
  YAML::Node n(YAML::NodeType::Map);
  if (c.sysname != "HUAWEI") n["sysname"] = c.sysname;
  for (const auto& v : c.vpn_instances) {
    YAML::Node e;
    e["name"] = v.name;
    if (v.ipv4_family) e["ipv4-family"] = true;
    if (v.ipv6_family) e["ipv6-family"] = true;
    n["vpn-instances"].push_back(e);
  }
  for (const auto& s : c.interfaces) {
    YAML::Node e;
    e["name"] = s.name;
    if (!s.vpn_instance.empty()) e["vpn-instance"] = s.vpn_instance;
    for (const auto& a : s.ipv4)
      e["ipv4-addresses"].push_back(a.address + "/" + std::to_string(a.prefix_length));
    if (s.ipv6_enable) e["ipv6-enable"] = true;
    for (const auto& a : s.ipv6)
      e["ipv6-addresses"].push_back(a.address + "/" + std::to_string(a.prefix_length));
    if (s.dot1q_vid) e["dot1q-termination-vid"] = *s.dot1q_vid;
    n["interfaces"].push_back(e);
  }
  for (const auto& r : c.static_routes) {
    YAML::Node e;
    e["prefix"] = r.prefix + "/" + std::to_string(r.prefix_length);
    e["next-hop"] = r.next_hop;
    if (!r.vpn_instance.empty()) e["vpn-instance"] = r.vpn_instance;
    n["static-routes"].push_back(e);
  }
  encode_acls(c.acls, n);
  if (c.server_disable) n["server-disable"] = true;
  if (c.ipv6_server_disable) n["ipv6-server-disable"] = true;
  if (c.service_disable) n["disable"] = true;
  if (c.ipv6_service_disable) n["ipv6-disable"] = true;
  for (const auto& [id, key] : c.keys) {
    YAML::Node e;
    e["id"] = id;
    e["mode"] = to_string(key.mode);
    e["cipher"] = encode_key_cipher(key.secret);
    n["authentication-keys"].push_back(e);
  }
  for (uint32_t id : c.trusted_keys) n["trusted-keys"].push_back(id);
  if (!c.key_file.empty()) n["key-file"] = c.key_file;
  if (c.refclock_master) {
    YAML::Node e(YAML::NodeType::Map);
    if (c.refclock_master->address != RefclockMaster{}.address)
      e["address"] = ipv4_to_string(c.refclock_master->address);
    if (c.refclock_master->stratum != 8) e["stratum"] = c.refclock_master->stratum;
    n["refclock-master"] = e;
  }
  for (const auto& a : c.unicast_servers)
    n["unicast-servers"].push_back(encode_association(a, AssociationMode::kServer));
  for (const auto& a : c.unicast_peers)
    n["unicast-peers"].push_back(encode_association(a, AssociationMode::kPeer));
  for (const auto& s : c.source_interfaces) {
    YAML::Node e;
    e["interface"] = s.interface;
    if (s.family != AddressFamily::kIpv4) e["family"] = family_name(s.family);
    if (!s.vpn_instance.empty()) e["vpn-instance"] = s.vpn_instance;
    n["source-interfaces"].push_back(e);
  }
  if (c.unsync_max_poll) {
    n["unsync-max-poll-interval"]["poll-interval"] = c.unsync_max_poll->poll_interval;
    n["unsync-max-poll-interval"]["dec-step"] = c.unsync_max_poll->dec_step;
  }
  if (c.max_distance != 1) n["max-distance"] = c.max_distance;
  if (c.discard_min_interval != 1) n["discard"]["min-interval"] = c.discard_min_interval;
  if (c.discard_avg_interval != 5) n["discard"]["avg-interval"] = c.discard_avg_interval;
  for (const auto& [level, rule] : c.access) {
    YAML::Node e(YAML::NodeType::Map);
    if (!rule.acl.empty()) {
      if (rule.acl_is_name)
        e["acl-name"] = rule.acl;
      else
        e["acl"] = std::stoi(rule.acl);
    }
    if (!rule.acl6.empty()) {
      if (rule.acl6_is_name)
        e["ipv6-acl-name"] = rule.acl6;
      else
        e["ipv6-acl"] = std::stoi(rule.acl6);
    }
    n["access"][to_string(level)] = e;
  }
  if (c.authentication_enable) n["authentication-enable"] = true;
  if (c.kod_enable) n["kod-enable"] = true;
  for (const auto& s : c.server_source_interfaces) n["server-source-interfaces"].push_back(s);
  for (const auto& s : c.ipv6_server_source_addresses) {
    YAML::Node e;
    e["address"] = s.address;
    if (!s.vpn_instance.empty()) e["vpn-instance"] = s.vpn_instance;
    n["ipv6-server-source-addresses"].push_back(e);
  }
  if (c.server_listen_all) n["server-source-interface-all"] = true;
  if (c.ipv6_server_listen_all) n["ipv6-server-source-interface-all"] = true;
  for (const auto& pi : c.physic_isolate) {
    YAML::Node e;
    e["interface"] = pi.interface;
    e["address"] = pi.address;
    n["physic-isolate"].push_back(e);
  }
  if (c.source_port) n["source-port"] = *c.source_port;
  if (c.sync_interval) n["sync-interval"] = *c.sync_interval;
  if (c.offset_limit) n["offset-limit"] = *c.offset_limit;
  if (c.max_dynamic_sessions != 100) n["max-dynamic-sessions"] = c.max_dynamic_sessions;
  return n;
}

std::string ntp_config_to_yaml_text(const NtpConfig& config) {
  YAML::Node document;
  document["ntp"] = encode_ntp_config(config);
  YAML::Emitter out;
  out << document;
  return std::string(out.c_str()) + "\n";
}

std::variant<NtpConfig, ConfigError> ntp_config_from_yaml_text(const std::string& text) {
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return ConfigError{.line = e.mark.line + 1, .column = e.mark.column + 1, .message = e.msg};
  }
  if (document && !document.IsNull() && !document.IsMap()) {
    return ConfigError{.line = 1, .column = 1, .message = "expected a mapping at the top level"};
  }
  return decode_ntp_config(document["ntp"]);
}

}  // namespace wiretime::config

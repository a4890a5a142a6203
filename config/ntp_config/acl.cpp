#include "config/ntp_config/acl.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/yaml_error.hpp"

namespace wiretime::config {

const Acl* find_acl(const std::vector<Acl>& acls, bool ipv6, const std::string& id, bool is_name) {
  for (const Acl& a : acls) {
    if (a.ipv6 == ipv6 && a.is_name == is_name && a.id == id) return &a;
  }
  return nullptr;
}

Acl* find_acl(std::vector<Acl>& acls, bool ipv6, const std::string& id, bool is_name) {
  return const_cast<Acl*>(find_acl(static_cast<const std::vector<Acl>&>(acls), ipv6, id, is_name));
}

std::optional<uint32_t> next_rule_id(const Acl& acl) {
  if (acl.rules.empty()) return kAclRuleStep;
  const uint64_t next = (uint64_t{acl.rules.back().id} / kAclRuleStep + 1) * kAclRuleStep;
  if (next > kMaxAclRuleId) return std::nullopt;
  return static_cast<uint32_t>(next);
}

void put_rule(Acl& acl, const AclRule& rule) {
  auto it = std::lower_bound(acl.rules.begin(), acl.rules.end(), rule.id,
                             [](const AclRule& r, uint32_t id) { return r.id < id; });
  if (it != acl.rules.end() && it->id == rule.id) {
    *it = rule;
  } else {
    acl.rules.insert(it, rule);
  }
}

std::string acl_rule_line(const Acl& acl, const AclRule& r) {
  std::string line = "rule " + std::to_string(r.id) + (r.permit ? " permit" : " deny");
  if (r.any) return line;  // VRP shows a rule without source as typed: no `source any`
  if (acl.ipv6) return line + " source " + r.address + "/" + std::to_string(r.prefix_length);
  return line + " source " + r.address + " " + (r.wildcard == "0.0.0.0" ? "0" : r.wildcard);
}

std::string acl_header_line(const Acl& acl) {
  std::string line = acl.ipv6 ? "acl ipv6 " : "acl ";
  return line + (acl.is_name ? "name " + acl.id : "number " + acl.id);
}

namespace {

struct AclDecoder {
  std::optional<ConfigError> error;

  bool fail(const YAML::Node& node, const std::string& path, const std::string& message) {
    if (!error) error = yaml_error(node.Mark(), path, message);
    return false;
  }

  bool keys(const YAML::Node& node, const std::string& path,
            std::initializer_list<std::string_view> known) {
    if (!node.IsMap()) return fail(node, path, "expected a mapping");
    for (const auto& item : node) {
      const std::string key = item.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        return fail(item.first, path + "." + key, "unknown key");
      }
    }
    return true;
  }

  bool scalar(const YAML::Node& node, const std::string& path, std::string& out) {
    if (!node.IsScalar()) return fail(node, path, "expected a string");
    out = node.Scalar();
    return true;
  }

  bool number(const YAML::Node& node, const std::string& path, uint64_t lo, uint64_t hi,
              uint64_t& out) {
    std::string s;
    if (!scalar(node, path, s)) return false;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
      return fail(node, path, "expected an integer");
    }
    if (out < lo || out > hi) {
      return fail(node, path,
                  "'" + s + "' is out of range " + std::to_string(lo) + "-" + std::to_string(hi));
    }
    return true;
  }

  bool rule(const YAML::Node& n, const std::string& p, bool ipv6, AclRule& r) {
    if (!keys(n, p, {"id", "action", "source", "wildcard"})) return false;
    if (!n["id"] || !n["action"]) return fail(n, p, "'id' and 'action' are required");
    uint64_t id = 0;
    if (!number(n["id"], p + ".id", 0, kMaxAclRuleId, id)) return false;
    r.id = static_cast<uint32_t>(id);
    std::string action;
    if (!scalar(n["action"], p + ".action", action)) return false;
    if (action != "permit" && action != "deny") {
      return fail(n["action"], p + ".action", "expected permit or deny");
    }
    r.permit = action == "permit";
    std::string source = "any";
    if (n["source"] && !scalar(n["source"], p + ".source", source)) return false;
    if (source == "any") {
      if (n["wildcard"]) return fail(n["wildcard"], p + ".wildcard", "not with source any");
      return true;
    }
    r.any = false;
    if (ipv6) {
      if (n["wildcard"]) return fail(n["wildcard"], p + ".wildcard", "IPv6 rules take a prefix");
      const size_t slash = source.find('/');
      const auto address = parse_ipv6(source.substr(0, slash));
      uint64_t length = 128;
      if (!address ||
          (slash != std::string::npos &&
           (std::from_chars(source.data() + slash + 1, source.data() + source.size(), length).ec !=
                std::errc() ||
            length > 128))) {
        return fail(n["source"], p + ".source", "expected an IPv6 prefix X:X::X/len or any");
      }
      r.address = ipv6_to_string(*address);
      r.prefix_length = static_cast<int>(length);
      return true;
    }
    const auto address = parse_ipv4(source);
    if (!address) return fail(n["source"], p + ".source", "expected an IPv4 address or any");
    r.address = ipv4_to_string(*address);
    std::string wildcard = "0.0.0.0";
    if (n["wildcard"] && !scalar(n["wildcard"], p + ".wildcard", wildcard)) return false;
    if (wildcard == "0") wildcard = "0.0.0.0";
    const auto w = parse_ipv4(wildcard);
    if (!w) return fail(n["wildcard"], p + ".wildcard", "expected a dotted wildcard or 0");
    r.wildcard = ipv4_to_string(*w);
    return true;
  }

  void acls(const YAML::Node& node, std::vector<Acl>& out) {
    const std::string root = "ntp.acls";
    if (!node.IsSequence()) {
      fail(node, root, "expected a list");
      return;
    }
    for (size_t i = 0; i < node.size() && !error; ++i) {
      const YAML::Node n = node[i];
      const std::string p = root + "[" + std::to_string(i) + "]";
      if (!keys(n, p, {"number", "name", "ipv6", "rules"})) return;
      Acl acl;
      if (static_cast<bool>(n["number"]) == static_cast<bool>(n["name"])) {
        fail(n, p, "exactly one of 'number' and 'name' is required");
        return;
      }
      if (n["number"]) {
        uint64_t number = 0;
        if (!number_of(n["number"], p + ".number", number)) return;
        acl.id = std::to_string(number);
      } else {
        if (!scalar(n["name"], p + ".name", acl.id)) return;
        if (acl.id.empty() || acl.id.size() > 32 ||
            !std::isalpha(static_cast<unsigned char>(acl.id[0]))) {
          fail(n["name"], p + ".name", "1-32 characters, a letter first");
          return;
        }
        acl.is_name = true;
      }
      if (n["ipv6"]) {
        std::string flag;
        if (!scalar(n["ipv6"], p + ".ipv6", flag)) return;
        if (flag != "true" && flag != "false") {
          fail(n["ipv6"], p + ".ipv6", "expected true or false");
          return;
        }
        acl.ipv6 = flag == "true";
      }
      if (find_acl(out, acl.ipv6, acl.id, acl.is_name)) {
        fail(n, p, "duplicate ACL");
        return;
      }
      if (n["rules"]) {
        const YAML::Node rules = n["rules"];
        if (!rules.IsSequence()) {
          fail(rules, p + ".rules", "expected a list");
          return;
        }
        for (size_t k = 0; k < rules.size(); ++k) {
          AclRule r;
          const std::string rp = p + ".rules[" + std::to_string(k) + "]";
          if (!rule(rules[k], rp, acl.ipv6, r)) return;
          for (const AclRule& other : acl.rules) {
            if (other.id == r.id) {
              fail(rules[k], rp + ".id", "duplicate rule id");
              return;
            }
          }
          put_rule(acl, r);
        }
      }
      out.push_back(std::move(acl));
    }
  }

  bool number_of(const YAML::Node& node, const std::string& path, uint64_t& out) {
    return number(node, path, 2000, 2999, out);
  }
};

}  // namespace

std::optional<ConfigError> decode_acls(const YAML::Node& node, std::vector<Acl>& out) {
  AclDecoder d;
  d.acls(node, out);
  return d.error;
}

void encode_acls(const std::vector<Acl>& acls, YAML::Node& ntp_section) {
  for (const Acl& acl : acls) {
    YAML::Node e;
    if (acl.is_name) {
      e["name"] = acl.id;
    } else {
      e["number"] = std::stoi(acl.id);
    }
    if (acl.ipv6) e["ipv6"] = true;
    for (const AclRule& r : acl.rules) {
      YAML::Node rn;
      rn["id"] = r.id;
      rn["action"] = r.permit ? "permit" : "deny";
      if (!r.any) {
        if (acl.ipv6) {
          rn["source"] = r.address + "/" + std::to_string(r.prefix_length);
        } else {
          rn["source"] = r.address;
          rn["wildcard"] = r.wildcard;
        }
      }
      e["rules"].push_back(rn);
    }
    ntp_section["acls"].push_back(e);
  }
}

}  // namespace wiretime::config

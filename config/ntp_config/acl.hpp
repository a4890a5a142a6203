// Basic ACLs as `ntp access` refers to them (vrp-ntp-cli.md section 12, CE VRP8 forms):
// `acl [number] <2000-2999>` / `acl name <name> [basic]` and the `acl ipv6 ...` forms, each a
// list of `rule [id] {permit|deny} [source {<addr> {<wildcard>|0} | <prefix>/<len> | any}]`.
// Rules are kept in ascending id order, the order they are matched in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace YAML {
class Node;
}

namespace wiretime::config {

struct AclRule {
  uint32_t id = 0;  // 0-4294967294
  bool permit = true;
  bool any = true;        // no source, or `source any`
  std::string address;    // canonical text (the network part as typed, unmasked)
  std::string wildcard;   // IPv4: dotted wildcard ("0" typed is "0.0.0.0")
  int prefix_length = 0;  // IPv6
  bool operator==(const AclRule&) const = default;
};

struct Acl {
  bool ipv6 = false;
  std::string id;  // "2000".."2999", or the name
  bool is_name = false;
  std::vector<AclRule> rules;  // ascending id
  bool operator==(const Acl&) const = default;
};

inline constexpr uint32_t kMaxAclRuleId = 4294967294u;
inline constexpr uint32_t kAclRuleStep = 5;
inline constexpr size_t kMaxAclRulesPerAcl = 64;  // what the server compiles (docs/cli.md)

const Acl* find_acl(const std::vector<Acl>& acls, bool ipv6, const std::string& id, bool is_name);
Acl* find_acl(std::vector<Acl>& acls, bool ipv6, const std::string& id, bool is_name);

// The id an omitted `rule` id gets: the next multiple of the step above the highest id.
std::optional<uint32_t> next_rule_id(const Acl& acl);

// Inserts or replaces (same id) a rule, keeping ascending order.
void put_rule(Acl& acl, const AclRule& rule);

// The rule as its command line (`rule 5 permit source 198.18.0.0 0.0.0.255`).
std::string acl_rule_line(const Acl& acl, const AclRule& rule);
// The ACL's view line (`acl number 2000`, `acl name web`, `acl ipv6 number 2001`).
std::string acl_header_line(const Acl& acl);

// The `acls:` list of the `ntp:` YAML section (docs/configuration.md).
std::optional<ConfigError> decode_acls(const YAML::Node& node, std::vector<Acl>& out);
void encode_acls(const std::vector<Acl>& acls, YAML::Node& ntp_section);

}  // namespace wiretime::config

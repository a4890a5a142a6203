#include "config/cli/acl_commands.hpp"

#include <algorithm>

namespace wiretime::cli {

using config::Refusal;

std::optional<Refusal> apply_acl(config::NtpConfig& c, const Match& m,
                                 std::optional<AclRef>& enter) {
  AclRef ref;
  ref.ipv6 = m.has("ipv6");
  ref.is_name = m.has("name");
  ref.id = ref.is_name ? m.get("name") : m.get("number");
  config::Acl* acl = config::find_acl(c.acls, ref.ipv6, ref.id, ref.is_name);
  if (m.has("undo")) {
    // Allowed while `ntp access` names it: the level then denies (section 12).
    if (acl == nullptr) return Refusal::kConfigNotExist;
    std::erase_if(c.acls, [&](const config::Acl& a) { return &a == acl; });
    enter.reset();
    return std::nullopt;
  }
  if (acl == nullptr) c.acls.push_back(config::Acl{ref.ipv6, ref.id, ref.is_name, {}});
  enter = ref;
  return std::nullopt;
}

std::optional<Refusal> apply_acl_rule(config::NtpConfig& c, const AclRef& ref, const Match& m) {
  config::Acl* acl = config::find_acl(c.acls, ref.ipv6, ref.id, ref.is_name);
  if (acl == nullptr) return Refusal::kConfigNotExist;  // removed by another line meanwhile
  const bool has_id = m.has("id");
  const uint32_t id = has_id ? static_cast<uint32_t>(std::stoul(m.get("id"))) : 0;
  if (m.has("undo")) {
    const auto before = acl->rules.size();
    std::erase_if(acl->rules, [&](const config::AclRule& r) { return r.id == id; });
    return acl->rules.size() == before ? std::optional<Refusal>(Refusal::kConfigNotExist)
                                       : std::nullopt;
  }
  config::AclRule rule;
  if (has_id) {
    rule.id = id;
  } else if (auto next = config::next_rule_id(*acl)) {
    rule.id = *next;
  } else {
    return Refusal::kAclRuleIdExhausted;
  }
  rule.permit = m.get("action") == "permit";
  rule.any = !m.has("address") && !m.has("prefix");
  if (m.has("prefix")) {  // X:X::X/len
    const std::string p = m.get("prefix");
    rule.address = p.substr(0, p.find('/'));
    rule.prefix_length = std::stoi(p.substr(p.find('/') + 1));
  } else if (m.has("address")) {
    rule.address = m.get("address");
    if (ref.ipv6) {
      rule.prefix_length = std::stoi(m.get("length"));
    } else {
      rule.wildcard = m.get("wildcard");
    }
  }
  const bool replaces = std::any_of(acl->rules.begin(), acl->rules.end(),
                                    [&](const config::AclRule& r) { return r.id == rule.id; });
  if (!replaces && acl->rules.size() >= config::kMaxAclRulesPerAcl) return Refusal::kAclRuleLimit;
  config::put_rule(*acl, rule);
  return std::nullopt;
}

}  // namespace wiretime::cli

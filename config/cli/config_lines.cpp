#include "config/cli/config_lines.hpp"

#include <algorithm>

#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/key_cipher.hpp"

namespace wiretime::cli {

using config::AddressFamily;
using config::Association;
using config::NtpConfig;
using config::ServerKind;

std::string quote_word(const std::string& word) {
  if (word.find(' ') == std::string::npos && word.find('\t') == std::string::npos) return word;
  return "\"" + word + "\"";
}

namespace {

std::string association_line(const Association& a, bool peer) {
  std::string line = peer ? "ntp unicast-peer " : "ntp unicast-server ";
  if (a.kind == ServerKind::kIpv6) line += "ipv6 ";
  if (a.kind == ServerKind::kDomain) line += "domain ";
  line += a.address;
  // Options in grammar order (Q18), defaults omitted.
  if (a.kind != ServerKind::kIpv6 && a.version != 3)
    line += " version " + std::to_string(a.version);
  if (a.key_id) line += " authentication-keyid " + std::to_string(*a.key_id);
  if (a.port != 123) line += " port " + std::to_string(a.port);
  if (!a.source_interface.empty()) line += " source-interface " + a.source_interface;
  if (!a.vpn_instance.empty()) line += " vpn-instance " + quote_word(a.vpn_instance);
  if (a.preferred) line += " preferred";
  if (a.maxpoll != 10) line += " maxpoll " + std::to_string(a.maxpoll);
  if (a.minpoll != 6) line += " minpoll " + std::to_string(a.minpoll);
  if (!peer && a.burst) line += " burst";
  if (!peer && a.iburst) line += " iburst";
  if (a.preempt) line += " preempt";
  return line;
}

std::string vpn_suffix(const std::string& vpn) {
  return vpn.empty() ? std::string() : " vpn-instance " + quote_word(vpn);
}

std::string acl_words(const std::string& acl, bool is_name, const char* name_keyword) {
  return is_name ? std::string(name_keyword) + " " + quote_word(acl) : acl;
}

std::string dotted_mask(int length) {
  return config::ipv4_to_string(config::ipv4_mask_from_length(length));
}

}  // namespace

std::vector<std::string> render_ntp_lines(const NtpConfig& c) {
  std::vector<std::string> out;
  if (c.server_disable) out.push_back("ntp server disable");
  if (c.ipv6_server_disable) out.push_back("ntp ipv6 server disable");
  for (const auto& [id, key] : c.keys) {
    out.push_back("ntp authentication-keyid " + std::to_string(id) + " authentication-mode " +
                  config::to_string(key.mode) + " cipher " + config::encode_key_cipher(key.secret));
  }
  for (uint32_t id : c.trusted_keys) {
    out.push_back("ntp trusted authentication-keyid " + std::to_string(id));
  }
  if (c.refclock_master) {
    std::string line = "ntp refclock-master";
    if (c.refclock_master->address != config::RefclockMaster{}.address) {
      line += " " + config::ipv4_to_string(c.refclock_master->address);
    }
    if (c.refclock_master->stratum != 8) line += " " + std::to_string(c.refclock_master->stratum);
    out.push_back(line);
  }
  for (const auto& a : c.unicast_servers) out.push_back(association_line(a, false));
  for (const auto& a : c.unicast_peers) out.push_back(association_line(a, true));
  for (const auto& s : c.source_interfaces) {
    out.push_back(std::string(s.family == AddressFamily::kIpv6 ? "ntp ipv6" : "ntp") +
                  " source-interface " + s.interface + vpn_suffix(s.vpn_instance));
  }
  if (c.unsync_max_poll) {
    out.push_back("ntp unsync max-poll-interval " +
                  std::to_string(c.unsync_max_poll->poll_interval) + " dec-step " +
                  std::to_string(c.unsync_max_poll->dec_step));
  }
  if (c.max_distance != 1) out.push_back("ntp max-distance " + std::to_string(c.max_distance));
  if (c.discard_min_interval != 1 || c.discard_avg_interval != 5) {
    std::string line = "ntp discard";
    if (c.discard_min_interval != 1)
      line += " min-interval " + std::to_string(c.discard_min_interval);
    if (c.discard_avg_interval != 5)
      line += " avg-interval " + std::to_string(c.discard_avg_interval);
    out.push_back(line);
  }
  for (const auto& [level, rule] : c.access) {
    std::string line = std::string("ntp access ") + config::to_string(level);
    if (!rule.acl.empty()) line += " " + acl_words(rule.acl, rule.acl_is_name, "acl-name");
    if (!rule.acl6.empty()) line += " ipv6 " + acl_words(rule.acl6, rule.acl6_is_name, "acl6-name");
    out.push_back(line);
  }
  if (c.authentication_enable) out.push_back("ntp authentication enable");
  if (c.kod_enable) out.push_back("ntp kod-enable");
  for (const auto& s : c.server_source_interfaces)
    out.push_back("ntp server source-interface " + s);
  // Lines Q18 does not order, after it, in a fixed order.
  for (const auto& s : c.ipv6_server_source_addresses) {
    out.push_back("ntp ipv6 server source-address " + s.address + vpn_suffix(s.vpn_instance));
  }
  if (c.server_listen_all) out.push_back("ntp server source-interface all enable");
  if (c.ipv6_server_listen_all) out.push_back("ntp ipv6 server source-interface all enable");
  for (const auto& p : c.physic_isolate) {
    out.push_back(std::string(p.family == AddressFamily::kIpv6 ? "ntp ipv6" : "ntp") +
                  " server physic-isolate source-interface " + p.interface + " source-address " +
                  p.address);
  }
  if (c.source_port) out.push_back("ntp source-port " + std::to_string(*c.source_port));
  if (c.sync_interval) out.push_back("ntp sync-interval " + std::to_string(*c.sync_interval));
  if (c.offset_limit) out.push_back("ntp offset-limit " + std::to_string(*c.offset_limit));
  if (c.max_dynamic_sessions != 100) {
    out.push_back("ntp max-dynamic-sessions " + std::to_string(c.max_dynamic_sessions));
  }
  if (c.service_disable) out.push_back("ntp disable");
  if (c.ipv6_service_disable) out.push_back("ntp ipv6 disable");
  return out;
}

std::vector<ConfigBlock> render_config(const NtpConfig& c) {
  std::vector<ConfigBlock> blocks;
  blocks.push_back({"", {"sysname " + c.sysname}});
  for (const auto& v : c.vpn_instances) {
    ConfigBlock b{"ip vpn-instance " + quote_word(v.name), {}};
    if (v.ipv4_family) b.lines.push_back("ipv4-family");
    if (v.ipv6_family) b.lines.push_back("ipv6-family");
    blocks.push_back(std::move(b));
  }
  for (const auto& s : c.interfaces) {
    ConfigBlock b{"interface " + s.name, {}};
    if (s.dot1q_vid) b.lines.push_back("dot1q termination vid " + std::to_string(*s.dot1q_vid));
    if (!s.vpn_instance.empty())
      b.lines.push_back("ip binding vpn-instance " + quote_word(s.vpn_instance));
    for (size_t i = 0; i < s.ipv4.size(); ++i) {
      b.lines.push_back("ip address " + s.ipv4[i].address + " " +
                        dotted_mask(s.ipv4[i].prefix_length) + (i > 0 ? " sub" : ""));
    }
    if (s.ipv6_enable) b.lines.push_back("ipv6 enable");
    for (const auto& a : s.ipv6) {
      b.lines.push_back("ipv6 address " + a.address + "/" + std::to_string(a.prefix_length));
    }
    blocks.push_back(std::move(b));
  }
  for (const auto& acl : c.acls) {
    ConfigBlock b{config::acl_header_line(acl), {}};
    for (const auto& r : acl.rules) b.lines.push_back(config::acl_rule_line(acl, r));
    blocks.push_back(std::move(b));
  }
  std::vector<std::string> ntp = render_ntp_lines(c);
  if (!ntp.empty()) blocks.push_back({"", std::move(ntp)});
  ConfigBlock routes;
  for (const auto& r : c.static_routes) {
    if (r.family == AddressFamily::kIpv4) {
      routes.lines.push_back("ip route-static" + vpn_suffix(r.vpn_instance) + " " + r.prefix + " " +
                             std::to_string(r.prefix_length) + " " + r.next_hop);
    } else {
      routes.lines.push_back("ipv6 route-static" + vpn_suffix(r.vpn_instance) + " " + r.prefix +
                             " " + std::to_string(r.prefix_length) + " " + r.next_hop);
    }
  }
  if (!routes.lines.empty()) blocks.push_back(std::move(routes));
  return blocks;
}

std::string format_config(const std::vector<ConfigBlock>& blocks) {
  std::string out;
  for (const auto& b : blocks) {
    out += "#\n";
    if (!b.header.empty()) out += b.header + "\n";
    const std::string indent = b.header.empty() ? "" : " ";
    for (const auto& line : b.lines) out += indent + line + "\n";
  }
  out += "#\nreturn\n";
  return out;
}

namespace {

const ConfigBlock* find_block(const std::vector<ConfigBlock>& blocks, const ConfigBlock& like,
                              size_t top_index) {
  if (!like.header.empty()) {
    for (const auto& b : blocks) {
      if (b.header == like.header) return &b;
    }
    return nullptr;
  }
  // Top-level blocks are matched by their position among top-level blocks (sysname, NTP,
  // routes) through their content's first word.
  (void)top_index;
  for (const auto& b : blocks) {
    if (!b.header.empty() || b.lines.empty() || like.lines.empty()) continue;
    auto kind = [](const std::string& line) { return line.substr(0, line.find(' ')); };
    const std::string k1 = kind(b.lines.front());
    const std::string k2 = kind(like.lines.front());
    const bool ntp1 = k1 == "ntp";
    const bool ntp2 = k2 == "ntp";
    if (k1 == k2 || (ntp1 && ntp2)) return &b;
  }
  return nullptr;
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

std::string format_candidate_changes(const NtpConfig& running, const NtpConfig& candidate) {
  const auto before = render_config(running);
  const auto after = render_config(candidate);
  std::string out;
  static const ConfigBlock kEmpty;
  for (size_t i = 0; i < after.size(); ++i) {
    const ConfigBlock* old = find_block(before, after[i], i);
    const ConfigBlock& base = old ? *old : kEmpty;
    std::vector<std::string> lines;
    for (const auto& l : after[i].lines) {
      if (!contains(base.lines, l)) lines.push_back(l);
    }
    for (const auto& l : base.lines) {
      if (!contains(after[i].lines, l)) lines.push_back("undo " + l);
    }
    if (lines.empty() && (old || after[i].header.empty())) continue;
    out += "#\n";
    if (!after[i].header.empty()) out += after[i].header + "\n";
    for (const auto& l : lines) out += (after[i].header.empty() ? "" : " ") + l + "\n";
  }
  for (size_t i = 0; i < before.size(); ++i) {
    if (find_block(after, before[i], i)) continue;
    out += "#\n";
    if (!before[i].header.empty()) {
      out += "undo " + before[i].header + "\n";
    } else {
      for (const auto& l : before[i].lines) out += "undo " + l + "\n";
    }
  }
  if (!out.empty()) out += "#\n";
  return out;
}

std::string format_candidate_diff(const NtpConfig& running, const NtpConfig& candidate) {
  auto flatten = [](const std::vector<ConfigBlock>& blocks) {
    std::vector<std::string> lines;
    for (const auto& b : blocks) {
      if (!b.header.empty()) lines.push_back(b.header);
      for (const auto& l : b.lines) lines.push_back(b.header.empty() ? l : b.header + " / " + l);
    }
    return lines;
  };
  const auto before = flatten(render_config(running));
  const auto after = flatten(render_config(candidate));
  std::string out;
  for (const auto& l : before) {
    if (!contains(after, l)) out += "- " + l + "\n";
  }
  for (const auto& l : after) {
    if (!contains(before, l)) out += "+ " + l + "\n";
  }
  return out;
}

}  // namespace wiretime::cli

#include "config/cli/session.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>
#include <variant>

#include "config/cli/acl_commands.hpp"
#include "config/cli/commands.hpp"
#include "config/cli/config_lines.hpp"
#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/key_cipher.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"
#include "config/ntp_config/refusal.hpp"

namespace wiretime::cli {

using config::AddressFamily;
using config::Association;
using config::NtpConfig;
using config::Refusal;
using config::ServerKind;

namespace {

constexpr size_t kMaxLineLength = 510;  // spec section 9
constexpr const char* kExitQuestion =
    "Warning: Uncommitted configurations found, commit them before exiting? "
    "[Y(yes)/N(no)/C(cancel)]:";
constexpr const char* kExitReprompt =
    "Error: Please choose 'YES', 'NO' or 'CANCEL' first before pressing 'Enter'. [Y/N/C]:";

// Why a line was refused: a caret error at a column, or a semantic refusal.
struct CaretFailure {
  ParseErrorKind kind;
  int column;
};
using Failure = std::variant<CaretFailure, Refusal>;

// What a handler may change besides the candidate.
struct Edit {
  NtpConfig& config;
  const config::InterfaceInventory& inventory;
  View& view;
  config::ExplicitServerDisableUndo& explicit_undo;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string interface_of(const Match& m, const std::string& key) {
  if (m.has(key)) return m.get(key);
  return m.get(key + "-type") + m.get(key + "-num");
}

AddressFamily family_of(const Match& m) {
  return m.has("ipv6") ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
}

// Drops main-interface entries left without settings (entering a view creates nothing).
void normalize(NtpConfig& c) {
  std::erase_if(c.interfaces, [](const config::InterfaceSettings& s) {
    return !config::split_sub_interface(s.name) && s.vpn_instance.empty() && s.ipv4.empty() &&
           !s.ipv6_enable && s.ipv6.empty() && !s.dot1q_vid;
  });
}

std::optional<Failure> unicast(Edit& e, const Match& m) {
  const bool peer = m.has("peer");
  std::vector<Association>& list = peer ? e.config.unicast_peers : e.config.unicast_servers;
  Association a;
  if (m.has("v4")) {
    a.kind = ServerKind::kIpv4;
    a.address = m.get("v4");
  } else if (m.has("v6")) {
    a.kind = ServerKind::kIpv6;
    a.address = m.get("v6");
    a.version = 4;
  } else {
    a.kind = ServerKind::kDomain;
    a.address = m.get("domain");
  }
  a.vpn_instance = m.get("vpn");
  auto existing = std::find_if(list.begin(), list.end(),
                               [&](const Association& other) { return other.same_key(a); });
  if (m.has("undo")) {
    if (existing == list.end()) return Refusal::kConfigNotExist;
    list.erase(existing);
    return std::nullopt;
  }
  if (m.has("version")) a.version = std::stoi(m.get("version"));
  if (m.has("keyid")) a.key_id = static_cast<uint32_t>(std::stoul(m.get("keyid")));
  if (m.has("port")) a.port = static_cast<uint16_t>(std::stoi(m.get("port")));
  if (m.has("srcif") || m.has("srcif-type")) a.source_interface = interface_of(m, "srcif");
  a.preferred = m.has("preferred");
  if (m.has("maxpoll")) a.maxpoll = std::stoi(m.get("maxpoll"));
  if (m.has("minpoll")) a.minpoll = std::stoi(m.get("minpoll"));
  a.burst = m.has("burst");
  a.iburst = m.has("iburst");
  a.preempt = m.has("preempt");
  // Cross-constraint of the grammar: key ids above 65535 need NTPv1-3. The caret goes to
  // whichever of the two words came second.
  if (a.key_id && *a.key_id > 65535 && a.version == 4) {
    return CaretFailure{ParseErrorKind::kWrongParameter,
                        std::max(m.column("keyid"), m.column("version"))};
  }
  if (auto r = config::check_association(e.config, e.inventory, a)) return *r;
  if (existing != list.end()) {
    *existing = a;  // Q9: the whole option set is replaced
    return std::nullopt;
  }
  if (e.config.unicast_servers.size() + e.config.unicast_peers.size() >=
      config::kMaxStaticAssociations) {
    return Refusal::kServerLimit;
  }
  list.push_back(a);
  return std::nullopt;
}

std::optional<Failure> authentication_key(Edit& e, const Match& m) {
  const uint32_t id = static_cast<uint32_t>(std::stoul(m.get("keyid")));
  if (m.has("undo")) {
    if (!e.config.keys.erase(id)) return Refusal::kConfigNotExist;
    e.config.trusted_keys.erase(id);  // trust of a deleted key goes with it
    return std::nullopt;
  }
  config::AuthenticationKey key;
  key.mode = *config::key_mode_from_string(m.get("mode"));
  const bool cipher = m.has("cipher");
  key.secret = cipher ? *config::decode_key_cipher(m.get("cipher")) : m.get("password");
  if (config::check_key_secret(key.mode, key.secret)) {
    return CaretFailure{ParseErrorKind::kWrongParameter, m.column(cipher ? "cipher" : "password")};
  }
  if (!e.config.keys.count(id) && e.config.keys.size() >= config::kMaxAuthenticationKeys) {
    return Refusal::kKeyLimit;
  }
  e.config.keys[id] = key;
  return std::nullopt;
}

std::optional<Failure> source_interface(Edit& e, const Match& m) {
  config::SourceInterface s{family_of(m), m.get("vpn"), {}};
  auto& list = e.config.source_interfaces;
  auto existing = std::find_if(list.begin(), list.end(), [&](const config::SourceInterface& o) {
    return o.family == s.family && o.vpn_instance == s.vpn_instance;
  });
  if (m.has("undo")) {
    if (existing == list.end()) return Refusal::kConfigNotExist;
    list.erase(existing);
    return std::nullopt;
  }
  s.interface = interface_of(m, "if");
  if (auto r = config::check_source_interface(e.config, e.inventory, s)) return *r;
  if (existing != list.end()) {
    *existing = s;
  } else {
    list.push_back(s);
  }
  return std::nullopt;
}

template <typename T>
std::optional<Failure> add_or_remove(std::vector<T>& list, const T& item, bool remove) {
  auto it = std::find(list.begin(), list.end(), item);
  if (remove) {
    if (it == list.end()) return Refusal::kConfigNotExist;
    list.erase(it);
  } else if (it == list.end()) {
    list.push_back(item);
  }
  return std::nullopt;
}

std::optional<Failure> interface_command(Edit& e, const Match& m) {
  const std::string name = interface_of(m, "if");
  const auto sub = config::split_sub_interface(name);
  if (m.has("undo")) {
    if (!sub) return Refusal::kNotSubInterface;
    if (!e.config.find_interface(name)) return Refusal::kInterfaceNotExist;
    config::cascade_interface_removed(e.config, name);
    return std::nullopt;
  }
  if (!e.inventory.contains(name)) {
    if (!sub || !e.inventory.contains(sub->parent)) return Refusal::kInterfaceNotExist;
    e.config.interface_settings(name);  // creates the sub-interface
  }
  e.view = View{ViewKind::kInterface, {}, AddressFamily::kIpv4, name};
  return std::nullopt;
}

std::optional<Failure> ip_address(Edit& e, const Match& m) {
  config::InterfaceSettings& s = e.config.interface_settings(e.view.interface);
  if (m.has("undo") && !m.has("address")) {
    s.ipv4.clear();
    return std::nullopt;
  }
  auto v4 = config::parse_ipv4(m.get("address"));
  const int length = std::stoi(m.get("length"));
  const auto cls = config::classify_ipv4_server(*v4);
  if (cls != config::ServerAddressClass::kHost || length < 1 || length > 32) {
    return Refusal::kInvalidAddress;
  }
  const config::InterfaceAddress address{config::ipv4_to_string(*v4), length};
  const bool sub = m.has("sub");
  if (m.has("undo")) {
    auto it = std::find(s.ipv4.begin(), s.ipv4.end(), address);
    if (it == s.ipv4.end() || (it == s.ipv4.begin()) == sub) return Refusal::kConfigNotExist;
    s.ipv4.erase(it);
    return std::nullopt;
  }
  std::erase(s.ipv4, address);
  if (sub) {
    s.ipv4.push_back(address);
  } else if (s.ipv4.empty()) {
    s.ipv4.push_back(address);
  } else {
    s.ipv4.front() = address;  // a new primary replaces the old one
  }
  return std::nullopt;
}

std::optional<Failure> ipv6_address(Edit& e, const Match& m) {
  config::InterfaceSettings& s = e.config.interface_settings(e.view.interface);
  if (m.has("undo") && !m.has("prefix") && !m.has("address")) {
    s.ipv6.clear();
    return std::nullopt;
  }
  std::string text = m.has("prefix") ? m.get("prefix") : m.get("address") + "/" + m.get("length");
  const size_t slash = text.find('/');
  const config::InterfaceAddress address{text.substr(0, slash), std::stoi(text.substr(slash + 1))};
  if (m.has("undo")) return add_or_remove(s.ipv6, address, true);
  if (!s.ipv6_enable) return Refusal::kIpv6NotEnabled;
  auto v6 = config::parse_ipv6(address.address);
  const auto cls = config::classify_ipv6_server(*v6);
  if (cls != config::ServerAddressClass::kHost && cls != config::ServerAddressClass::kLinkLocal) {
    return Refusal::kInvalidAddress;
  }
  return add_or_remove(s.ipv6, address, false);
}

std::optional<Failure> route_static(Edit& e, const Match& m) {
  config::StaticRoute r;
  r.family = family_of(m);
  r.vpn_instance = m.get("vpn");
  r.prefix_length = std::stoi(m.get("length"));
  r.next_hop = m.get("nexthop");
  if (r.family == AddressFamily::kIpv4) {
    const uint32_t network =
        *config::parse_ipv4(m.get("prefix")) & config::ipv4_mask_from_length(r.prefix_length);
    r.prefix = config::ipv4_to_string(network);
  } else {
    config::Ipv6Bytes bytes = *config::parse_ipv6(m.get("prefix"));
    for (int bit = r.prefix_length; bit < 128; ++bit) {
      bytes[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
    }
    r.prefix = config::ipv6_to_string(bytes);
  }
  if (!m.has("undo")) {
    if (auto refusal = config::check_vpn_family(e.config, r.vpn_instance, r.family)) {
      return *refusal;
    }
  }
  return add_or_remove(e.config.static_routes, r, m.has("undo"));
}

std::optional<Failure> apply(Cmd cmd, Edit& e, const Match& m) {
  NtpConfig& c = e.config;
  const bool undo = m.has("undo");
  auto int_value = [&](const char* key) { return std::stoi(m.get(key)); };
  switch (cmd) {
    case Cmd::kNtpUnsync:
      if (undo) {
        c.unsync_max_poll.reset();
        return std::nullopt;
      }
      // Q7: with poll-interval 10 the step must be 6.
      if (int_value("poll") == 10 && int_value("step") != 6) {
        return CaretFailure{ParseErrorKind::kWrongParameter, m.column("step")};
      }
      c.unsync_max_poll = config::UnsyncMaxPoll{int_value("poll"), int_value("step")};
      return std::nullopt;
    case Cmd::kNtpSourceInterface:
      return source_interface(e, m);
    case Cmd::kNtpUnicast:
      return unicast(e, m);
    case Cmd::kNtpKey:
      return authentication_key(e, m);
    case Cmd::kNtpAuthEnable:
      c.authentication_enable = !undo;
      return std::nullopt;
    case Cmd::kNtpTrusted: {
      const uint32_t id = static_cast<uint32_t>(std::stoul(m.get("keyid")));
      if (undo) {
        if (!c.trusted_keys.erase(id)) return Refusal::kConfigNotExist;
        return std::nullopt;
      }
      if (!c.keys.count(id)) return Refusal::kKeyNotExist;
      c.trusted_keys.insert(id);
      return std::nullopt;
    }
    case Cmd::kNtpServerDisable: {
      const bool v6 = m.has("ipv6");
      (v6 ? c.ipv6_server_disable : c.server_disable) = !undo;
      (v6 ? e.explicit_undo.ipv6 : e.explicit_undo.ipv4) = undo;
      return std::nullopt;
    }
    case Cmd::kNtpServerSourceInterface: {
      const std::string name = interface_of(m, "if");
      if (!undo && !config::interface_exists(c, e.inventory, name)) {
        return Refusal::kInterfaceNotExist;
      }
      return add_or_remove(c.server_source_interfaces, name, undo);
    }
    case Cmd::kNtpIpv6ServerSourceAddress: {
      config::Ipv6ServerSourceAddress s{m.get("address"), m.get("vpn")};
      if (!undo) {
        if (auto r = config::check_vpn_family(c, s.vpn_instance, AddressFamily::kIpv6)) return *r;
        auto v6 = config::parse_ipv6(s.address);
        if (config::classify_ipv6_server(*v6) != config::ServerAddressClass::kHost) {
          return Refusal::kInvalidAddress;
        }
      }
      return add_or_remove(c.ipv6_server_source_addresses, s, undo);
    }
    case Cmd::kNtpServerListenAll:
      // The "enable" form is confirmed by the session before it gets here.
      (m.has("ipv6") ? c.ipv6_server_listen_all : c.server_listen_all) =
          !undo && m.get("state") == "enable";
      return std::nullopt;
    case Cmd::kNtpPhysicIsolate: {
      config::PhysicIsolate p{family_of(m), interface_of(m, "if"), m.get("address")};
      if (!undo && !config::interface_exists(c, e.inventory, p.interface)) {
        return Refusal::kInterfaceNotExist;
      }
      return add_or_remove(c.physic_isolate, p, undo);
    }
    case Cmd::kNtpRefclock: {
      config::RefclockMaster r;
      if (m.has("address")) r.address = *config::parse_ipv4(m.get("address"));
      if (undo) {
        if (!c.refclock_master || (m.has("address") && c.refclock_master->address != r.address)) {
          return Refusal::kConfigNotExist;
        }
        c.refclock_master.reset();
        return std::nullopt;
      }
      if (m.has("stratum")) r.stratum = int_value("stratum");
      c.refclock_master = r;
      return std::nullopt;
    }
    case Cmd::kNtpMaxDistance:
      c.max_distance = undo ? 1 : int_value("value");
      return std::nullopt;
    case Cmd::kNtpDiscard:
      // Like a server entry (Q9), the line sets both values; an omitted one is the default.
      c.discard_min_interval = undo || !m.has("min") ? 1 : int_value("min");
      c.discard_avg_interval = undo || !m.has("avg") ? 5 : int_value("avg");
      return std::nullopt;
    case Cmd::kNtpKod:
      c.kod_enable = !undo;
      return std::nullopt;
    case Cmd::kNtpAccess: {
      const config::AccessLevel level = *config::access_level_from_string(m.get("level"));
      if (undo) {
        if (!c.access.erase(level)) return Refusal::kConfigNotExist;
        return std::nullopt;
      }
      config::AccessRule rule;
      if (m.has("acl")) rule.acl = m.get("acl");
      if (m.has("acl-name")) rule = {m.get("acl-name"), true, {}, false};
      if (m.has("acl6")) rule.acl6 = m.get("acl6");
      if (m.has("acl6-name")) {
        rule.acl6 = m.get("acl6-name");
        rule.acl6_is_name = true;
      }
      c.access[level] = rule;
      return std::nullopt;
    }
    case Cmd::kNtpSourcePort:
      if (undo) {
        c.source_port.reset();
      } else {
        c.source_port = static_cast<uint16_t>(int_value("value"));
      }
      return std::nullopt;
    case Cmd::kNtpSyncInterval:
      c.sync_interval = undo ? std::nullopt : std::optional<int>(int_value("value"));
      return std::nullopt;
    case Cmd::kNtpOffsetLimit:
      c.offset_limit = undo ? std::nullopt : std::optional<int>(int_value("value"));
      return std::nullopt;
    case Cmd::kNtpMaxDynamic:
      c.max_dynamic_sessions = undo ? 100 : int_value("value");
      return std::nullopt;
    case Cmd::kNtpDisable:
      (m.has("ipv6") ? c.ipv6_service_disable : c.service_disable) = !undo;
      return std::nullopt;
    case Cmd::kIpVpnInstance: {
      const std::string name = m.get("vpn");
      if (undo) {
        if (!c.find_vpn(name)) return Refusal::kVpnNotExist;
        config::cascade_vpn_removed(c, name);
        std::erase_if(c.vpn_instances,
                      [&](const config::VpnInstance& v) { return v.name == name; });
        return std::nullopt;
      }
      if (!c.find_vpn(name)) c.vpn_instances.push_back(config::VpnInstance{name, false, false});
      e.view = View{ViewKind::kVpnInstance, name, AddressFamily::kIpv4, {}};
      return std::nullopt;
    }
    case Cmd::kVpnFamily: {
      const AddressFamily family =
          m.get("family") == "ipv6-family" ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
      config::VpnInstance* v = c.find_vpn(e.view.vpn);
      if (v == nullptr) return Refusal::kVpnNotExist;
      bool& flag = family == AddressFamily::kIpv6 ? v->ipv6_family : v->ipv4_family;
      if (undo) {
        if (!flag) return Refusal::kConfigNotExist;
        flag = false;
        config::cascade_vpn_family_disabled(c, e.view.vpn, family);
        return std::nullopt;
      }
      flag = true;
      e.view = View{ViewKind::kVpnFamily, e.view.vpn, family, {}};
      return std::nullopt;
    }
    case Cmd::kInterface:
      return interface_command(e, m);
    case Cmd::kIpBinding: {
      const std::string vpn = m.get("vpn");
      config::InterfaceSettings& s = c.interface_settings(e.view.interface);
      if (undo) {
        if (s.vpn_instance != vpn) return Refusal::kConfigNotExist;
      } else if (!c.find_vpn(vpn)) {
        return Refusal::kVpnNotExist;
      }
      s.vpn_instance = undo ? std::string() : vpn;
      s.ipv4.clear();  // VRP clears the addresses of a rebound interface
      s.ipv6.clear();
      return std::nullopt;
    }
    case Cmd::kIpAddress:
      return ip_address(e, m);
    case Cmd::kIpv6Enable:
      c.interface_settings(e.view.interface).ipv6_enable = !undo;
      if (undo) {
        c.interface_settings(e.view.interface).ipv6.clear();
        config::cascade_interface_ipv6_disabled(c, e.view.interface);
      }
      return std::nullopt;
    case Cmd::kIpv6Address:
      return ipv6_address(e, m);
    case Cmd::kDot1q: {
      if (!config::split_sub_interface(e.view.interface)) return Refusal::kNotSubInterface;
      config::InterfaceSettings& s = c.interface_settings(e.view.interface);
      if (undo) {
        if (!s.dot1q_vid || (m.has("vid") && *s.dot1q_vid != int_value("vid"))) {
          return Refusal::kConfigNotExist;
        }
        s.dot1q_vid.reset();
      } else {
        s.dot1q_vid = int_value("vid");
      }
      return std::nullopt;
    }
    case Cmd::kRouteStatic:
      return route_static(e, m);
    case Cmd::kSysname:
      c.sysname = undo ? "HUAWEI" : m.get("name");
      return std::nullopt;
    case Cmd::kAcl: {
      std::optional<AclRef> enter;
      if (auto r = apply_acl(c, m, enter)) return *r;
      if (enter) {
        e.view = View{
            enter->ipv6 ? ViewKind::kAcl6 : ViewKind::kAcl4, {}, AddressFamily::kIpv4, enter->id};
      }
      return std::nullopt;
    }
    case Cmd::kAclRule:
      // Names start with a letter, numbers do not (acl_name_value in commands.cpp).
      if (auto r = apply_acl_rule(
              c,
              AclRef{e.view.kind == ViewKind::kAcl6, e.view.interface,
                     !e.view.interface.empty() &&
                         std::isalpha(static_cast<unsigned char>(e.view.interface[0])) != 0},
              m)) {
        return *r;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool is_config_command(Cmd cmd) {
  switch (cmd) {
    case Cmd::kSystemView:
    case Cmd::kQuit:
    case Cmd::kReturn:
    case Cmd::kCommit:
    case Cmd::kClearCandidate:
    case Cmd::kDisplayCandidate:
    case Cmd::kDisplayCurrent:
    case Cmd::kDisplayLive:
    case Cmd::kResetStatistics:
      return false;
    default:
      return true;
  }
}

const ViewGrammar& view_grammar(ViewKind kind) {
  switch (kind) {
    case ViewKind::kUser:
      return user_view_grammar();
    case ViewKind::kSystem:
      return system_view_grammar();
    case ViewKind::kVpnInstance:
      return vpn_view_grammar();
    case ViewKind::kVpnFamily:
      return vpn_family_view_grammar();
    case ViewKind::kInterface:
      return interface_view_grammar();
    case ViewKind::kAcl4:
      return acl4_view_grammar();
    case ViewKind::kAcl6:
      return acl6_view_grammar();
  }
  return user_view_grammar();
}

std::string filter_lines(const std::string& text, const std::string& regex, bool include) {
  const std::regex re(regex);
  std::istringstream in(text);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    if (std::regex_search(line, re) == include) out += line + "\n";
  }
  return out;
}

}  // namespace

ConfigBackend::CommitResult ConfigBackend::reset(std::string_view) {
  return {false, config::refusal_text(Refusal::kNotAvailableOffline)};
}

Session::Session(ConfigBackend& backend)
    : backend_(backend),
      running_(backend.running()),
      candidate_(running_),
      inventory_(backend.inventory()) {}

Session::~Session() = default;

bool Session::has_uncommitted() const {
  return !(candidate_ == running_);
}

bool Session::question_pending() const {
  return question_ != Question::kNone;
}

const Grammar& Session::grammar_for(ViewKind kind) const {
  return view_grammar(kind).grammar;
}

std::string Session::prompt() const {
  if (question_ == Question::kExitCommit) return kExitQuestion;
  if (question_ == Question::kListenAll) {
    return std::string("Warning: NTP ") +
           (question_edit_.ipv6_server_listen_all ? "IPv6" : "IPv4") +
           " server listening all interface will be enabled. Continue? [Y/N]:";
  }
  const std::string& name = running_.sysname;
  if (view_.kind == ViewKind::kUser) return "<" + name + ">";
  std::string where = name;
  switch (view_.kind) {
    case ViewKind::kVpnInstance:
      where += "-vpn-instance-" + view_.vpn;
      break;
    case ViewKind::kVpnFamily:
      where += "-vpn-instance-" + view_.vpn +
               (view_.family == AddressFamily::kIpv6 ? "-af-ipv6" : "-af-ipv4");
      break;
    case ViewKind::kInterface:
      where += "-" + view_.interface;
      break;
    case ViewKind::kAcl4:
    case ViewKind::kAcl6:
      where += std::string(view_.kind == ViewKind::kAcl6 ? "-acl6-basic-" : "-acl4-basic-") +
               view_.interface;
      break;
    default:
      break;
  }
  if (immediate_) return "[" + where + "]";
  return std::string("[") + (has_uncommitted() ? "*" : "~") + where + "]";
}

bool Session::commit_candidate(LineResult& result) {
  NtpConfig next = candidate_;
  normalize(next);
  config::apply_server_disable_rule(running_, next, explicit_undo_);
  const ConfigBackend::CommitResult r = backend_.commit_from(running_, next);
  if (!r.ok) {
    result.error += std::string("Error: ") + config::refusal_text(Refusal::kCommitFailed) + " " +
                    r.message + "\n";
    result.failed = true;
    return false;
  }
  running_ = backend_.running();
  candidate_ = running_;
  explicit_undo_ = {};
  return true;
}

LineResult Session::leave_to_user_view() {
  LineResult result;
  if (!immediate_ && has_uncommitted()) {
    question_ = Question::kExitCommit;
    return result;
  }
  view_ = View{};
  immediate_ = false;
  return result;
}

LineResult Session::ctrl_z() {
  if (view_.kind == ViewKind::kUser || question_ != Question::kNone) return {};
  return leave_to_user_view();
}

LineResult Session::answer(std::string_view line) {
  LineResult result;
  std::string word = lower(line);
  word.erase(std::remove_if(word.begin(), word.end(),
                            [](char c) { return std::isspace(static_cast<unsigned char>(c)); }),
             word.end());
  const bool yes = word == "y" || word == "yes";
  const bool no = word == "n" || word == "no";
  if (question_ == Question::kListenAll) {
    if (yes) {
      candidate_ = question_edit_;
      if (immediate_ && !commit_candidate(result)) candidate_ = running_;
    }
    question_ = Question::kNone;
    if (!yes && !no) result.failed = true;
    return result;
  }
  // Exit dialog (spec section 8.3).
  if (yes) {
    question_ = Question::kNone;
    if (commit_candidate(result)) view_ = View{};
    return result;
  }
  if (no) {
    question_ = Question::kNone;
    candidate_ = running_;
    explicit_undo_ = {};
    view_ = View{};
    return result;
  }
  if (word == "c" || word == "cancel") {
    question_ = Question::kNone;
    return result;
  }
  result.error = std::string(kExitReprompt) + "\n";
  return result;
}

LineResult Session::execute(std::string_view line) {
  if (question_ != Question::kNone) return answer(line);
  LineResult result;
  if (line.size() > kMaxLineLength) {
    result.error = std::string("Error: ") + config::refusal_text(Refusal::kLineTooLong) + "\n";
    result.failed = true;
    return result;
  }
  const std::string trimmed(line.substr(0, static_cast<size_t>(end_column(line))));
  if (tokenize(trimmed).empty()) return result;
  if (!trimmed.empty() && trimmed.back() == '?') {
    result.output = help(trimmed.substr(0, trimmed.size() - 1));
    return result;
  }
  const size_t caret_offset = prompt().size();
  auto caret = [&](ParseErrorKind kind, int column) {
    result.error = std::string(caret_offset + static_cast<size_t>(column), ' ') + "^\n" +
                   parse_error_text(kind) + "\n";
    result.failed = true;
  };

  ViewKind kind = view_.kind;
  ParseOutcome parsed = view_grammar(kind).grammar.parse(trimmed);
  // A system-view command typed in a sub-view runs there and leaves the sub-view (as VRP).
  if (!parsed.match && kind != ViewKind::kUser && kind != ViewKind::kSystem) {
    ParseOutcome outer = system_view_grammar().grammar.parse(trimmed);
    if (outer.match) {
      parsed = std::move(outer);
      kind = ViewKind::kSystem;
    }
  }
  if (!parsed.match) {
    caret(parsed.error.kind, parsed.error.column);
    return result;
  }
  const Match& m = *parsed.match;
  const Cmd cmd = view_grammar(kind).commands[m.command];

  switch (cmd) {
    case Cmd::kSystemView:
      immediate_ = m.has("immediately");
      view_ = View{ViewKind::kSystem, {}, AddressFamily::kIpv4, {}};
      result.output = immediate_ ? "Enter system view, return user view with return command.\n"
                                 : "Enter system view, return user view with return command.\n";
      return result;
    case Cmd::kQuit:
      switch (view_.kind) {
        case ViewKind::kUser:
          finished_ = true;
          return result;
        case ViewKind::kSystem:
          return leave_to_user_view();
        case ViewKind::kVpnFamily:
          view_ = View{ViewKind::kVpnInstance, view_.vpn, AddressFamily::kIpv4, {}};
          return result;
        default:
          view_ = View{ViewKind::kSystem, {}, AddressFamily::kIpv4, {}};
          return result;
      }
    case Cmd::kReturn:
      return leave_to_user_view();
    case Cmd::kCommit:
      commit_candidate(result);
      return result;
    case Cmd::kClearCandidate:
      // Start again from what runs now, which another session may have changed.
      running_ = backend_.running();
      candidate_ = running_;
      explicit_undo_ = {};
      view_ = View{ViewKind::kSystem, {}, AddressFamily::kIpv4, {}};
      return result;
    case Cmd::kDisplayCandidate: {
      NtpConfig shown = candidate_;
      normalize(shown);
      const std::string form = m.get("form");
      if (form == "merge") {
        result.output = format_config(render_config(shown));
      } else if (form == "changes") {
        result.output = format_candidate_diff(running_, shown);
      } else if (form == "yaml") {
        result.output = config::ntp_config_to_yaml_text(shown);
      } else {
        result.output = format_candidate_changes(running_, shown);
      }
      return result;
    }
    case Cmd::kDisplayCurrent: {
      // What runs now; running_ stays the base this session's candidate was edited from.
      std::string text = format_config(render_config(backend_.running()));
      if (m.has("filter")) text = filter_lines(text, m.get("regex"), m.get("filter") == "include");
      result.output = text;
      return result;
    }
    case Cmd::kDisplayLive: {
      std::string what = m.get("what");
      if (m.has("verbose")) what += " verbose";
      if (m.has("ipv6")) what += " ipv6";
      if (m.has("event")) what += " " + m.get("event");
      // `display ntp statistics packet` scoped to an interface or peer (config/display's
      // render_scoped_packet_statistics reads these words).
      if (m.has("scope")) what += " " + m.get("scope");
      if (m.has("all")) what += " all";
      if (m.has("if") || m.has("if-type")) what += " " + interface_of(m, "if");
      if (m.has("peer-kind")) what += " " + m.get("peer-kind");
      if (m.has("peer")) what += " " + m.get("peer");
      if (m.has("vpn")) what += " vpn-instance " + m.get("vpn");
      auto text = backend_.display(what);
      if (!text) {
        result.error =
            std::string("Error: ") + config::refusal_text(Refusal::kNotAvailableOffline) + "\n";
        result.failed = true;
        return result;
      }
      result.output = *text;
      return result;
    }
    case Cmd::kResetStatistics: {
      const ConfigBackend::CommitResult reset =
          backend_.reset(m.has("ipv6") ? "statistics ipv6" : "statistics");
      if (!reset.ok) {
        result.error = "Error: " + reset.message + "\n";
        result.failed = true;
      }
      return result;
    }
    default:
      break;
  }

  // A session without uncommitted changes follows running, so that its first edit starts
  // from what another session may have committed since.
  if (is_config_command(cmd) && !has_uncommitted()) {
    running_ = backend_.running();
    candidate_ = running_;
  }
  // A configuration line: edit a copy; only an accepted line replaces the candidate.
  NtpConfig work = candidate_;
  View view = view_;
  if (kind == ViewKind::kSystem) view = View{ViewKind::kSystem, {}, AddressFamily::kIpv4, {}};
  config::ExplicitServerDisableUndo undo_flags = explicit_undo_;
  Edit edit{work, inventory_, view, undo_flags};
  if (std::optional<Failure> failure = apply(cmd, edit, m)) {
    if (const auto* c = std::get_if<CaretFailure>(&*failure)) {
      caret(c->kind, c->column);
    } else {
      result.error =
          std::string("Error: ") + config::refusal_text(std::get<Refusal>(*failure)) + "\n";
      result.failed = true;
    }
    return result;
  }
  normalize(work);
  if (cmd == Cmd::kNtpServerListenAll && !m.has("undo") && m.get("state") == "enable") {
    question_ = Question::kListenAll;
    question_edit_ = work;
    view_ = view;
    return result;
  }
  candidate_ = std::move(work);
  view_ = view;
  explicit_undo_ = undo_flags;
  if (immediate_ && is_config_command(cmd) && !commit_candidate(result)) candidate_ = running_;
  return result;
}

std::string Session::help(std::string_view line) const {
  const size_t caret_offset = prompt().size();
  HelpOutcome h = grammar_for(view_.kind).help(line);
  if (h.error) {
    return std::string(caret_offset + static_cast<size_t>(h.error->column), ' ') + "^\n" +
           parse_error_text(h.error->kind) + "\n";
  }
  std::string out;
  for (const HelpItem& item : h.items) {
    std::string word = "  " + item.word;
    if (word.size() < 28)
      word.resize(28, ' ');
    else
      word += "  ";
    out += word + item.help;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  return out;
}

std::vector<std::string> Session::complete(std::string_view line) const {
  return grammar_for(view_.kind).complete(line);
}

}  // namespace wiretime::cli

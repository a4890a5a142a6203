#include "config/cli/commands.hpp"

#include <cctype>
#include <charconv>
#include <regex>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/key_cipher.hpp"

namespace wiretime::cli {
namespace {

using config::canonical_interface_name;
using config::parse_ipv4;
using config::parse_ipv6;

// ---- value matchers ------------------------------------------------------------------------

ValueMatcher uint_in(uint64_t lo, uint64_t hi) {
  return [lo, hi](std::string_view w) {
    uint64_t v = 0;
    if (w.empty() || w.size() > 10) return ValueCheck::invalid();
    const auto [ptr, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || ptr != w.data() + w.size() || v < lo || v > hi) {
      return ValueCheck::invalid();
    }
    return ValueCheck::valid(std::to_string(v));
  };
}

ValueMatcher port_value() {
  return [](std::string_view w) {
    ValueCheck c = uint_in(1, 65535)(w);
    if (c.status == ValueCheck::Status::kValid && c.value != "123" && std::stoi(c.value) < 1025) {
      return ValueCheck::invalid();
    }
    return c;
  };
}

ValueMatcher ipv4_value() {
  return [](std::string_view w) {
    auto v = parse_ipv4(w);
    return v ? ValueCheck::valid(config::ipv4_to_string(*v)) : ValueCheck::invalid();
  };
}

ValueMatcher ipv6_value() {
  return [](std::string_view w) {
    if (w.find(':') == std::string_view::npos) return ValueCheck::invalid();
    auto v = parse_ipv6(w);
    return v ? ValueCheck::valid(config::ipv6_to_string(*v)) : ValueCheck::invalid();
  };
}

ValueMatcher domain_value() {
  return [](std::string_view w) {
    return config::is_domain_name(w) ? ValueCheck::valid(std::string(w)) : ValueCheck::invalid();
  };
}

ValueMatcher string_len(size_t lo, size_t hi) {
  return [lo, hi](std::string_view w) {
    return w.size() >= lo && w.size() <= hi ? ValueCheck::valid(std::string(w))
                                            : ValueCheck::invalid();
  };
}

ValueMatcher vpn_value() {
  return [](std::string_view w) {
    if (w.empty() || w.size() > 31 || w == "_public_") return ValueCheck::invalid();
    return ValueCheck::valid(std::string(w));
  };
}

ValueMatcher ifname_value() {
  return [](std::string_view w) {
    auto name = canonical_interface_name(w);
    return name ? ValueCheck::valid(*name) : ValueCheck::invalid();
  };
}

ValueMatcher iftype_value() {
  return [](std::string_view w) {
    auto type = config::match_interface_type(w);
    return type ? ValueCheck::valid(std::string(*type)) : ValueCheck::no_shape();
  };
}

ValueMatcher ifnum_value() {
  return [](std::string_view w) {
    return config::is_interface_number(w) ? ValueCheck::valid(std::string(w))
                                          : ValueCheck::invalid();
  };
}

ValueMatcher refclock_value() {
  return [](std::string_view w) {
    if (!config::looks_like_ipv4(w)) return ValueCheck::no_shape();
    auto v = parse_ipv4(w);
    return v && config::is_refclock_address(*v) ? ValueCheck::valid(config::ipv4_to_string(*v))
                                                : ValueCheck::invalid();
  };
}

// A dotted mask or a length 0-32; the capture is the length.
ValueMatcher mask_or_length() {
  return [](std::string_view w) {
    if (w.find('.') != std::string_view::npos) {
      auto v = parse_ipv4(w);
      if (!v) return ValueCheck::invalid();
      auto len = config::ipv4_length_from_mask(*v);
      return len ? ValueCheck::valid(std::to_string(*len)) : ValueCheck::invalid();
    }
    return uint_in(0, 32)(w);
  };
}

ValueMatcher ipv6_prefix_value() {
  return [](std::string_view w) {
    const size_t slash = w.find('/');
    if (slash == std::string_view::npos) return ValueCheck::invalid();
    auto v = parse_ipv6(w.substr(0, slash));
    ValueCheck len = uint_in(1, 128)(w.substr(slash + 1));
    if (!v || len.status != ValueCheck::Status::kValid) return ValueCheck::invalid();
    return ValueCheck::valid(config::ipv6_to_string(*v) + "/" + len.value);
  };
}

ValueMatcher cipher_value() {
  return [](std::string_view w) {
    return config::decode_key_cipher(w) ? ValueCheck::valid(std::string(w)) : ValueCheck::invalid();
  };
}

ValueMatcher regex_value() {
  return [](std::string_view w) {
    try {
      std::regex re{std::string(w)};
    } catch (const std::regex_error&) {
      return ValueCheck::invalid();
    }
    return ValueCheck::valid(std::string(w));
  };
}

// ---- syntax pieces ---------------------------------------------------------------------------

Syntax undo() {
  return kw("undo", "Cancel the current setting", "undo");
}
Syntax ntp() {
  return kw("ntp", "Network Time Protocol");
}
Syntax ipv6_flag() {
  return kw("ipv6", "IPv6 NTP service", "ipv6");
}

// { <interface-name> | <interface-type> <interface-number> }, captured as key / key-type+key-num.
Syntax interface_arg(const std::string& key) {
  return choice(
      {param("STRING<1-47>", "Interface name", key, ifname_value()),
       seq({param("<interface-type>", "Interface type", key + "-type", iftype_value()),
            param("<interface-number>", "Interface number", key + "-num", ifnum_value())})});
}

Syntax vpn_arg() {
  return seq({kw("vpn-instance", "VPN instance"),
              param("STRING<1-31>", "VPN instance name", "vpn", vpn_value())});
}

enum class Branch { kIpv4, kIpv6, kDomain };

Syntax unicast_options(Branch branch, bool peer) {
  std::vector<Syntax> options;
  if (branch != Branch::kIpv6) {
    options.push_back(seq({kw("version", "NTP version"),
                           param("INTEGER<1-4>", "Version number", "version", uint_in(1, 4))}));
  }
  options.push_back(
      seq({kw("authentication-keyid", "Authentication key"),
           branch == Branch::kIpv6
               ? param("INTEGER<1-65535>", "Key ID", "keyid", uint_in(1, 65535))
               : param("INTEGER<1-4294967295>", "Key ID", "keyid", uint_in(1, 4294967295u))}));
  options.push_back(seq({kw("port", "Destination UDP port"),
                         param("INTEGER<123,1025-65535>", "Port number", "port", port_value())}));
  options.push_back(seq({kw("source-interface", "Source interface"), interface_arg("srcif")}));
  options.push_back(vpn_arg());
  options.push_back(kw("preferred", "Preferred clock source", "preferred"));
  options.push_back(seq({kw("maxpoll", "Maximum poll interval (2^n s)"),
                         param("INTEGER<10-17>", "Exponent", "maxpoll", uint_in(10, 17))}));
  options.push_back(seq({kw("minpoll", "Minimum poll interval (2^n s)"),
                         param("INTEGER<3-6>", "Exponent", "minpoll", uint_in(3, 6))}));
  if (!peer) {
    options.push_back(kw("burst", "Burst of packets while reachable", "burst"));
    options.push_back(kw("iburst", "Burst of packets while unreachable", "iburst"));
  }
  options.push_back(kw("preempt", "Preemptable association", "preempt"));
  return any_of(std::move(options));
}

Syntax unicast_command(bool peer) {
  Syntax head = peer ? kw("unicast-peer", "Symmetric active peer", "peer")
                     : kw("unicast-server", "Unicast NTP server", "server");
  return seq({ntp(), head,
              choice({seq({param("X.X.X.X", "IPv4 address of the server", "v4", ipv4_value()),
                           unicast_options(Branch::kIpv4, peer)}),
                      seq({kw("ipv6", "IPv6 server"),
                           param("X:X::X:X", "IPv6 address of the server", "v6", ipv6_value()),
                           unicast_options(Branch::kIpv6, peer)}),
                      seq({kw("domain", "Domain name of the server"),
                           param("STRING<1-255>", "Domain name", "domain", domain_value()),
                           unicast_options(Branch::kDomain, peer)}),
                      // Q1: the product document's bare domain name.
                      seq({param("STRING<1-255>", "Domain name", "domain", domain_value()),
                           unicast_options(Branch::kDomain, peer)})})});
}

Syntax undo_unicast_command(bool peer) {
  Syntax head = peer ? kw("unicast-peer", "Symmetric active peer", "peer")
                     : kw("unicast-server", "Unicast NTP server", "server");
  return seq({undo(), ntp(), head,
              choice({param("X.X.X.X", "IPv4 address of the server", "v4", ipv4_value()),
                      seq({kw("ipv6", "IPv6 server"),
                           param("X:X::X:X", "IPv6 address", "v6", ipv6_value())}),
                      seq({kw("domain", "Domain name of the server"),
                           param("STRING<1-255>", "Domain name", "domain", domain_value())}),
                      param("STRING<1-255>", "Domain name", "domain", domain_value())}),
              opt(vpn_arg())});
}

Syntax acl_choice(bool v6) {
  return choice(
      {param("INTEGER<2000-2999>", v6 ? "Basic ACL6 number" : "Basic ACL number",
             v6 ? "acl6" : "acl", uint_in(2000, 2999)),
       seq({kw(v6 ? "acl6-name" : "acl-name", "Named ACL"),
            param("STRING<1-32>", "ACL name", v6 ? "acl6-name" : "acl-name", string_len(1, 32))})});
}

Syntax access_level() {
  return choice({kw("peer", "Full access", "level"), kw("query", "Control queries only", "level"),
                 kw("server", "Time requests and queries", "level"),
                 kw("synchronization", "Time requests only", "level"),
                 kw("limited", "Rate-limited time requests", "level")});
}

// A named ACL: 1-32 characters starting with a letter (a number is `acl number`).
ValueMatcher acl_name_value() {
  return [](std::string_view w) {
    if (w.empty() || w.size() > 32 || !std::isalpha(static_cast<unsigned char>(w[0]))) {
      return ValueCheck::invalid();
    }
    return ValueCheck::valid(std::string(w));
  };
}

// An IPv4 wildcard (inverted mask, any bit pattern) or 0 (this host).
ValueMatcher wildcard_value() {
  return [](std::string_view w) {
    if (w == "0") return ValueCheck::valid("0.0.0.0");
    auto v = parse_ipv4(w);
    return v ? ValueCheck::valid(config::ipv4_to_string(*v)) : ValueCheck::invalid();
  };
}

ValueMatcher ipv6_prefix0_value() {  // X:X::X/len, len 0-128
  return [](std::string_view w) {
    const size_t slash = w.find('/');
    if (slash == std::string_view::npos) return ValueCheck::invalid();
    auto v = parse_ipv6(w.substr(0, slash));
    ValueCheck len = uint_in(0, 128)(w.substr(slash + 1));
    if (!v || len.status != ValueCheck::Status::kValid) return ValueCheck::invalid();
    return ValueCheck::valid(config::ipv6_to_string(*v) + "/" + len.value);
  };
}

// `acl [ipv6] {[number] <2000-2999> | name <name> [basic]}`, with `undo` too.
Syntax acl_command() {
  return seq({opt(undo()), kw("acl", "Access control list"), opt(kw("ipv6", "IPv6 ACL", "ipv6")),
              choice({seq({opt(kw("number", "Numbered ACL")),
                           param("INTEGER<2000-2999>", "Basic ACL number", "number",
                                 uint_in(2000, 2999))}),
                      seq({kw("name", "Named ACL"),
                           param("STRING<1-32>", "ACL name", "name", acl_name_value()),
                           opt(kw("basic", "Basic ACL"))})})});
}

Syntax rule_id() {
  return param("INTEGER<0-4294967294>", "Rule ID", "id", uint_in(0, 4294967294u));
}

Syntax rule_command(bool v6) {
  Syntax source =
      v6 ? choice({param("X:X::X:X/M", "Source IPv6 prefix", "prefix", ipv6_prefix0_value()),
                   seq({param("X:X::X:X", "Source IPv6 address", "address", ipv6_value()),
                        param("INTEGER<0-128>", "Prefix length", "length", uint_in(0, 128))}),
                   kw("any", "Any source", "any")})
         : choice(
               {seq({param("X.X.X.X", "Source address", "address", ipv4_value()),
                     param("X.X.X.X|0", "Wildcard (0: this host)", "wildcard", wildcard_value())}),
                kw("any", "Any source", "any")});
  return seq({kw("rule", "ACL rule"), opt(rule_id()),
              choice({kw("permit", "Permit", "action"), kw("deny", "Deny", "action")}),
              opt(seq({kw("source", "Source address"), std::move(source)}))});
}

// `display ntp statistics packet` past `packet` (CE6800 command reference):
// [ ipv6 ] [ interface { <ifname> | <type> <number> | all } ] or
// peer [ <ipv4> [ vpn-instance <vpn> ] | ipv6 [ <ipv6> [ vpn-instance <vpn> ] ]
//        | domain [ <name> [ vpn-instance <vpn> ] ] ].
Syntax statistics_scope() {
  auto address_of = [](Syntax address) { return opt(seq({std::move(address), opt(vpn_arg())})); };
  return opt(choice(
      {seq({kw("ipv6", "IPv6 packets", "ipv6"),
            opt(seq({kw("interface", "Packets of an interface", "scope"),
                     choice({kw("all", "All interfaces", "all"), interface_arg("if")})}))}),
       seq({kw("interface", "Packets of an interface", "scope"),
            choice({kw("all", "All interfaces", "all"), interface_arg("if")})}),
       seq({kw("peer", "Packets of a configured server", "scope"),
            opt(choice(
                {seq({param("X.X.X.X", "Peer IPv4 address", "peer", ipv4_value()), opt(vpn_arg())}),
                 seq({kw("ipv6", "IPv6 peer", "peer-kind"),
                      address_of(param("X:X::X:X", "Peer IPv6 address", "peer", ipv6_value()))}),
                 seq({kw("domain", "Peer by domain name", "peer-kind"),
                      address_of(
                          param("STRING<1-255>", "Domain name", "peer", domain_value()))})}))})}));
}

Syntax display_live() {
  return seq({kw("display", "Display information"),
              choice({seq({kw("ntp", "NTP information"),
                           choice({kw("status", "NTP status", "what"),
                                   seq({kw("sessions", "NTP sessions", "what"),
                                        opt(kw("verbose", "Detailed information", "verbose"))}),
                                   kw("trace", "Path to the reference clock", "what"),
                                   seq({kw("event", "NTP events", "what"),
                                        kw("clock-unsync", "Sync losses", "event")}),
                                   seq({kw("statistics", "Statistics", "what"),
                                        kw("packet", "Packet statistics"), statistics_scope()})})}),
                      seq({kw("interface", "Interface information", "what"),
                           kw("brief", "Brief information")})})});
}

Syntax display_current() {
  return seq({kw("display", "Display information"),
              kw("current-configuration", "Running configuration"),
              opt(seq({kw("|", "Output filter"),
                       choice({kw("include", "Lines matching a regular expression", "filter"),
                               kw("exclude", "Lines not matching", "filter")}),
                       param("STRING<1-255>", "Regular expression", "regex", regex_value())}))});
}

void add(ViewGrammar& g, Cmd cmd, Syntax syntax) {
  g.grammar.add(std::move(syntax));
  g.commands.push_back(cmd);
}

// Commands of every view except the user view.
void add_common(ViewGrammar& g) {
  add(g, Cmd::kCommit, kw("commit", "Commit the candidate configuration"));
  add(g, Cmd::kClearCandidate,
      seq({kw("clear", "Clear"), kw("configuration", "Configuration"),
           kw("candidate", "Discard uncommitted changes")}));
  add(g, Cmd::kDisplayCandidate,
      seq({kw("display", "Display information"), kw("configuration", "Configuration"),
           kw("candidate", "Uncommitted changes"),
           opt(choice({kw("merge", "Running and uncommitted combined", "form"),
                       kw("changes", "Differences as +/- lines", "form"),
                       kw("yaml", "The candidate as YAML (wiretime extension)", "form")}))}));
  add(g, Cmd::kDisplayCurrent, display_current());
  add(g, Cmd::kDisplayLive, display_live());
  add(g, Cmd::kQuit, kw("quit", "Exit from the current view"));
  add(g, Cmd::kReturn, kw("return", "Return to the user view"));
}

ViewGrammar build_user() {
  ViewGrammar g;
  add(g, Cmd::kSystemView,
      seq({kw("system-view", "Enter the system view"),
           opt(kw("immediately", "Immediate validation mode", "immediately"))}));
  add(g, Cmd::kDisplayCurrent, display_current());
  add(g, Cmd::kDisplayLive, display_live());
  add(g, Cmd::kResetStatistics,
      seq({kw("reset", "Reset"), kw("ntp", "NTP information"), kw("statistics", "Statistics"),
           kw("packet", "Packet statistics"), opt(kw("ipv6", "IPv6 packets", "ipv6"))}));
  add(g, Cmd::kQuit, kw("quit", "Exit the shell"));
  return g;
}

ViewGrammar build_system() {
  ViewGrammar g;
  add_common(g);
  // §2
  add(g, Cmd::kNtpUnsync,
      seq({ntp(), kw("unsync", "Unsynchronized state"),
           kw("max-poll-interval", "Maximum poll interval while unsynchronized"),
           param("INTEGER<6-10>", "Exponent (2^n s)", "poll", uint_in(6, 10)),
           kw("dec-step", "Decrease step"),
           param("INTEGER<1-6>", "Exponent (2^n s)", "step", uint_in(1, 6))}));
  add(g, Cmd::kNtpUnsync,
      seq({undo(), ntp(), kw("unsync", "Unsynchronized state"),
           kw("max-poll-interval", "Maximum poll interval while unsynchronized")}));
  // §3
  add(g, Cmd::kNtpSourceInterface,
      seq({ntp(), opt(ipv6_flag()), kw("source-interface", "Source interface of NTP packets"),
           interface_arg("if"), opt(vpn_arg())}));
  add(g, Cmd::kNtpSourceInterface,
      seq({undo(), ntp(), opt(ipv6_flag()),
           kw("source-interface", "Source interface of NTP packets"), opt(vpn_arg())}));
  // §4, §6.12
  add(g, Cmd::kNtpUnicast, unicast_command(false));
  add(g, Cmd::kNtpUnicast, undo_unicast_command(false));
  add(g, Cmd::kNtpUnicast, unicast_command(true));
  add(g, Cmd::kNtpUnicast, undo_unicast_command(true));
  // §6.1
  add(g, Cmd::kNtpKey,
      seq({ntp(), kw("authentication-keyid", "Authentication key"),
           param("INTEGER<1-4294967295>", "Key ID", "keyid", uint_in(1, 4294967295u)),
           kw("authentication-mode", "Authentication algorithm"),
           choice({kw("md5", "MD5 (insecure)", "mode"), kw("hmac-sha256", "HMAC-SHA256", "mode"),
                   kw("aes-128-cmac", "AES-128-CMAC", "mode"),
                   kw("aes-256-cmac", "AES-256-CMAC", "mode")}),
           choice({param("STRING<1-255>", "Plain-text password", "password", string_len(1, 255)),
                   seq({kw("cipher", "Cipher-text password"),
                        param("STRING<20-432>", "Cipher-text password", "cipher",
                              cipher_value())})})}));
  add(g, Cmd::kNtpKey,
      seq({undo(), ntp(), kw("authentication-keyid", "Authentication key"),
           param("INTEGER<1-4294967295>", "Key ID", "keyid", uint_in(1, 4294967295u))}));
  // §6.2
  add(g, Cmd::kNtpAuthEnable,
      seq({opt(undo()), ntp(), kw("authentication", "Authentication"),
           kw("enable", "Enable authentication")}));
  // §6.3
  add(g, Cmd::kNtpTrusted,
      seq({opt(undo()), ntp(), kw("trusted", "Trusted key"),
           kw("authentication-keyid", "Authentication key"),
           param("INTEGER<1-4294967295>", "Key ID", "keyid", uint_in(1, 4294967295u))}));
  // §6.4
  add(g, Cmd::kNtpServerDisable,
      seq({opt(undo()), ntp(), opt(ipv6_flag()), kw("server", "NTP server function"),
           kw("disable", "Disable the NTP server function")}));
  // §6.5
  add(g, Cmd::kNtpServerSourceInterface,
      seq({opt(undo()), ntp(), kw("server", "NTP server function"),
           kw("source-interface", "Listening interface"), interface_arg("if")}));
  add(g, Cmd::kNtpIpv6ServerSourceAddress,
      seq({opt(undo()), ntp(), kw("ipv6", "IPv6 NTP service"), kw("server", "NTP server function"),
           kw("source-address", "Listening address"),
           param("X:X::X:X", "IPv6 address", "address", ipv6_value()), opt(vpn_arg())}));
  add(g, Cmd::kNtpServerListenAll,
      seq({ntp(), opt(ipv6_flag()), kw("server", "NTP server function"),
           kw("source-interface", "Listening interface"), kw("all", "All interfaces"),
           choice({kw("enable", "Listen on all interfaces", "state"),
                   kw("disable", "Do not listen on all interfaces", "state")})}));
  add(g, Cmd::kNtpServerListenAll,
      seq({undo(), ntp(), opt(ipv6_flag()), kw("server", "NTP server function"),
           kw("source-interface", "Listening interface"), kw("all", "All interfaces")}));
  add(g, Cmd::kNtpPhysicIsolate,
      seq({opt(undo()), ntp(), kw("server", "NTP server function"),
           kw("physic-isolate", "Physical isolation"), kw("source-interface", "Interface"),
           interface_arg("if"), kw("source-address", "Address"),
           param("X.X.X.X", "IPv4 address", "address", ipv4_value())}));
  add(g, Cmd::kNtpPhysicIsolate,
      seq({opt(undo()), ntp(), ipv6_flag(), kw("server", "NTP server function"),
           kw("physic-isolate", "Physical isolation"), kw("source-interface", "Interface"),
           interface_arg("if"), kw("source-address", "Address"),
           param("X:X::X:X", "IPv6 address", "address", ipv6_value())}));
  // §6.6
  add(g, Cmd::kNtpRefclock,
      seq({ntp(), kw("refclock-master", "Local clock as reference"),
           opt(param("127.127.X.X", "Reference clock address", "address", refclock_value())),
           opt(param("INTEGER<1-15>", "Stratum", "stratum", uint_in(1, 15)))}));
  add(g, Cmd::kNtpRefclock,
      seq({undo(), ntp(), kw("refclock-master", "Local clock as reference"),
           opt(param("127.127.X.X", "Reference clock address", "address", refclock_value()))}));
  // §6.7 - §6.11
  add(g, Cmd::kNtpMaxDistance,
      seq({ntp(), kw("max-distance", "Maximum synchronization distance"),
           param("INTEGER<1-16>", "Seconds", "value", uint_in(1, 16))}));
  add(g, Cmd::kNtpMaxDistance,
      seq({undo(), ntp(), kw("max-distance", "Maximum synchronization distance")}));
  add(g, Cmd::kNtpDiscard,
      seq({ntp(), kw("discard", "Rate limits"),
           any_of({seq({kw("min-interval", "Minimum interval (2^n s)"),
                        param("INTEGER<1-8>", "Exponent", "min", uint_in(1, 8))}),
                   seq({kw("avg-interval", "Average interval (2^n s)"),
                        param("INTEGER<1-8>", "Exponent", "avg", uint_in(1, 8))})},
                  true)}));
  add(g, Cmd::kNtpDiscard, seq({undo(), ntp(), kw("discard", "Rate limits")}));
  add(g, Cmd::kNtpKod, seq({opt(undo()), ntp(), kw("kod-enable", "Kiss-o'-Death packets")}));
  add(g, Cmd::kNtpAccess,
      seq({ntp(), kw("access", "Access control"), access_level(),
           choice({seq({acl_choice(false), opt(seq({kw("ipv6", "IPv6 ACL"), acl_choice(true)}))}),
                   seq({kw("ipv6", "IPv6 ACL"), acl_choice(true)})})}));
  add(g, Cmd::kNtpAccess, seq({undo(), ntp(), kw("access", "Access control"), access_level()}));
  add(g, Cmd::kNtpSourcePort,
      seq({ntp(), kw("source-port", "Source UDP port"),
           param("INTEGER<123,1025-65535>", "Port number", "value", port_value())}));
  add(g, Cmd::kNtpSourcePort, seq({undo(), ntp(), kw("source-port", "Source UDP port")}));
  add(g, Cmd::kNtpSyncInterval,
      seq({ntp(), kw("sync-interval", "Synchronization interval"),
           param("INTEGER<180-600>", "Seconds", "value", uint_in(180, 600))}));
  add(g, Cmd::kNtpSyncInterval,
      seq({undo(), ntp(), kw("sync-interval", "Synchronization interval")}));
  add(g, Cmd::kNtpOffsetLimit,
      seq({ntp(), kw("offset-limit", "Maximum offset"),
           param("INTEGER<5-7620>", "Seconds", "value", uint_in(5, 7620))}));
  add(g, Cmd::kNtpOffsetLimit, seq({undo(), ntp(), kw("offset-limit", "Maximum offset")}));
  add(g, Cmd::kNtpMaxDynamic,
      seq({ntp(), kw("max-dynamic-sessions", "Maximum dynamic sessions"),
           param("INTEGER<0-100>", "Number", "value", uint_in(0, 100))}));
  add(g, Cmd::kNtpMaxDynamic,
      seq({undo(), ntp(), kw("max-dynamic-sessions", "Maximum dynamic sessions")}));
  add(g, Cmd::kNtpDisable,
      seq({opt(undo()), ntp(), opt(ipv6_flag()), kw("disable", "Disable the NTP service")}));
  // §12 companions
  add(g, Cmd::kIpVpnInstance,
      seq({opt(undo()), kw("ip", "IP configuration"), kw("vpn-instance", "VPN instance"),
           param("STRING<1-31>", "VPN instance name", "vpn", vpn_value())}));
  add(g, Cmd::kInterface,
      seq({opt(undo()), kw("interface", "Interface view"), interface_arg("if")}));
  add(g, Cmd::kRouteStatic,
      seq({opt(undo()), kw("ip", "IP configuration"), kw("route-static", "Static route"),
           opt(vpn_arg()), param("X.X.X.X", "Destination", "prefix", ipv4_value()),
           param("INTEGER<0-32>|X.X.X.X", "Mask length or mask", "length", mask_or_length()),
           param("X.X.X.X", "Next hop", "nexthop", ipv4_value())}));
  add(g, Cmd::kRouteStatic,
      seq({opt(undo()), kw("ipv6", "IPv6 configuration", "ipv6"),
           kw("route-static", "Static route"), opt(vpn_arg()),
           param("X:X::X:X", "Destination", "prefix", ipv6_value()),
           param("INTEGER<0-128>", "Prefix length", "length", uint_in(0, 128)),
           param("X:X::X:X", "Next hop", "nexthop", ipv6_value())}));
  add(g, Cmd::kSysname,
      seq({kw("sysname", "Device name"),
           param("STRING<1-246>", "Device name", "name", string_len(1, 246))}));
  add(g, Cmd::kSysname, seq({undo(), kw("sysname", "Device name")}));
  add(g, Cmd::kAcl, acl_command());
  return g;
}

ViewGrammar build_acl(bool v6) {
  ViewGrammar g;
  add_common(g);
  add(g, Cmd::kAclRule, rule_command(v6));
  add(g, Cmd::kAclRule, seq({undo(), kw("rule", "ACL rule"), rule_id()}));
  return g;
}

ViewGrammar build_vpn() {
  ViewGrammar g;
  add_common(g);
  add(g, Cmd::kVpnFamily,
      seq({opt(undo()), choice({kw("ipv4-family", "IPv4 address family", "family"),
                                kw("ipv6-family", "IPv6 address family", "family")})}));
  return g;
}

ViewGrammar build_vpn_family() {
  ViewGrammar g;
  add_common(g);
  return g;
}

ViewGrammar build_interface() {
  ViewGrammar g;
  add_common(g);
  add(g, Cmd::kIpBinding,
      seq({opt(undo()), kw("ip", "IP configuration"), kw("binding", "Bind"),
           kw("vpn-instance", "VPN instance"),
           param("STRING<1-31>", "VPN instance name", "vpn", vpn_value())}));
  add(g, Cmd::kIpAddress,
      seq({kw("ip", "IP configuration"), kw("address", "IPv4 address"),
           param("X.X.X.X", "IPv4 address", "address", ipv4_value()),
           param("INTEGER<0-32>|X.X.X.X", "Mask length or mask", "length", mask_or_length()),
           opt(kw("sub", "Secondary address", "sub"))}));
  add(g, Cmd::kIpAddress,
      seq({undo(), kw("ip", "IP configuration"), kw("address", "IPv4 address"),
           opt(seq(
               {param("X.X.X.X", "IPv4 address", "address", ipv4_value()),
                param("INTEGER<0-32>|X.X.X.X", "Mask length or mask", "length", mask_or_length()),
                opt(kw("sub", "Secondary address", "sub"))}))}));
  add(g, Cmd::kIpv6Enable,
      seq({opt(undo()), kw("ipv6", "IPv6 configuration"), kw("enable", "Enable IPv6")}));
  add(g, Cmd::kIpv6Address,
      seq({kw("ipv6", "IPv6 configuration"), kw("address", "IPv6 address"),
           choice({param("X:X::X:X/M", "IPv6 address/prefix length", "prefix", ipv6_prefix_value()),
                   seq({param("X:X::X:X", "IPv6 address", "address", ipv6_value()),
                        param("INTEGER<1-128>", "Prefix length", "length", uint_in(1, 128))})})}));
  add(g, Cmd::kIpv6Address,
      seq({undo(), kw("ipv6", "IPv6 configuration"), kw("address", "IPv6 address"),
           opt(choice(
               {param("X:X::X:X/M", "IPv6 address/prefix length", "prefix", ipv6_prefix_value()),
                seq({param("X:X::X:X", "IPv6 address", "address", ipv6_value()),
                     param("INTEGER<1-128>", "Prefix length", "length", uint_in(1, 128))})}))}));
  add(g, Cmd::kDot1q,
      seq({kw("dot1q", "802.1Q"), kw("termination", "Termination"), kw("vid", "VLAN ID"),
           param("INTEGER<1-4094>", "VLAN ID", "vid", uint_in(1, 4094))}));
  add(g, Cmd::kDot1q,
      seq({undo(), kw("dot1q", "802.1Q"), kw("termination", "Termination"), kw("vid", "VLAN ID"),
           opt(param("INTEGER<1-4094>", "VLAN ID", "vid", uint_in(1, 4094)))}));
  return g;
}

}  // namespace

const ViewGrammar& user_view_grammar() {
  static const ViewGrammar g = build_user();
  return g;
}
const ViewGrammar& system_view_grammar() {
  static const ViewGrammar g = build_system();
  return g;
}
const ViewGrammar& vpn_view_grammar() {
  static const ViewGrammar g = build_vpn();
  return g;
}
const ViewGrammar& vpn_family_view_grammar() {
  static const ViewGrammar g = build_vpn_family();
  return g;
}
const ViewGrammar& interface_view_grammar() {
  static const ViewGrammar g = build_interface();
  return g;
}
const ViewGrammar& acl4_view_grammar() {
  static const ViewGrammar g = build_acl(false);
  return g;
}
const ViewGrammar& acl6_view_grammar() {
  static const ViewGrammar g = build_acl(true);
  return g;
}

}  // namespace wiretime::cli

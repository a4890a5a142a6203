#include "control/daemon/server_publisher.hpp"

#include <algorithm>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "config/startup/network_spec.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/time/ntp_short.hpp"

namespace wiretime::daemon {

// What the validator accepts is what the lcore's tables hold.
static_assert(config::kMaxPhysicIsolate == server::kMaxIsolated);
static_assert(config::kMaxIpv6ServerSourceAddresses == server::kMaxListenIpv6);

namespace {

const l3::Interface* find_interface(const l3::InterfaceTable& interfaces, const std::string& name) {
  if (const l3::Interface* itf = interfaces.find_by_name(name)) return itf;
  // The YAML may spell a VRP name differently (`ge1/0/1`): compare canonical forms.
  const auto wanted = config::canonical_interface_name(name);
  for (const l3::Interface& itf : interfaces.all()) {
    if (wanted && config::canonical_interface_name(itf.name) == wanted) return &itf;
  }
  return nullptr;
}

uint32_t short_raw(double seconds) {
  return NtpShort::from_duration(NtpDuration::from_seconds(std::max(0.0, seconds))).raw();
}

// The log line's physic-isolate part: " ; physic-isolate 198.18.0.2 on GE1/0/1, ...".
std::string isolated_text(const server::ServerListen& l, const l3::InterfaceTable& interfaces) {
  std::string out;
  for (size_t i = 0; i < l.isolated_count; ++i) {
    const l3::Interface* itf = interfaces.find(l.isolated[i].interface);
    out += (i == 0 ? "; physic-isolate " : ", ") + l3::to_string(l.isolated[i].address) + " on " +
           (itf != nullptr ? itf->name : std::string("?"));
  }
  return out;
}

}  // namespace

server::ServerListen server_listen(const config::NtpConfig& config,
                                   const l3::InterfaceTable& interfaces,
                                   std::vector<std::string>* problems) {
  server::ServerListen l;
  l.ipv4_enabled = !config.service_disable && !config.server_disable;
  l.ipv6_enabled = !config.ipv6_service_disable && !config.ipv6_server_disable;
  l.ipv4_all = config.server_listen_all;
  l.ipv6_all = config.ipv6_server_listen_all;
  for (const std::string& name : config.server_source_interfaces) {
    const l3::Interface* itf = find_interface(interfaces, name);
    if (itf == nullptr || itf->index >= server::kMaxListenInterfaces) {
      if (problems != nullptr) {
        problems->push_back("ntp server source-interface " + name +
                            (itf == nullptr ? ": no such dataplane interface"
                                            : ": interface index beyond the server's 64"));
      }
      continue;
    }
    l.ipv4_interfaces |= uint64_t{1} << itf->index;
  }
  for (const config::Ipv6ServerSourceAddress& a : config.ipv6_server_source_addresses) {
    const auto bytes = config::parse_ipv6(a.address);
    const auto vrf = interfaces.vrf_id(a.vpn_instance);
    if (!bytes || !vrf || l.ipv6_count >= server::kMaxListenIpv6) {
      if (problems != nullptr) {
        problems->push_back("ntp ipv6 server source-address " + a.address +
                            (!bytes ? ": not an IPv6 address"
                             : !vrf ? ": no such vpn-instance " + a.vpn_instance
                                    : ": more than 8 listening IPv6 addresses"));
      }
      continue;
    }
    std::copy(bytes->begin(), bytes->end(), l.ipv6_addresses[l.ipv6_count].bytes.begin());
    l.ipv6_vrfs[l.ipv6_count] = *vrf;
    ++l.ipv6_count;
  }
  for (const config::PhysicIsolate& p : config.physic_isolate) {
    const bool v6 = p.family == config::AddressFamily::kIpv6;
    const std::string what = std::string("ntp ") + (v6 ? "ipv6 " : "") +
                             "server physic-isolate source-interface " + p.interface +
                             " source-address " + p.address;
    const l3::Interface* itf = find_interface(interfaces, p.interface);
    const auto address = config::ip_address_of(p.family, p.address);
    if (itf == nullptr || !address || l.isolated_count >= server::kMaxIsolated) {
      if (problems != nullptr) {
        problems->push_back(what + (itf == nullptr ? ": no such dataplane interface"
                                    : !address     ? ": not an address of its family"
                                                   : ": more than 8 physic-isolate entries"));
      }
      continue;
    }
    // Kept even when the interface does not have the address (yet): nothing arrives for it
    // then (the dataplane takes only frames to the interface's own addresses), so say so.
    if (problems != nullptr && !itf->owns(*address)) {
      problems->push_back(what + ": not an address of " + itf->name + ", nothing arrives for it");
    }
    l.isolated[l.isolated_count++] = server::IsolatedListen{*address, itf->index};
  }
  return l;
}

namespace {

server::AclEntry compile_rule(const config::Acl& acl, const config::AclRule& r) {
  server::AclEntry e;
  e.permit = r.permit ? 1 : 0;
  if (r.any) return e;  // mask 0: matches every source of the family
  if (!acl.ipv6) {
    const uint32_t care = ~config::parse_ipv4(r.wildcard).value_or(0);
    e.mask = {0, care};
    e.value = {0, config::parse_ipv4(r.address).value_or(0) & care};
    return e;
  }
  const auto bytes = config::parse_ipv6(r.address).value_or(config::Ipv6Bytes{});
  wire::IpAddress a;
  a.version = wire::IpVersion::kV6;
  std::copy(bytes.begin(), bytes.end(), a.v6.bytes.begin());
  const auto key = server::acl_key(a);
  const int len = std::clamp(r.prefix_length, 0, 128);
  auto word_mask = [](int bits) {
    return bits <= 0 ? uint64_t{0} : bits >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - bits);
  };
  e.mask = {word_mask(len), word_mask(len - 64)};
  e.value = {key[0] & e.mask[0], key[1] & e.mask[1]};
  return e;
}

server::AccessLevelIndex level_index(config::AccessLevel level) {
  switch (level) {
    case config::AccessLevel::kPeer:
      return server::AccessLevelIndex::kPeer;
    case config::AccessLevel::kServer:
      return server::AccessLevelIndex::kServer;
    case config::AccessLevel::kSynchronization:
      return server::AccessLevelIndex::kSynchronization;
    case config::AccessLevel::kQuery:
      return server::AccessLevelIndex::kQuery;
    case config::AccessLevel::kLimited:
      return server::AccessLevelIndex::kLimited;
  }
  return server::AccessLevelIndex::kQuery;
}

}  // namespace

server::AccessTables compile_access(const config::NtpConfig& config,
                                    std::vector<std::string>* problems) {
  server::AccessTables t;
  t.kod_enable = config.kod_enable ? 1 : 0;
  t.min_interval = static_cast<int8_t>(config.discard_min_interval);
  t.avg_interval = static_cast<int8_t>(config.discard_avg_interval);
  for (const auto& [level, rule] : config.access) {
    for (const bool v6 : {false, true}) {
      const std::string& id = v6 ? rule.acl6 : rule.acl;
      if (id.empty()) continue;
      const bool is_name = v6 ? rule.acl6_is_name : rule.acl_is_name;
      server::AclTable& table = t.levels[static_cast<size_t>(level_index(level))][v6 ? 1 : 0];
      table.configured = 1;
      const std::string what = std::string("ntp access ") + config::to_string(level) +
                               (v6 ? " ipv6 acl " : " acl ") + id;
      const config::Acl* acl = config::find_acl(config.acls, v6, id, is_name);
      if (acl == nullptr) {
        if (problems != nullptr) problems->push_back(what + ": no such ACL, the level denies");
        continue;
      }
      for (const config::AclRule& r : acl->rules) {
        if (table.count >= server::kMaxAclRules) {
          table.truncated = 1;
          if (problems != nullptr) {
            problems->push_back(what + ": rules past the first 64 are ignored");
          }
          break;
        }
        table.rules[table.count++] = compile_rule(*acl, r);
      }
    }
  }
  return t;
}

bool serving_local_clock(const config::NtpConfig& config, const engine::SystemStatus& system) {
  if (!config.refclock_master) return false;
  return !system.synchronized || system.stratum > config.refclock_master->stratum;
}

server::ServerClockState server_clock_state(const config::NtpConfig& config,
                                            const engine::SystemStatus& system, NtpTimestamp now) {
  server::ServerClockState s;
  s.precision = system.precision;
  if (serving_local_clock(config, system)) {
    s.leap = 0;
    s.stratum = static_cast<uint8_t>(config.refclock_master->stratum);
    s.reference_id = config.refclock_master->address;
    s.reference_time = now.raw();
    return s;
  }
  if (!system.synchronized) return s;  // leap 3, stratum 16
  s.leap = static_cast<uint8_t>(system.leap);
  s.stratum = system.stratum;
  s.reference_id = system.reference_id;
  s.root_delay = short_raw(system.root_delay);
  s.root_dispersion = short_raw(system.root_dispersion);
  s.reference_time = system.reference_time.raw();
  return s;
}

ServerPublisher::ServerPublisher(server::PublishedServer& out, const l3::InterfaceTable& interfaces,
                                 std::function<void(const std::string&)> log)
    : out_(out), interfaces_(interfaces), log_(std::move(log)) {}

void ServerPublisher::publish(int64_t monotonic_ns, const config::NtpConfig& config,
                              const engine::SystemStatus& system, NtpTimestamp now) {
  next_ns_ = monotonic_ns + kPeriodNs;
  if (!last_config_ || !(config == *last_config_)) {
    std::vector<std::string> problems;
    listen_ = server_listen(config, interfaces_, &problems);
    for (const std::string& p : problems) log_("server: " + p);
    std::string v4 = listen_.ipv4_all ? std::string(" all") : std::string();
    for (const l3::Interface& itf : interfaces_.all()) {
      if (itf.index < server::kMaxListenInterfaces && ((listen_.ipv4_interfaces >> itf.index) & 1))
        v4 += " " + itf.name;
    }
    log_(std::string("server: IPv4 ") + (listen_.ipv4_enabled ? "enabled" : "disabled") +
         ", listening on" + (v4.empty() ? std::string(" no interface") : v4) + "; IPv6 " +
         (listen_.ipv6_enabled ? "enabled" : "disabled") + ", listening on " +
         (listen_.ipv6_all ? std::string("all") : std::to_string(listen_.ipv6_count)) +
         " address(es)" + isolated_text(listen_, interfaces_));
    if (access_out_ != nullptr) {
      std::vector<std::string> access_problems;
      access_out_->store(compile_access(config, &access_problems));
      for (const std::string& p : access_problems) log_("server: " + p);
    }
    last_config_ = config;
  }
  const bool local = serving_local_clock(config, system);
  if (local != was_local_) {
    was_local_ = local;
    log_(local ? "server: serving the local clock (ntp refclock-master stratum " +
                     std::to_string(config.refclock_master->stratum) + ")"
               : std::string("server: serving the synchronised clock"));
  }
  out_.store(server::ServerSnapshot{server_clock_state(config, system, now), listen_});
}

}  // namespace wiretime::daemon

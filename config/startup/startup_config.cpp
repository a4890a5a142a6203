#include "config/startup/startup_config.hpp"

#include <fstream>
#include <sstream>

#include "config/startup/ip_text.hpp"
#include "config/startup/network_spec.hpp"
#include "config/startup/yaml_reader.hpp"
#include "dataplane/l3/routing_table.hpp"
#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::config {
namespace {

// A linecard's worth of ports and sub-interfaces; interface indices are 16-bit on the rings.
constexpr size_t kMaxInterfaces = 256;
constexpr int64_t kMaxLcore = 1023;
constexpr int64_t kMaxIdleSleepUs = 1000;  // longer naps would add more than they save  // beyond
                                           // any RTE_MAX_LCORE a distribution builds with
constexpr int64_t kMaxTestOffsetNs = int64_t{1'000'000'000} * 86'400 * 365;  // one year
constexpr double kMaxTestFrequencyPpb = 1e6;                                 // 1000 ppm

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

DataplaneSection parse_dataplane(const YamlField& field) {
  const YamlMap map(field, {"eal", "lcore", "idle-sleep-us", "packet-socket-stamps",
                            "interleaved-store-entries"});
  DataplaneSection section;
  for (const YamlField& arg : map.required("eal").as_sequence()) {
    section.eal_args.push_back(arg.as_string());
  }
  if (auto lcore = map.optional("lcore")) {
    section.lcore = static_cast<unsigned>(lcore->as_int(0, kMaxLcore));
  }
  if (auto nap = map.optional("idle-sleep-us")) {
    section.idle_sleep_us = static_cast<unsigned>(nap->as_int(0, kMaxIdleSleepUs));
  }
  if (auto stamps = map.optional("packet-socket-stamps")) {
    section.packet_socket_stamps = stamps->as_bool();
  }
  if (auto store = map.optional("interleaved-store-entries")) {
    // A power of two: the store hashes a T2 to its slot with a mask.
    const auto n =
        static_cast<size_t>(store->as_int(0, static_cast<int64_t>(kMaxInterleavedStoreEntries)));
    if (n != 0 && (n < kMinInterleavedStoreEntries || (n & (n - 1)) != 0)) {
      store->fail("'" + std::to_string(n) + "' is not 0 (off) or a power of two from " +
                  std::to_string(kMinInterleavedStoreEntries) + " to " +
                  std::to_string(kMaxInterleavedStoreEntries));
    }
    section.interleaved_store_entries = n;
  }
  return section;
}

// One interface address as written, checked for being a usable host address of its prefix.
l3::IpPrefix parse_interface_prefix(const YamlField& field, wire::IpVersion family) {
  const std::string text = field.as_string();
  const auto prefix = parse_ip_prefix(text);
  const char* what = family == wire::IpVersion::kV4 ? "IPv4" : "IPv6";
  if (!prefix || prefix->version() != family) {
    field.fail("'" + text + "' is not an " + what + " address/prefix");
  }
  if (family == wire::IpVersion::kV4 && prefix->length < 31 && prefix->length > 0) {
    const l3::IpPrefix network = l3::network_of(*prefix);
    l3::IpPrefix broadcast = *prefix;
    const uint32_t mask = ~uint32_t{0} << (32 - prefix->length);
    broadcast.address.v4 =
        wire::Ipv4Address::from_host_order(prefix->address.v4.to_host_order() | ~mask);
    if (prefix->address == network.address || prefix->address == broadcast.address) {
      field.fail("'" + text + "' is the network or broadcast address of its prefix");
    }
  }
  if (family == wire::IpVersion::kV6 &&
      (wire::is_multicast(prefix->address.v6) || wire::is_unspecified(prefix->address.v6))) {
    field.fail("'" + text + "' is not a unicast address");
  }
  return *prefix;
}

// `key: one` or `key: [one, two]`.
std::vector<YamlField> one_or_list(const YamlField& field) {
  if (field.node().IsSequence()) return field.as_sequence();
  return {field};
}

InterfaceSection parse_interface(const YamlField& field) {
  const YamlMap map(field, {"name", "devargs", "parent", "vlan", "vpn-instance", "mac", "ipv4",
                            "ipv6", "gateway"});
  InterfaceSection section;
  const YamlField name = map.required("name");
  section.name = name.as_string();
  if (section.name.empty()) name.fail("must not be empty");

  const auto parent = map.optional("parent");
  const auto vlan = map.optional("vlan");
  if (parent) {
    section.parent = parent->as_string();
    if (section.parent.empty()) parent->fail("must not be empty");
    if (!vlan) parent->fail("a sub-interface needs a 'vlan' (1..4094)");
    if (auto devargs = map.optional("devargs")) {
      devargs->fail("a sub-interface uses its parent's port: no devargs");
    }
  } else if (vlan) {
    vlan->fail("a VLAN needs a 'parent' interface (this one is a port)");
  }
  if (vlan) section.vlan = static_cast<uint16_t>(vlan->as_int(1, 4094));

  if (!parent) {
    const YamlField devargs = map.required("devargs");
    const std::string text = devargs.as_string();
    if (all_digits(text)) {
      section.port_index = static_cast<uint16_t>(devargs.as_int(0, 65535));
    } else if (text.empty()) {
      devargs.fail("must not be empty (DPDK device arguments or a port index)");
    } else {
      section.devargs = text;
    }
  }
  if (auto vrf = map.optional("vpn-instance")) {
    section.vpn_instance = vrf->as_string();
    if (section.vpn_instance.empty()) vrf->fail("must not be empty");
  }
  if (auto mac = map.optional("mac")) {
    const auto parsed = parse_mac_address(mac->as_string());
    if (!parsed) mac->fail("'" + mac->as_string() + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
    if (parsed->is_multicast() || *parsed == wire::MacAddress{}) {
      mac->fail("'" + mac->as_string() + "' is not a unicast MAC address");
    }
    section.mac = *parsed;
  }

  const auto ipv4 = map.optional("ipv4");
  const auto ipv6 = map.optional("ipv6");
  if (!ipv4 && !ipv6) map.required("ipv4");  // the error names the usual key
  if (ipv4) {
    for (const YamlField& item : one_or_list(*ipv4)) {
      section.addresses.push_back(parse_interface_prefix(item, wire::IpVersion::kV4));
    }
    if (section.addresses.empty()) ipv4->fail("at least one address is required");
    const l3::IpPrefix& first = section.addresses.front();
    section.ipv4 = Ipv4Prefix{Ipv4Address{first.address.v4.to_host_order()}, first.length};
    section.has_ipv4 = true;
  }
  if (ipv6) {
    const size_t before = section.addresses.size();
    for (const YamlField& item : one_or_list(*ipv6)) {
      section.addresses.push_back(parse_interface_prefix(item, wire::IpVersion::kV6));
    }
    if (section.addresses.size() == before) ipv6->fail("at least one address is required");
  }

  if (auto gateway = map.optional("gateway")) {
    const auto address = parse_ipv4_address(gateway->as_string());
    if (!address) gateway->fail("'" + gateway->as_string() + "' is not an IPv4 address");
    if (!section.has_ipv4) gateway->fail("the interface has no IPv4 address");
    bool inside = false;
    for (const l3::IpPrefix& p : section.addresses) {
      if (p.address.v4.to_host_order() == address->value && p.version() == wire::IpVersion::kV4) {
        gateway->fail("is the interface's own address");
      }
      inside =
          inside ||
          p.contains(wire::IpAddress::from(wire::Ipv4Address::from_host_order(address->value)));
    }
    if (!inside) gateway->fail(address->to_string() + " is not inside " + section.ipv4.to_string());
    section.gateway = *address;
  }
  return section;
}

l3::StaticRouteSpec parse_route(const YamlField& field) {
  const YamlMap map(field, {"prefix", "next-hop", "vpn-instance", "interface"});
  l3::StaticRouteSpec route;
  const YamlField prefix = map.required("prefix");
  const auto parsed = parse_ip_prefix(prefix.as_string());
  if (!parsed) prefix.fail("'" + prefix.as_string() + "' is not an IPv4 or IPv6 prefix");
  route.prefix = l3::network_of(*parsed);
  const YamlField next_hop = map.required("next-hop");
  const auto hop = parse_ip_address(next_hop.as_string());
  if (!hop) next_hop.fail("'" + next_hop.as_string() + "' is not an IPv4 or IPv6 address");
  if (hop->version != parsed->version()) next_hop.fail("is not of the prefix's address family");
  route.next_hop = *hop;
  if (auto vrf = map.optional("vpn-instance")) {
    route.vrf = vrf->as_string();
    if (route.vrf.empty()) vrf->fail("must not be empty");
  }
  if (auto itf = map.optional("interface")) route.interface = itf->as_string();
  return route;
}

ClockSection parse_clock(const YamlField& field) {
  ClockSection section;
  if (field.is_null()) return section;
  const YamlMap map(field, {"driver", "test-initial-offset-ns", "test-initial-frequency-ppb"});
  if (auto driver = map.optional("driver")) {
    const std::string text = driver->as_string();
    if (text != "virtual") driver->fail("unknown clock driver '" + text + "' (supported: virtual)");
  }
  if (auto offset = map.optional("test-initial-offset-ns")) {
    section.test_initial_offset_ns = offset->as_int(-kMaxTestOffsetNs, kMaxTestOffsetNs);
  }
  if (auto frequency = map.optional("test-initial-frequency-ppb")) {
    section.test_initial_frequency_ppb =
        frequency->as_double(-kMaxTestFrequencyPpb, kMaxTestFrequencyPpb);
  }
  return section;
}

LogSection parse_log(const YamlField& field) {
  LogSection section;
  if (field.is_null()) return section;
  const YamlMap map(field, {"level", "measurements", "metrics-textfile", "metrics-interval"});
  if (auto level = map.optional("level")) {
    const auto parsed = parse_log_level(level->as_string());
    if (!parsed) {
      level->fail("unknown log level '" + level->as_string() + "' (error, warning, info, debug)");
    }
    section.level = *parsed;
  }
  if (auto measurements = map.optional("measurements")) {
    section.measurements = measurements->as_string();
    if (section.measurements.empty()) measurements->fail("must not be empty");
  }
  if (auto textfile = map.optional("metrics-textfile")) {
    section.metrics_textfile = textfile->as_string();
    if (section.metrics_textfile.empty()) textfile->fail("must not be empty");
  }
  if (auto interval = map.optional("metrics-interval")) {
    section.metrics_interval_s = static_cast<unsigned>(interval->as_int(1, 3600));
  }
  return section;
}

// Interfaces, VRFs and routes must form a consistent network, and every server must have a
// route in its VRF (through its source interface, when one is named). Each problem is reported
// at the key it comes from.
void check_network(const StartupConfig& config, const YamlMap& root) {
  const std::vector<YamlField> interface_items = root.required("interfaces").as_sequence();
  const l3::NetworkSpec spec = network_spec(config);
  // Names, parents and VLANs, one interface at a time so the error points at the right one.
  for (size_t i = 0; i < spec.interfaces.size(); ++i) {
    const std::vector<l3::InterfaceSpec> prefix(spec.interfaces.begin(),
                                                spec.interfaces.begin() + static_cast<long>(i) + 1);
    std::vector<wire::MacAddress> macs(l3::count_ports(prefix));
    l3::InterfaceTable table;
    if (std::string e = table.build(prefix, macs); !e.empty()) interface_items[i].fail(e);
  }
  l3::InterfaceTable interfaces;
  interfaces.build(spec.interfaces,
                   std::vector<wire::MacAddress>(l3::count_ports(spec.interfaces)));
  // Gateways become static routes first, then the `routes:` list.
  l3::RoutingTable routes;
  std::vector<l3::StaticRouteSpec> accepted;
  size_t gateway_routes = 0;
  for (const InterfaceSection& itf : config.interfaces) gateway_routes += itf.gateway ? 1 : 0;
  const auto route_items = root.optional("routes") && !root.optional("routes")->is_null()
                               ? root.optional("routes")->as_sequence()
                               : std::vector<YamlField>{};
  for (size_t i = 0; i < spec.routes.size(); ++i) {
    accepted.push_back(spec.routes[i]);
    if (std::string e = routes.build(interfaces, accepted); !e.empty()) {
      if (i >= gateway_routes) route_items[i - gateway_routes].fail(e);
      for (size_t k = 0, g = 0; k < config.interfaces.size(); ++k) {
        if (config.interfaces[k].gateway && g++ == i) {
          YamlMap(interface_items[k], {"name", "devargs", "parent", "vlan", "vpn-instance", "mac",
                                       "ipv4", "ipv6", "gateway"})
              .required("gateway")
              .fail(e);
        }
      }
    }
  }
  if (std::string e = routes.build(interfaces, spec.routes); !e.empty()) root.field().fail(e);

  auto ntp = root.optional("ntp");
  for (size_t i = 0; i < config.ntp.unicast_servers.size(); ++i) {
    const UnicastServer& server = config.ntp.unicast_servers[i];
    const YamlField item = unicast_server_item(*ntp, i);
    const YamlMap item_map(item, kUnicastServerKeys);
    const std::string vrf_text =
        server.vpn_instance.empty() ? "the public network" : "vpn-instance " + server.vpn_instance;
    const auto vrf = interfaces.vrf_id(server.vpn_instance);
    if (!vrf) {
      item_map.required("vpn-instance")
          .fail("no interface is bound to vpn-instance " + server.vpn_instance);
    }
    const l3::Interface* source = nullptr;
    if (!server.source_interface.empty()) {
      source = interfaces.find_by_name(server.source_interface);
      const YamlField key = item_map.required("source-interface");
      if (source == nullptr) key.fail("no interface named " + server.source_interface);
      if (source->vrf != *vrf) key.fail(server.source_interface + " is not in " + vrf_text);
    }
    std::string problem;
    for (const l3::Interface& itf : interfaces.all()) {
      if (itf.vrf == *vrf && itf.owns(server.ip))
        problem = "is the address of interface " + itf.name;
    }
    const auto hop = routes.lookup(*vrf, server.ip);
    if (problem.empty() && !hop) {
      problem = l3::to_string(server.ip) + " has no route in " + vrf_text;
      // The common single-interface case, phrased as before.
      if (config.interfaces.size() == 1 && server.ip.version == wire::IpVersion::kV4 &&
          config.interfaces[0].has_ipv4 && *vrf == interfaces.find(0)->vrf) {
        const InterfaceSection& itf = config.interfaces.front();
        problem = l3::to_string(server.ip) + " is outside " + itf.name + "'s subnet " +
                  itf.ipv4.to_string() + " and the interface has no gateway";
      }
    } else if (problem.empty() && source != nullptr && hop->interface != source->index) {
      problem = "the route to " + l3::to_string(server.ip) + " leaves through " +
                interfaces.find(hop->interface)->name + ", not source-interface " + source->name;
    }
    if (!problem.empty()) item_map.required("address").fail(problem);
  }
}

StartupConfig parse_document(const YamlField& root_field) {
  if (root_field.is_null()) root_field.fail("the file is empty");
  const YamlMap root(root_field, {"dataplane", "interfaces", "routes", "clock", "log", "ntp"});
  StartupConfig config;
  config.dataplane = parse_dataplane(root.required("dataplane"));

  const YamlField interfaces = root.required("interfaces");
  for (const YamlField& item : interfaces.as_sequence()) {
    config.interfaces.push_back(parse_interface(item));
  }
  if (config.interfaces.empty()) interfaces.fail("at least one interface is required");
  if (config.interfaces.size() > kMaxInterfaces) {
    interfaces.fail("at most " + std::to_string(kMaxInterfaces) + " interfaces are supported");
  }

  if (auto routes = root.optional("routes"); routes && !routes->is_null()) {
    for (const YamlField& item : routes->as_sequence()) config.routes.push_back(parse_route(item));
  }
  if (auto clock = root.optional("clock")) config.clock = parse_clock(*clock);
  if (auto log = root.optional("log")) config.log = parse_log(*log);
  if (auto ntp = root.optional("ntp")) config.ntp = parse_ntp_section(*ntp);
  check_network(config, root);
  return config;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "error") return LogLevel::kError;
  if (text == "warning") return LogLevel::kWarning;
  if (text == "info") return LogLevel::kInfo;
  if (text == "debug") return LogLevel::kDebug;
  return std::nullopt;
}

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

ConfigResult<StartupConfig> load_startup_config_text(std::string_view text,
                                                     const std::string& file_name) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(file_name, e.mark, "", "invalid YAML: " + e.msg);
  }
  try {
    return parse_document(YamlField(&file_name, document, "", document.Mark()));
  } catch (const YamlReadFailure& failure) {
    return failure.error;
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp accessors on odd documents
    return make_error(file_name, e.mark, "", e.msg);
  }
}

ConfigResult<StartupConfig> load_startup_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError{path, 0, 0, "", "cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ConfigError{path, 0, 0, "", "cannot read the file"};
  return load_startup_config_text(text.str(), path);
}

}  // namespace wiretime::config

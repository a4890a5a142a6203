#include "config/startup/network_spec.hpp"

#include <algorithm>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "dataplane/l3/routing_table.hpp"

namespace wiretime::config {
namespace {

std::optional<l3::IpPrefix> prefix_of(AddressFamily family, const std::string& text, int length) {
  const auto ip = ip_address_of(family, text);
  if (!ip) return std::nullopt;
  return family == AddressFamily::kIpv4 ? l3::IpPrefix::v4(ip->v4, static_cast<uint8_t>(length))
                                        : l3::IpPrefix::v6(ip->v6, static_cast<uint8_t>(length));
}

bool builds(const std::vector<l3::InterfaceSpec>& interfaces, std::string& error) {
  l3::InterfaceTable table;
  error = table.build(interfaces, std::vector<wire::MacAddress>(l3::count_ports(interfaces)));
  return error.empty();
}

}  // namespace

std::optional<wire::IpAddress> ip_address_of(AddressFamily family, const std::string& text) {
  if (family == AddressFamily::kIpv4) {
    const auto v4 = parse_ipv4(text);
    if (!v4) return std::nullopt;
    return wire::IpAddress::from(wire::Ipv4Address::from_host_order(*v4));
  }
  const auto v6 = parse_ipv6(text);
  if (!v6) return std::nullopt;
  wire::Ipv6Address a;
  a.bytes = *v6;
  return wire::IpAddress::from(a);
}

l3::NetworkSpec network_spec(const std::vector<InterfaceSection>& ports, const NtpConfig& running,
                             std::vector<std::string>* warnings) {
  auto warn = [warnings](std::string text) {
    if (warnings != nullptr) warnings->push_back(std::move(text));
  };
  l3::NetworkSpec spec;
  auto settings_of = [&running](const std::string& name, l3::InterfaceSpec& itf) {
    const InterfaceSettings* s = running.find_interface(name);
    if (s == nullptr) return;
    itf.vrf = s->vpn_instance;
    for (const InterfaceAddress& a : s->ipv4) {
      if (auto p = prefix_of(AddressFamily::kIpv4, a.address, a.prefix_length)) {
        itf.addresses.push_back(*p);
      }
    }
    if (s->ipv6_enable) {
      for (const InterfaceAddress& a : s->ipv6) {
        if (auto p = prefix_of(AddressFamily::kIpv6, a.address, a.prefix_length)) {
          itf.addresses.push_back(*p);
        }
      }
    }
  };
  for (const InterfaceSection& port : ports) {
    l3::InterfaceSpec itf;
    itf.name = port.name;
    itf.mac = port.mac;
    settings_of(port.name, itf);
    spec.interfaces.push_back(itf);
  }
  // Sub-interfaces, each kept only when the tables take it.
  for (const InterfaceSettings& s : running.interfaces) {
    const auto sub = split_sub_interface(s.name);
    if (!sub) continue;
    if (!s.dot1q_vid) {
      warn("interface " + s.name + ": no `dot1q termination vid`, it carries no traffic");
      continue;
    }
    l3::InterfaceSpec itf;
    itf.name = s.name;
    itf.parent = sub->parent;
    itf.vlan = static_cast<uint16_t>(*s.dot1q_vid);
    settings_of(s.name, itf);
    spec.interfaces.push_back(itf);
    if (std::string e; !builds(spec.interfaces, e)) {
      warn("interface " + s.name + ": " + e + "; it carries no traffic");
      spec.interfaces.pop_back();
    }
  }
  l3::InterfaceTable interfaces;
  interfaces.build(spec.interfaces,
                   std::vector<wire::MacAddress>(l3::count_ports(spec.interfaces)));
  // Static routes whose next hop the tables cannot resolve stay inactive.
  for (const StaticRoute& r : running.static_routes) {
    l3::StaticRouteSpec route;
    route.vrf = r.vpn_instance;
    const auto prefix = prefix_of(r.family, r.prefix, r.prefix_length);
    const auto hop = ip_address_of(r.family, r.next_hop);
    if (!prefix || !hop) continue;  // the validator's canonical text: not reached
    route.prefix = l3::network_of(*prefix);
    route.next_hop = *hop;
    spec.routes.push_back(route);
    l3::RoutingTable table;
    if (std::string e = table.build(interfaces, spec.routes); !e.empty()) {
      warn("ip route-static " + r.prefix + "/" + std::to_string(r.prefix_length) + " " +
           r.next_hop + (r.vpn_instance.empty() ? "" : " vpn-instance " + r.vpn_instance) +
           ": inactive (" + e + ")");
      spec.routes.pop_back();
    }
  }

  // NTP source interfaces: a server's source-interface, else the interface its route leaves
  // through (the global source interface of its family and VPN when it has none).
  l3::RoutingTable routes;
  routes.build(interfaces, spec.routes);
  auto add = [&spec](const std::string& name) {
    if (std::find(spec.ntp_source_interfaces.begin(), spec.ntp_source_interfaces.end(), name) ==
        spec.ntp_source_interfaces.end()) {
      spec.ntp_source_interfaces.push_back(name);
    }
  };
  for (const Association& a : running.unicast_servers) {
    std::string source = a.source_interface;
    const AddressFamily family =
        a.kind == ServerKind::kIpv6 ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
    for (const SourceInterface& g : running.source_interfaces) {
      if (source.empty() && g.family == family && g.vpn_instance == a.vpn_instance) {
        source = g.interface;
      }
    }
    if (!source.empty()) {
      if (interfaces.find_by_name(source) != nullptr) add(source);
      continue;
    }
    const auto vrf = interfaces.vrf_id(a.vpn_instance);
    const auto ip = a.kind == ServerKind::kDomain ? std::nullopt : ip_address_of(family, a.address);
    if (!vrf || !ip) continue;
    if (const auto hop = routes.lookup(*vrf, *ip)) add(interfaces.find(hop->interface)->name);
  }
  return spec;
}

std::optional<wire::IpAddress> primary_address(const NtpConfig& running,
                                               const std::string& interface, AddressFamily family) {
  const InterfaceSettings* s = running.find_interface(interface);
  if (s == nullptr) return std::nullopt;
  const std::vector<InterfaceAddress>& addresses =
      family == AddressFamily::kIpv4 ? s->ipv4 : s->ipv6;
  if (addresses.empty()) return std::nullopt;
  return ip_address_of(family, addresses.front().address);
}

std::optional<wire::Ipv4Address> primary_ipv4(const NtpConfig& running,
                                              const std::string& interface) {
  const auto a = primary_address(running, interface, AddressFamily::kIpv4);
  if (!a) return std::nullopt;
  return a->v4;
}

}  // namespace wiretime::config

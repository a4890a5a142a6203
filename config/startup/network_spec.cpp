#include "config/startup/network_spec.hpp"

#include <algorithm>

#include "dataplane/l3/routing_table.hpp"

namespace wiretime::config {

l3::NetworkSpec network_spec(const StartupConfig& config) {
  l3::NetworkSpec spec;
  for (const InterfaceSection& itf : config.interfaces) {
    spec.interfaces.push_back(
        {itf.name, itf.parent, itf.vlan, itf.vpn_instance, itf.mac, itf.addresses});
  }
  for (const InterfaceSection& itf : config.interfaces) {
    if (!itf.gateway) continue;
    spec.routes.push_back(
        {itf.vpn_instance, l3::IpPrefix::v4({}, 0),
         wire::IpAddress::from(wire::Ipv4Address::from_host_order(itf.gateway->value)), itf.name});
  }
  spec.routes.insert(spec.routes.end(), config.routes.begin(), config.routes.end());

  // NTP source interfaces: a server's source-interface, else the interface its route leaves
  // through. The loader has checked that these resolve; MACs do not matter for routing.
  l3::InterfaceTable interfaces;
  l3::RoutingTable routes;
  if (!interfaces
           .build(spec.interfaces, std::vector<wire::MacAddress>(l3::count_ports(spec.interfaces)))
           .empty() ||
      !routes.build(interfaces, spec.routes).empty()) {
    return spec;
  }
  auto add = [&spec](const std::string& name) {
    if (std::find(spec.ntp_source_interfaces.begin(), spec.ntp_source_interfaces.end(), name) ==
        spec.ntp_source_interfaces.end()) {
      spec.ntp_source_interfaces.push_back(name);
    }
  };
  for (const UnicastServer& server : config.ntp.unicast_servers) {
    if (!server.source_interface.empty()) {
      add(server.source_interface);
      continue;
    }
    const auto vrf = interfaces.vrf_id(server.vpn_instance);
    if (!vrf) continue;
    if (const auto hop = routes.lookup(*vrf, server.ip)) add(interfaces.find(hop->interface)->name);
  }
  return spec;
}

}  // namespace wiretime::config

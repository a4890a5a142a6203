#include "config/startup/network_spec.hpp"

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
  return spec;
}

}  // namespace wiretime::config

#include "control/daemon/server_specs.hpp"

#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::daemon {

std::vector<ServerSpec> server_specs(const config::NtpSection& ntp) {
  std::vector<ServerSpec> out;
  for (const config::UnicastServer& s : ntp.unicast_servers) {
    ServerSpec spec;
    const bool v6 = s.ip.version == wire::IpVersion::kV6;
    spec.config.address = v6 ? l3::to_string(s.ip) : s.address.to_string();
    spec.config.ipv6 = v6;
    spec.config.vpn_instance = s.vpn_instance;
    spec.config.source_interface = s.source_interface;
    // The dataplane writes NTPv4 requests; the engine's version only labels the association.
    spec.config.version = 4;
    spec.config.port = s.port;
    spec.config.min_poll = s.minpoll;
    spec.config.max_poll = s.maxpoll;
    spec.config.interleaved = s.interleaved;
    spec.peer.address =
        s.ip.version != wire::IpVersion::kNone
            ? s.ip
            : wire::IpAddress::from(wire::Ipv4Address::from_host_order(s.address.value));
    spec.peer.port = s.port;
    out.push_back(spec);
  }
  return out;
}

std::vector<ServerSpec> server_specs(const DaemonConfig& config) {
  std::vector<ServerSpec> out = server_specs(config.startup.ntp);
  for (size_t i = 0; i < out.size() && i < config.server_key_ids.size(); ++i) {
    out[i].config.key_id = config.server_key_ids[i];
  }
  for (const DomainServer& d : config.domain_servers) {
    ServerSpec spec;
    spec.config.address = d.name;
    spec.config.is_domain = true;
    spec.config.version = 4;
    spec.config.port = d.port;
    spec.config.min_poll = d.minpoll;
    spec.config.max_poll = d.maxpoll;
    spec.config.key_id = d.key_id;
    spec.peer.port = d.port;
    out.push_back(spec);
  }
  return out;
}

std::string place_peer(runtime::Peer& peer, const engine::AssociationConfig& config,
                       const l3::InterfaceTable& interfaces) {
  const auto vrf = interfaces.vrf_id(config.vpn_instance);
  if (!vrf) return "vpn-instance '" + config.vpn_instance + "' has no interface";
  uint16_t interface = runtime::kAnyInterface;
  if (!config.source_interface.empty()) {
    const l3::Interface* itf = interfaces.find_by_name(config.source_interface);
    if (itf == nullptr) return "source-interface '" + config.source_interface + "' does not exist";
    if (itf->vrf != *vrf) {
      return "source-interface '" + config.source_interface + "' is not in vpn-instance '" +
             config.vpn_instance + "'";
    }
    interface = itf->index;
  }
  peer.vrf = *vrf;
  peer.interface = interface;
  return {};
}

}  // namespace wiretime::daemon

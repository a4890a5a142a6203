#include "control/daemon/server_specs.hpp"

namespace wiretime::daemon {

std::vector<ServerSpec> server_specs(const config::NtpSection& ntp) {
  std::vector<ServerSpec> out;
  for (const config::UnicastServer& s : ntp.unicast_servers) {
    ServerSpec spec;
    spec.config.address = s.address.to_string();
    // The dataplane writes NTPv4 requests; the engine's version only labels the association.
    spec.config.version = 4;
    spec.config.port = s.port;
    spec.config.min_poll = s.minpoll;
    spec.config.max_poll = s.maxpoll;
    spec.peer.address = wire::IpAddress::from(wire::Ipv4Address::from_host_order(s.address.value));
    spec.peer.port = s.port;
    out.push_back(spec);
  }
  return out;
}

}  // namespace wiretime::daemon

// The associations the start-up YAML asks for, as the control loop takes them.
#pragma once

#include <string>
#include <vector>

#include "config/startup/ntp_section.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/l3/interface_table.hpp"

namespace wiretime::daemon {

struct ServerSpec {
  engine::AssociationConfig config;
  runtime::Peer peer;
};

std::vector<ServerSpec> server_specs(const config::NtpSection& ntp);
// The same with the daemon's extensions: each server's key id, then the domain servers
// (`config.is_domain`, peer address unset until resolved).
std::vector<ServerSpec> server_specs(const DaemonConfig& config);

// Where a server is reached, as a dataplane's tables number it: `peer.vrf` from the
// association's vpn-instance, `peer.interface` from its source-interface (which must be in that
// vpn-instance; none: the route decides). Empty on success, else why not (peer unchanged).
std::string place_peer(runtime::Peer& peer, const engine::AssociationConfig& config,
                       const l3::InterfaceTable& interfaces);

}  // namespace wiretime::daemon

// The associations the start-up YAML asks for, as the control loop takes them.
#pragma once

#include <vector>

#include "config/startup/ntp_section.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

struct ServerSpec {
  engine::AssociationConfig config;
  runtime::Peer peer;
};

std::vector<ServerSpec> server_specs(const config::NtpSection& ntp);
// The same with the daemon's extensions: each server's key id, then the domain servers
// (`config.is_domain`, peer address unset until resolved).
std::vector<ServerSpec> server_specs(const DaemonConfig& config);

}  // namespace wiretime::daemon

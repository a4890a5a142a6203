// The start-up configuration as the dataplane's L3 model wants it: interfaces with their
// VLANs, VRFs and addresses, and the static routes (interface gateways included, as default
// routes in the interface's VRF).
#pragma once

#include "config/startup/startup_config.hpp"
#include "dataplane/l3/interface_table.hpp"

namespace wiretime::config {

l3::NetworkSpec network_spec(const StartupConfig& config);

}  // namespace wiretime::config

// Where an association is reached in a dataplane's tables. Start-up no longer builds
// associations here: the file's running configuration is applied as a commit (MgmtHooks).
#pragma once

#include <string>
#include <vector>

#include "control/runtime/control_loop.hpp"
#include "dataplane/l3/interface_table.hpp"

namespace wiretime::daemon {

// Where a server is reached, as a dataplane's tables number it: `peer.vrf` from the
// association's vpn-instance, `peer.interface` from its source-interface (which must be in that
// vpn-instance; none: the route decides). Empty on success, else why not (peer unchanged).
std::string place_peer(runtime::Peer& peer, const engine::AssociationConfig& config,
                       const l3::InterfaceTable& interfaces);

}  // namespace wiretime::daemon

// Where an association is reached in a dataplane's tables. Start-up no longer builds
// associations here: the file's running configuration is applied as a commit (MgmtHooks).
#pragma once

#include <map>
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

// A VRF id no table has: a server placed there is dropped by the dataplane (no route).
inline constexpr uint16_t kNoVrf = 0xffff;

// place_peer() as a backend's ControlLoop::Placement. A server the tables cannot place goes to
// kNoVrf, and its warning waits for take_warnings(): a commit that adds an interface address
// and a server together places the server before the commit's tables are swapped in, then
// again after them (ControlLoop::place_again), and only a server still without a route then
// is worth a line. A server already without a route is not reported again by later placements.
class DeferredPlacement {
 public:
  void place(runtime::Peer& peer, const engine::AssociationConfig& config,
             const l3::InterfaceTable& interfaces);
  // The warnings held ("server A: why; it has no route"), oldest key first; then forgotten.
  std::vector<std::string> take_warnings();

 private:
  std::map<std::string, std::string> pending_;  // by address and vpn-instance
};

}  // namespace wiretime::daemon

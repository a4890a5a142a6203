// L3 from the CLI, live: after a commit, the dataplane's L3 tables are rebuilt from the running
// configuration's section-12 entries (interface addresses, dot1q sub-interfaces, `ip binding
// vpn-instance`, `ip route-static`) by the function start-up uses (config::network_spec) and
// handed to the backend, which swaps them in without a restart (DPDK:
// dpdk::Dataplane::update_network, an RCU-style pointer swap, dataplane/l3/network_tables.hpp).
// The socket backend routes through the kernel: its `apply` refuses, and the refusal is logged
// on every change, never silently dropped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"
#include "config/startup/startup_config.hpp"
#include "dataplane/l3/interface_table.hpp"

namespace wiretime::daemon {

class L3Publisher {
 public:
  // Error text when the backend cannot take `network` (it then keeps its tables).
  using Apply = std::function<std::string(const l3::NetworkSpec& network)>;
  using Log = std::function<void(const std::string&)>;

  // `ports`: the inventory. `running`: what the backend's tables were built from at start.
  L3Publisher(std::vector<config::InterfaceSection> ports, const config::NtpConfig& running,
              Apply apply, Log info, Log warning);

  // Call after the management socket was serviced. True when new tables were handed over (the
  // caller then places the associations again: their VRF, source interface or route may have
  // changed). Cheap when the section-12 entries did not change.
  bool update(const config::NtpConfig& running);

 private:
  std::vector<config::InterfaceSection> ports_;
  std::vector<config::InterfaceSettings> last_interfaces_;
  std::vector<config::StaticRoute> last_routes_;
  l3::NetworkSpec last_spec_;
  Apply apply_;
  Log info_;
  Log warning_;
};

}  // namespace wiretime::daemon

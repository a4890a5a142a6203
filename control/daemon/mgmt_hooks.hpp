// The daemon's side of the management service (issue 5): what `commit` does to the live
// control loop and what the live displays show. Both backends use it from their poll() thread,
// so it needs no lock of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/mgmt/mgmt_service.hpp"
#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

// The engine's view of a configured server: its settings and where its packets go. Error text
// for what this daemon cannot run (IPv6 servers, symmetric peers).
std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> to_engine(
    const config::Association& association, config::AssociationMode mode);

class MgmtHooks {
 public:
  // Counters only the backend knows (dataplane decode errors), for `display ntp statistics`.
  using InvalidPackets = std::function<uint64_t()>;

  // `running` is what the daemon started with; its servers already in `loop` (added from the
  // start-up YAML) are adopted by address so the first commit keeps them.
  MgmtHooks(runtime::ControlLoop& loop, config::NtpConfig running,
            config::InterfaceInventory inventory, std::function<UnixNanos()> now,
            InvalidPackets invalid_packets = {});

  mgmt::DaemonHooks hooks();

  // All or nothing: every association of the plan is checked before the loop is touched.
  std::optional<std::string> apply(const apply::ApplyPlan& plan,
                                   const config::NtpConfig& candidate);
  display::StatusSnapshot status() const;
  const config::NtpConfig& running() const { return running_; }

 private:
  struct Live {
    config::Association association;
    engine::AssociationId id = 0;
  };
  std::vector<Live>::iterator find(const config::Association& association);

  runtime::ControlLoop& loop_;
  config::NtpConfig running_;
  config::InterfaceInventory inventory_;
  std::function<UnixNanos()> now_;
  InvalidPackets invalid_packets_;
  std::vector<Live> live_;
};

}  // namespace wiretime::daemon

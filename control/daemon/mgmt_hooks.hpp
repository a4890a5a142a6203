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
#include "control/auth/key_table.hpp"
#include "control/engine/engine_globals.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

// The engine's view of a configured server: its settings and where its packets go. Error text
// for what this daemon cannot run (symmetric peers).
std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> to_engine(
    const config::Association& association, config::AssociationMode mode);

class MgmtHooks {
 public:
  // Counters only the backend knows (dataplane decode errors), for `display ntp statistics`.
  using InvalidPackets = std::function<uint64_t()>;
  // The live backend's interfaces, for `display interface brief`.
  using Interfaces = std::function<std::vector<display::InterfaceBrief>()>;

  // `running` is what the daemon started with; its servers already in `loop` (added from the
  // start-up YAML) are adopted by address so the first commit keeps them. `keys` is the table
  // the backend signs and verifies with, holding the start-up key file's keys; commits rebuild
  // it from that file and the configuration's `ntp authentication-keyid` keys (none: the
  // daemon has no authentication, and keys are only saved).
  MgmtHooks(runtime::ControlLoop& loop, config::NtpConfig running,
            config::InterfaceInventory inventory, std::function<UnixNanos()> now,
            InvalidPackets invalid_packets = {}, auth::KeyTable* keys = nullptr,
            Interfaces interfaces = {});

  // Puts the running configuration's global settings and keys into effect (at start-up); error
  // text when they are unusable, and then nothing changed.
  std::optional<std::string> adopt_running_globals();

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
  // What `config` sets globally, checked; error text if the daemon cannot run it.
  struct Globals {
    engine::EngineGlobals engine;
    auth::KeyTable keys;
  };
  std::variant<Globals, std::string> globals_of(const config::NtpConfig& config) const;
  void set_globals(Globals globals);

  runtime::ControlLoop& loop_;
  config::NtpConfig running_;
  config::InterfaceInventory inventory_;
  std::function<UnixNanos()> now_;
  InvalidPackets invalid_packets_;
  Interfaces interfaces_;
  std::vector<Live> live_;
  auth::KeyTable* keys_ = nullptr;
  // The key file's keys as the daemon loaded them at start, and that file's name: a commit
  // naming another key file loads that one.
  auth::KeyTable file_keys_;
  std::string file_keys_path_;
};

}  // namespace wiretime::daemon

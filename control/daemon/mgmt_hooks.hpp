// The daemon's side of the management service (issue 5): what `commit` does to the live
// control loop and what the live displays show. Both backends use it from their poll() thread,
// so it needs no lock of its own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/mgmt/mgmt_service.hpp"
#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"
#include "control/auth/key_table.hpp"
#include "control/daemon/backend_drops.hpp"
#include "control/engine/engine_globals.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

// The engine's view of a configured server: its settings and where its packets go. Error text
// for what this daemon cannot run (symmetric peers).
std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> to_engine(
    const config::Association& association, config::AssociationMode mode);

class MgmtHooks {
 public:
  // NTP packets only the backend saw (its drops and the server's requests), per IP family and
  // per interface, monotonic: for `display ntp statistics packet`.
  using BackendDrops = daemon::BackendDrops;
  using InterfaceName = InterfaceNameOf;
  // The live backend's interfaces, for `display interface brief`.
  using Interfaces = std::function<std::vector<display::InterfaceBrief>()>;

  // Called for every association a commit adds to the loop (start-up's included), so that the
  // backend can log it, give the resolver its port, resolve its next hop.
  using Added = std::function<void(engine::AssociationId, const engine::AssociationConfig&,
                                   const runtime::Peer&)>;

  // What the live backend cannot run: error text for a server (the commit, start-up's
  // included, is then refused), "" when it can.
  using Refuse = std::function<std::string(const engine::AssociationConfig&)>;
  // The same for the NTP server's settings of a candidate configuration.
  using RefuseServer = std::function<std::string(const config::NtpConfig&)>;

  // `running`: what `loop` already runs (the daemon: nothing, then start()). `keys` is the
  // table the backend signs and verifies with, holding the start-up key file's keys; commits
  // rebuild it from that file and the configuration's `ntp authentication-keyid` keys (none:
  // the daemon has no authentication, and keys are only saved).
  MgmtHooks(runtime::ControlLoop& loop, config::NtpConfig running,
            config::InterfaceInventory inventory, std::function<UnixNanos()> now,
            BackendDropCounters backend_counters = {}, auth::KeyTable* keys = nullptr,
            Interfaces interfaces = {}, InterfaceName interface_name = {}, Added added = {});
  ~MgmtHooks();

  // Start-up is a commit (issue 10): `running` (the file's running configuration) is checked
  // by the validator `commit` uses and applied over the running configuration (empty at
  // start) by apply(), as a commit is. Error text when the daemon cannot run it; then nothing
  // changed.
  std::optional<std::string> start(const config::NtpConfig& running);

  mgmt::DaemonHooks hooks();
  // The backend's limits, checked with every commit from now on (before start()).
  void set_refuse(Refuse refuse) { refuse_ = std::move(refuse); }
  void set_refuse_server(RefuseServer refuse) { refuse_server_ = std::move(refuse); }

  // All or nothing: every association of the plan is checked before the loop is touched.
  // The loop's changes are planned here from what runs and what is to run (`plan` says what
  // the configuration changes; `ntp [ipv6] disable` keeps a family's associations configured
  // but not running).
  std::optional<std::string> apply(const apply::ApplyPlan& plan,
                                   const config::NtpConfig& candidate);
  display::StatusSnapshot status() const;
  // `reset ntp statistics packet [ ipv6 ]`: the display counts from now on. The counters
  // underneath stay monotonic (other consumers, e.g. metrics, must never see them go down):
  // the display subtracts the snapshot taken here.
  void reset_packet_statistics(bool ipv4, bool ipv6);
  // `display ntp trace`: walks up from the system peer; `done` gets the text once the walk
  // ends (at once when there is no system peer).
  void trace(std::function<void(std::string)> done);
  const config::NtpConfig& running() const { return running_; }

 private:
  struct Live {
    config::Association association;
    engine::AssociationId id = 0;
  };
  std::vector<Live>::iterator find(const config::Association& association);
  // The statistics of one family as the counters stand, before any reset.
  display::PacketStatistics raw_statistics(const runtime::RuntimeStatus& s,
                                           const BackendCounters& backend, size_t family) const;
  // The same per interface (the server's requests: [0] IPv4, [1] IPv6) and per association.
  struct RawScoped {
    std::map<std::string, std::array<display::PacketStatistics, 2>> interfaces;
    std::map<engine::AssociationId, display::PacketStatistics> peers;
  };
  RawScoped raw_scoped(const runtime::RuntimeStatus& s, const BackendCounters& backend) const;
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
  BackendDropCounters backend_counters_;
  Interfaces interfaces_;
  InterfaceName interface_name_;
  Added added_;
  Refuse refuse_;
  RefuseServer refuse_server_;
  // What `reset ntp statistics packet` subtracts: per family, interface and association.
  struct Baseline {
    std::array<display::PacketStatistics, 2> family{};
    std::map<std::string, std::array<display::PacketStatistics, 2>> interfaces;
    std::map<engine::AssociationId, display::PacketStatistics> peers;
  };
  Baseline baseline_;
  std::array<uint64_t, 2> baseline_drops_{};  // RuntimeCounters::drops at the reset
  std::vector<Live> live_;
  auth::KeyTable* keys_ = nullptr;
  // The key file's keys as the daemon loaded them at start, and that file's name: a commit
  // naming another key file loads that one.
  auth::KeyTable file_keys_;
  std::string file_keys_path_;
};

// What start-up's commit of `running` would meet from a backend's limits (`refuse` and
// `refuse_server`, the rules Backend::refuse and Backend::refuse_server apply at every commit):
// the first refusal, or none. `wiretimed --check-config` asks it without starting the backend.
std::optional<std::string> backend_refusal(const config::NtpConfig& running,
                                           const MgmtHooks::Refuse& refuse,
                                           const MgmtHooks::RefuseServer& refuse_server = {});

}  // namespace wiretime::daemon

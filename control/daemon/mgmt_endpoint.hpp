// The management side of a running daemon: running file (the daemon's YAML), hooks on the
// live control loop, service and non-blocking server, set up in one call by either backend.
// Opening it is start-up's commit: the file's running configuration (parsed once, by
// config/startup) is applied to the empty loop through the path every `commit` takes.
#pragma once

#include <poll.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config/display/interface_brief.hpp"
#include "control/auth/key_table.hpp"
#include "control/daemon/backend_drops.hpp"
#include "control/daemon/mgmt_hooks.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::config {
struct NtpConfig;
struct StartupConfig;
}  // namespace wiretime::config

namespace wiretime::daemon {

class MgmtEndpoint {
 public:
  // Error text (the daemon refuses to start) when the running file cannot be opened, the
  // start-up commit of `startup.running` fails (the daemon cannot run it, e.g. keys missing
  // from the key file), or the socket cannot be bound. `socket_path` empty: no socket (the
  // configuration is still applied). `added`: see MgmtHooks::Added. `keys`:
  // the table the backend signs and verifies with (loaded from the key file); commits update
  // it. Without one, authentication keys are only saved to the running file. `interfaces`:
  // the backend's live interfaces for `display interface brief` (none: an empty list).
  // `refuse`, `refuse_server`: what the backend cannot run (MgmtHooks::set_refuse,
  // set_refuse_server). `drops`: the backend's own
  // NTP drop counters, `interface_name`: names of the interface
  // indices replies arrive on (`display ntp statistics packet`, `... sessions verbose`).
  static std::variant<std::unique_ptr<MgmtEndpoint>, std::string> open(
      runtime::ControlLoop& loop, const config::StartupConfig& startup,
      const std::string& config_path, const std::string& socket_path,
      std::function<UnixNanos()> now, auth::KeyTable* keys = nullptr,
      std::function<std::vector<display::InterfaceBrief>()> interfaces = {},
      BackendDropCounters drops = {}, InterfaceNameOf interface_name = {},
      std::function<void(engine::AssociationId, const engine::AssociationConfig&,
                         const runtime::Peer&)>
          added = {},
      MgmtHooks::Refuse refuse = {}, MgmtHooks::RefuseServer refuse_server = {});
  ~MgmtEndpoint();

  void fill_pollfds(std::vector<pollfd>& fds) const;
  void service(const pollfd* fds, size_t count);
  const std::string& path() const;  // empty: no socket
  // The running configuration (as committed), for the NTP server's publisher.
  const config::NtpConfig& running() const;

 private:
  struct Parts;
  explicit MgmtEndpoint(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace wiretime::daemon

// The management socket of a running daemon: running file (the daemon's YAML), hooks on the
// live control loop, service and non-blocking server, set up in one call by either backend.
// Opaque, because the backends also include the start-up loader, whose ConfigError clashes
// with the interactive configuration's.
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
#include "control/runtime/control_loop.hpp"

namespace wiretime::config {
struct NtpConfig;
}

namespace wiretime::daemon {

class MgmtEndpoint {
 public:
  // Error text (the daemon refuses to start) when the running file cannot be opened or
  // decoded, its global settings or keys are unusable, or the socket cannot be bound. `keys`:
  // the table the backend signs and verifies with (loaded from the key file); commits update
  // it. Without one, authentication keys are only saved to the running file. `interfaces`:
  // the backend's live interfaces for `display interface brief` (none: an empty list).
  // `drops`: the backend's own NTP drop counters, `interface_name`: names of the interface
  // indices replies arrive on (`display ntp statistics packet`, `... sessions verbose`).
  static std::variant<std::unique_ptr<MgmtEndpoint>, std::string> open(
      runtime::ControlLoop& loop, const std::string& config_path, const std::string& socket_path,
      std::function<UnixNanos()> now, auth::KeyTable* keys = nullptr,
      std::function<std::vector<display::InterfaceBrief>()> interfaces = {},
      BackendDropCounters drops = {}, InterfaceNameOf interface_name = {});
  ~MgmtEndpoint();

  void fill_pollfds(std::vector<pollfd>& fds) const;
  void service(const pollfd* fds, size_t count);
  const std::string& path() const;
  // The running configuration (as committed), for the NTP server's publisher.
  const config::NtpConfig& running() const;

 private:
  struct Parts;
  explicit MgmtEndpoint(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace wiretime::daemon

// The control side of the NTP server: what the dataplane's server stage answers with
// (dataplane/server/server_state.hpp), from the engine's system variables, `ntp refclock-master`
// and the committed `ntp [ipv6] server ...` configuration (vrp-ntp-cli.md sections 6.4-6.6).
// The backend calls publish() from its control loop; the lcore reads it lock-free.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"
#include "control/engine/status.hpp"
#include "dataplane/l3/interface_table.hpp"
#include "dataplane/server/access_control.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::daemon {

// Where the server listens: the family switches (`ntp [ipv6] server disable`, `ntp [ipv6]
// disable`), the IPv4 listening interfaces (by their index in `interfaces`) and the IPv6
// listening addresses (with their VRF), and the physic-isolate (interface, address) pairs.
// Names the table does not have are reported in `problems` (one line each) and skipped.
server::ServerListen server_listen(const config::NtpConfig& config,
                                   const l3::InterfaceTable& interfaces,
                                   std::vector<std::string>* problems = nullptr);

// The access and rate-control tables (`ntp access`, the ACLs they name, `ntp discard`, `ntp
// kod-enable`) compiled for dataplane/server/access_control.hpp. A referenced ACL that does not
// exist compiles to an empty table (denies), reported in `problems` like rules past 64.
server::AccessTables compile_access(const config::NtpConfig& config,
                                    std::vector<std::string>* problems = nullptr);

// The system variables a reply carries. Synchronised: the engine's. Not synchronised, or
// synchronised to a server no better than the `ntp refclock-master` stratum: the local clock
// as a stratum-N source (leap 0, reference id the refclock address, root delay and dispersion
// 0, reference time `now`). Otherwise unsynchronised: leap 3, stratum 16.
server::ServerClockState server_clock_state(const config::NtpConfig& config,
                                            const engine::SystemStatus& system, NtpTimestamp now);

// True when the local reference clock is what the server offers (the case above).
bool serving_local_clock(const config::NtpConfig& config, const engine::SystemStatus& system);

// Publishes both parts to the dataplane from a backend's control loop, at most every
// kPeriodNs (the root dispersion grows by 15 us/s: 100 ms keeps it current to 1.5 us) and at
// once when the configuration changed. Logs (through `log`) what the listening set became.
class ServerPublisher {
 public:
  static constexpr int64_t kPeriodNs = 100'000'000;
  ServerPublisher(server::PublishedServer& out, const l3::InterfaceTable& interfaces,
                  std::function<void(const std::string&)> log);

  bool due(int64_t monotonic_ns, const config::NtpConfig& config) const {
    return monotonic_ns >= next_ns_ || !last_config_ || !(config == *last_config_);
  }
  void publish(int64_t monotonic_ns, const config::NtpConfig& config,
               const engine::SystemStatus& system, NtpTimestamp now);
  // Also publish compile_access() there whenever the configuration changes.
  void publish_access_to(server::PublishedAccess* out) { access_out_ = out; }

 private:
  server::PublishedServer& out_;
  server::PublishedAccess* access_out_ = nullptr;
  const l3::InterfaceTable& interfaces_;
  std::function<void(const std::string&)> log_;
  std::optional<config::NtpConfig> last_config_;
  server::ServerListen listen_;
  int64_t next_ns_ = 0;
  bool was_local_ = false;
};

}  // namespace wiretime::daemon

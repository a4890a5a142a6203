// The NTP server of the kernel-socket backend: a UDP socket on port 123 of the backend's
// interface address, answered with the dataplane's pure stage (dataplane/server) from the same
// published state, T2 from the kernel's RX stamp, T3 read right before sendto. Opened while the
// committed configuration has the IPv4 server enabled and listening on this interface, closed
// otherwise (so port 123 is free when the server is off).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/ntp_config/ntp_config.hpp"
#include "control/daemon/daemon_log.hpp"
#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

class SocketServer {
 public:
  SocketServer(const DaemonLog& log, wire::IpAddress local, std::string interface_name);

  // Opens or closes the socket as `config` asks.
  void configure(const config::NtpConfig& config);
  int fd() const { return socket_ ? socket_->fd() : -1; }
  // Authentication keys (server_keys.hpp); without them a request with a MAC is refused.
  void attach_keys(server::ServerKeyPublisher* keys) {
    keys_ = keys;
    keys_reader_ = keys != nullptr ? keys->register_reader() : 0;
  }

  // Answers every waiting request and empties the socket's TX-stamp error queue (call on
  // POLLIN or POLLERR). `to_ntp` maps a CLOCK_REALTIME kernel stamp to the served
  // clock; `now` reads the served clock (T3).
  void serve_all(const server::ServerClockState& state,
                 const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                 const std::function<NtpTimestamp()>& now);

  uint64_t count(server::ServeOutcome o) const { return counts_[static_cast<size_t>(o)]; }
  uint64_t authenticated() const { return authenticated_; }  // served with a signed reply
  uint64_t auth_failures(server::AuthFailure f) const { return auth_.failures(f); }
  std::string summary() const;

 private:
  const DaemonLog& log_;
  wire::IpAddress local_;
  std::string interface_name_;
  std::unique_ptr<socket::UdpSocket> socket_;
  std::array<uint64_t, server::kServeOutcomeCount> counts_{};
  uint64_t authenticated_ = 0;
  server::ServerKeyPublisher* keys_ = nullptr;
  size_t keys_reader_ = 0;
  server::ServerAuth auth_;
};

// Whether `config` has this interface's IPv4 server on (enabled and listening).
bool socket_server_wanted(const config::NtpConfig& config, const std::string& interface_name);

}  // namespace wiretime::daemon

// The NTP server of the kernel-socket backend: UDP sockets on port 123, answered with the
// dataplane's pure stage (dataplane/server) from the same published state, T2 from the kernel's
// RX stamp, T3 read right before sendto. IPv4: one socket on the backend's interface address,
// open while the committed configuration has the IPv4 server enabled and listening on this
// interface. IPv6: one socket per `ntp ipv6 server source-address` of the public network (the
// socket backend has no VRFs), or per IPv6 address of the interface with `ntp ipv6 server
// source-interface all enable`, open while the IPv6 server is enabled. Closed otherwise, so
// port 123 is free when the server is off. Interleaved mode (RFC 9769) as on DPDK, the saved TX
// time being the kernel's transmit stamp of the reply (the socket's error queue).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <poll.h>

#include "config/ntp_config/ntp_config.hpp"
#include "control/daemon/daemon_log.hpp"
#include "control/daemon/tx_stamp_matcher.hpp"
#include "dataplane/server/access_control.hpp"
#include "dataplane/server/interleaved_store.hpp"
#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/server/stamp_lag.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

class SocketServer {
 public:
  // `ipv6_local`: the interface's IPv6 addresses (what `source-interface all` listens on).
  // `interleaved_entries`: the interleaved-mode store's size (InterleavedStore; 0: basic only);
  // `rate_limit_entries`: the size of the per-address rate table (`dataplane.rate-limit-entries`).
  SocketServer(const DaemonLog& log, wire::IpAddress local, std::string interface_name,
               std::vector<wire::IpAddress> ipv6_local = {},
               size_t interleaved_entries = server::InterleavedStore::kDefaultEntries,
               size_t rate_limit_entries = server::RateLimiter::kDefaultEntries);

  // Opens or closes the sockets as `config` asks.
  void configure(const config::NtpConfig& config);
  // The per-address rate table as allocated.
  size_t rate_table_entries() const { return access_.limiter().capacity(); }
  // The IPv4 socket's descriptor, -1 while closed.
  int fd() const { return socket_ ? socket_->fd() : -1; }
  // Appends one pollfd per open socket (POLLIN); returns how many.
  size_t fill_pollfds(std::vector<pollfd>& fds) const;
  // Authentication keys (server_keys.hpp); without them a request with a MAC is refused.
  void attach_keys(server::ServerKeyPublisher* keys) {
    keys_ = keys;
    keys_reader_ = keys != nullptr ? keys->register_reader() : 0;
  }

  // Answers every waiting request and empties the sockets' TX-stamp error queues (call on
  // POLLIN or POLLERR). `to_ntp` maps a CLOCK_REALTIME kernel stamp to the served
  // clock; `now` reads the served clock (T3).
  void serve_all(const server::ServerClockState& state,
                 const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                 const std::function<NtpTimestamp()>& now);

  uint64_t count(server::ServeOutcome o) const { return counts_[static_cast<size_t>(o)]; }
  // Per family: [0] IPv4, [1] IPv6.
  uint64_t count(server::ServeOutcome o, bool ipv6) const {
    return family_counts_[ipv6 ? 1 : 0][static_cast<size_t>(o)];
  }
  uint64_t authenticated() const { return authenticated_; }  // served with a signed reply
  uint64_t auth_failures(server::AuthFailure f) const { return auth_.failures(f); }
  std::string summary() const;

 private:
  struct Ipv6Socket {
    wire::IpAddress address;
    std::unique_ptr<socket::UdpSocket> socket;
    TxStampMatcher stamps;
  };
  // `stamps` pairs the socket's transmit stamps with the replies (by their T2).
  void serve_socket(socket::UdpSocket& s, TxStampMatcher& stamps, bool ipv6,
                    const server::ServerClockState& state,
                    const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                    const std::function<NtpTimestamp()>& now);
  void configure_ipv6(const config::NtpConfig& config);

  const DaemonLog& log_;
  wire::IpAddress local_;
  std::string interface_name_;
  std::vector<wire::IpAddress> ipv6_local_;
  std::unique_ptr<socket::UdpSocket> socket_;
  TxStampMatcher stamps_;
  // RX -> kernel TX time of recent replies, shared by the sockets (T2 is one clock).
  server::InterleavedStore interleaved_;
  // The time from the T3 read to the kernel's TX stamp of the reply: T3 is advanced by its mean.
  server::StampLag tx_lag_;
  std::vector<Ipv6Socket> ipv6_sockets_;
  // The last address that could not be opened: not retried until the wanted set changes.
  wire::IpAddress failed_ipv6_;
  std::vector<wire::IpAddress> last_ipv6_wanted_;
  std::array<uint64_t, server::kServeOutcomeCount> counts_{};
  // Access and rate control, recompiled when the configuration changes (server_publisher.hpp).
  server::AccessGate access_;
  std::optional<config::NtpConfig> access_config_;
  std::array<std::array<uint64_t, server::kServeOutcomeCount>, 2> family_counts_{};
  uint64_t authenticated_ = 0;
  server::ServerKeyPublisher* keys_ = nullptr;
  size_t keys_reader_ = 0;
  server::ServerAuth auth_;
};

// Whether `config` has this interface's IPv4 server on (enabled and listening).
bool socket_server_wanted(const config::NtpConfig& config, const std::string& interface_name);

// The IPv6 addresses `config` has the socket backend listen on: none while the IPv6 server is
// disabled; with `source-interface all enable`, `interface_addresses`; else the public
// network's `ntp ipv6 server source-address` entries (other VPNs do not exist here).
std::vector<wire::IpAddress> socket_server_ipv6_wanted(
    const config::NtpConfig& config, const std::vector<wire::IpAddress>& interface_addresses);

// What the socket backend's server cannot do, as commit refusal text ("" when it can). Physical
// isolation answers an address only on the interface a request came in on; the kernel's weak
// host model takes a datagram to any local address on any interface and these sockets are not
// bound to a device, so `physic-isolate` is refused rather than answered where it was isolated.
std::string socket_server_refusal(const config::NtpConfig& config);

}  // namespace wiretime::daemon

// The control loop's Transport over kernel UDP sockets. It only moves bytes: requests come
// built and signed from the loop (runtime::OutgoingRequest) and go out with sendto; what comes
// back is handed to the backend as runtime::TransportEvents for ControlLoop::deliver: T1 from
// the kernel's transmit timestamp (error queue, tx_stamp_matcher.hpp) or, where there is none,
// from the CLOCK_REALTIME read right before sendto, and replies with their kernel receive
// timestamps and whole payload (the loop verifies MACs). Times are ticks of the loop's clock.
//
// Requests leave from one socket per local address (`source-interface`, IPv4 and IPv6): the
// default socket the backend opened, plus those the routes (set_routes) bind. A peer's route
// is its placement's interface (Peer::interface) and its address family.
#pragma once

#include <poll.h>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "control/daemon/tx_stamp_matcher.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

// Requests to peers placed on `interface` (runtime::kAnyInterface: no source interface) in
// `local`'s family leave from `local`.
struct SourceRoute {
  uint16_t interface = runtime::kAnyInterface;
  wire::IpAddress local;
  bool operator==(const SourceRoute&) const = default;
};

class SocketTransport final : public runtime::Transport {
 public:
  // Converts a CLOCK_REALTIME stamp to a tick of the loop's clock.
  using ToTicks = std::function<uint64_t(UnixNanos)>;

  // `default_socket` (the caller's, open) carries requests of IPv4 peers without a source
  // interface until set_routes says otherwise.
  SocketTransport(socket::UdpSocket& default_socket, ToTicks to_ticks);

  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override;
  // Rebinds every socket to `port` (none: an ephemeral one), all or none. Requests in flight
  // are reported with their T1 first; their replies, sent to the old port, are lost like any
  // lost packet.
  std::optional<std::string> set_source_port(std::optional<uint16_t> port) override;
  // The routes from now on: a socket is opened (at the source port) for each local address
  // they name and closed when no route names it any more (the default socket stays). A route
  // whose address cannot be bound is dropped, its requests are not sent; returns one line per
  // such address, naming it and the error.
  std::vector<std::string> set_routes(const std::vector<SourceRoute>& routes);
  // Reads the transmit timestamps the kernel has queued (they come out of next()).
  void drain_transmit_timestamps();
  // The next event: T1 reports first, then each waiting datagram's reply (its payload valid
  // until the following call; `from.interface`: the route that opened its socket). False when
  // nothing waits.
  bool next(runtime::TransportEvent& out);
  // One pollfd per socket (POLLIN); returns how many were added.
  size_t fill_pollfds(std::vector<pollfd>& fds) const;

  uint64_t fallback_t1() const { return fallback_t1_; }
  uint64_t kernel_t1() const { return kernel_t1_; }
  // Datagrams that were no NTP time packet, per family (0: IPv4, 1: IPv6) and in all.
  uint64_t undecodable(size_t family) const { return undecodable_[family]; }
  uint64_t undecodable() const { return undecodable_[0] + undecodable_[1]; }

 private:
  // One local address: its socket and the requests it sent whose T1 is still to come.
  struct Channel {
    wire::IpAddress local;
    // The placement number of the route that opened it: replies on it arrived there.
    uint16_t interface = runtime::kAnyInterface;
    socket::UdpSocket* socket = nullptr;
    std::unique_ptr<socket::UdpSocket> owned;  // null for the default socket
    TxStampMatcher stamps;
  };

  Channel* channel_of(const runtime::Peer& peer);
  // Reports the still-pending requests with their fallback T1 (a reply must not overtake them).
  void flush_pending();
  void flush_pending(Channel& channel);
  void transmitted(NtpTimestamp cookie, UnixNanos realtime);

  ToTicks to_ticks_;
  std::vector<Channel> channels_;  // [0]: the default socket
  std::vector<SourceRoute> routes_;
  std::optional<uint16_t> source_port_;
  std::deque<runtime::TransportEvent> t1_events_;
  std::array<uint8_t, 1024> buffer_{};
  uint64_t fallback_t1_ = 0;
  uint64_t kernel_t1_ = 0;
  std::array<uint64_t, 2> undecodable_{};
};

}  // namespace wiretime::daemon

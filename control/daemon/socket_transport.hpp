// The control loop's Transport over a kernel UDP socket. It only moves bytes: requests come
// built and signed from the loop (runtime::OutgoingRequest) and go out with sendto; what comes
// back is handed to the backend as runtime::TransportEvents for ControlLoop::deliver: T1 from
// the kernel's transmit timestamp (error queue, tx_stamp_matcher.hpp) or, where there is none,
// from the CLOCK_REALTIME read right before sendto, and replies with their kernel receive
// timestamps and whole payload (the loop verifies MACs). Times are ticks of the loop's clock.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>

#include "control/daemon/tx_stamp_matcher.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

class SocketTransport final : public runtime::Transport {
 public:
  // Converts a CLOCK_REALTIME stamp to a tick of the loop's clock.
  using ToTicks = std::function<uint64_t(UnixNanos)>;

  SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks);

  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override;
  // Rebinds the socket to `port` (none: an ephemeral one). Requests in flight are reported
  // with their T1 first; their replies, sent to the old port, are lost like any lost packet.
  std::optional<std::string> set_source_port(std::optional<uint16_t> port) override;
  // Reads the transmit timestamps the kernel has queued (they come out of next()).
  void drain_transmit_timestamps();
  // The next event: T1 reports first, then each waiting datagram's reply (its payload valid
  // until the following call). False when nothing waits.
  bool next(runtime::TransportEvent& out);

  uint64_t fallback_t1() const { return fallback_t1_; }
  uint64_t kernel_t1() const { return kernel_t1_; }
  uint64_t undecodable() const { return undecodable_; }

 private:
  // Reports the still-pending requests with their fallback T1 (a reply must not overtake them).
  void flush_pending();
  void transmitted(NtpTimestamp cookie, UnixNanos realtime);

  socket::UdpSocket& socket_;
  ToTicks to_ticks_;
  TxStampMatcher stamps_;
  std::deque<runtime::TransportEvent> t1_events_;
  std::array<uint8_t, 1024> buffer_{};
  uint64_t fallback_t1_ = 0;
  uint64_t kernel_t1_ = 0;
  uint64_t undecodable_ = 0;
};

}  // namespace wiretime::daemon

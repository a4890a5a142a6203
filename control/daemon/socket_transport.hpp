// The control loop's Transport over a kernel UDP socket: encodes the mode-3 request, sends it
// with sendto, and reports T1 from the kernel's transmit timestamp (error queue) or, where
// there is none, from the CLOCK_REALTIME read right before sendto. Replies are read with their
// kernel receive timestamps. Times are handed to the loop as ticks of its clock.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "control/runtime/control_loop.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

class SocketTransport final : public runtime::Transport {
 public:
  // Converts a CLOCK_REALTIME stamp to a tick of the loop's clock.
  using ToTicks = std::function<uint64_t(UnixNanos)>;

  SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks);
  void attach(runtime::ControlLoop& loop) { loop_ = &loop; }

  bool send_request(const runtime::Peer& peer, const engine::SendRequest& request) override;
  // Reports the transmit timestamps the kernel has queued.
  void drain_transmit_timestamps();
  // Reads every waiting datagram and hands the NTP replies to the loop.
  void receive_all();

  uint64_t fallback_t1() const { return fallback_t1_; }
  uint64_t kernel_t1() const { return kernel_t1_; }
  uint64_t undecodable() const { return undecodable_; }

 private:
  struct Pending {
    uint32_t id = 0;
    NtpTimestamp cookie;
    UnixNanos before = 0;
  };
  // Reports the still-pending requests with their fallback T1 (a reply must not overtake them).
  void flush_pending();

  socket::UdpSocket& socket_;
  ToTicks to_ticks_;
  runtime::ControlLoop* loop_ = nullptr;
  std::vector<Pending> pending_;
  uint64_t fallback_t1_ = 0;
  uint64_t kernel_t1_ = 0;
  uint64_t undecodable_ = 0;
};

}  // namespace wiretime::daemon

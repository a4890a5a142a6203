// The control loop's Transport over a kernel UDP socket: encodes the mode-3 request, sends it
// with sendto, and reports T1 from the kernel's transmit timestamp (error queue) or, where
// there is none, from the CLOCK_REALTIME read right before sendto. Replies are read with their
// kernel receive timestamps. Times are handed to the loop as ticks of its clock.
// Authentication: a request of an association with a key carries the MAC (chrony's legacy
// trailer); a reply from such an association is verified against that key and the verdict goes
// to the loop as the engine's AuthStatus (the loop counts the failures; here they are counted
// by reason).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "control/auth/ntp_mac.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {

class SocketTransport final : public runtime::Transport {
 public:
  // Converts a CLOCK_REALTIME stamp to a tick of the loop's clock.
  using ToTicks = std::function<uint64_t(UnixNanos)>;

  // `keys`: the key table requests are signed and replies verified with (null: none).
  SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks,
                  const auth::KeyTable* keys = nullptr);
  void attach(runtime::ControlLoop& loop) { loop_ = &loop; }

  bool send_request(const runtime::Peer& peer, const engine::SendRequest& request) override;
  // Reports the transmit timestamps the kernel has queued.
  void drain_transmit_timestamps();
  // Reads every waiting datagram and hands the NTP replies to the loop.
  void receive_all();

  uint64_t fallback_t1() const { return fallback_t1_; }
  uint64_t kernel_t1() const { return kernel_t1_; }
  uint64_t undecodable() const { return undecodable_; }
  // Replies of keyed associations by verdict (kOk included), and requests left unsent because
  // they could not be signed.
  uint64_t verdicts(auth::MacVerdict v) const { return verdicts_[static_cast<size_t>(v)]; }
  uint64_t sign_failures() const { return sign_failures_; }

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
  const auth::KeyTable* keys_;
  runtime::ControlLoop* loop_ = nullptr;
  std::vector<Pending> pending_;
  uint64_t fallback_t1_ = 0;
  uint64_t kernel_t1_ = 0;
  uint64_t undecodable_ = 0;
  std::array<uint64_t, static_cast<size_t>(auth::MacVerdict::kCount)> verdicts_{};
  uint64_t sign_failures_ = 0;
};

}  // namespace wiretime::daemon

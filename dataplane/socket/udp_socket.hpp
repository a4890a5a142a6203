// A plain UDP socket for the kernel-socket backend: created as socket(AF_INET[6], SOCK_DGRAM, 0)
// with flags set afterwards by fcntl (simulators interpose exactly these calls), I/O only
// through sendto and recvmsg. Receive timestamps come from the kernel (SO_TIMESTAMPING
// software, else SO_TIMESTAMPNS); transmit timestamps from the error queue where the kernel
// provides them, else the caller keeps the CLOCK_REALTIME read taken right before sendto.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::socket {

struct ReceivedDatagram {
  size_t length = 0;
  wire::IpAddress from;
  uint16_t from_port = 0;
  UnixNanos rx_realtime = 0;  // CLOCK_REALTIME at reception
  bool kernel_stamp = false;  // false: no kernel stamp, rx_realtime was read after recvmsg
};

// One transmit timestamp from the error queue. The kernel names the datagram two ways: the
// SOF_TIMESTAMPING_OPT_ID key (a per-socket datagram counter: 0 for the first datagram on a
// kernel, but an interposing simulator may start it anywhere), and the looped-back packet
// itself (headers and payload; empty where the kernel withholds data). Matching is the
// caller's (control/daemon/tx_stamp_matcher.hpp).
struct TxTimestamp {
  bool has_key = false;
  uint32_t key = 0;
  UnixNanos realtime = 0;
  size_t length = 0;  // bytes of `data` (the packet as looped back, possibly truncated)
  std::array<uint8_t, 256> data{};
};

class UdpSocket {
 public:
  UdpSocket() = default;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket();

  // Binds to `local` (and `port`, 0 for an ephemeral one). Empty string on success. An IPv6
  // socket is IPv6 only: `::` then leaves the IPv4 port free for an IPv4 socket.
  std::string open(const wire::IpAddress& local, uint16_t port);
  // Binds a fresh socket to the same address and `port` (0: ephemeral) and, once that
  // worked, closes the old one. Empty string on success; on failure the old socket stays.
  std::string rebind(uint16_t port);
  int fd() const { return fd_; }
  const wire::IpAddress& local() const { return local_; }
  uint16_t local_port() const { return local_port_; }
  bool tx_timestamps() const { return tx_timestamps_; }

  // Sends `payload`; returns the datagram's sequence number (0 for the first datagram sent),
  // or nullopt. `before` gets CLOCK_REALTIME read right before sendto (the fallback T1).
  std::optional<uint32_t> send(const wire::IpAddress& to, uint16_t port,
                               std::span<const uint8_t> payload, UnixNanos& before);
  // Non-blocking; false when nothing is waiting.
  bool receive(std::span<uint8_t> buffer, ReceivedDatagram& out);
  // Non-blocking read of one transmit timestamp from the error queue; false when none.
  bool read_tx_timestamp(TxTimestamp& out);

 private:
  int fd_ = -1;
  wire::IpAddress local_;
  uint16_t local_port_ = 0;
  bool tx_timestamps_ = false;
  bool kernel_rx_ = false;
  uint32_t next_id_ = 0;
};

}  // namespace wiretime::socket

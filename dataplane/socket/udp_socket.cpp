#include "dataplane/socket/udp_socket.hpp"

#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "dataplane/socket/kernel_clock.hpp"
#include "dataplane/socket/socket_address.hpp"

namespace wiretime::socket {
namespace {

UnixNanos to_nanos(const timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string failure(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// The software stamp of an SCM_TIMESTAMPING or SCM_TIMESTAMPNS control message, if any.
bool find_stamp(msghdr& msg, UnixNanos& out) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_TIMESTAMPING) {
      scm_timestamping ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      if (ts.ts[0].tv_sec != 0 || ts.ts[0].tv_nsec != 0) {
        out = to_nanos(ts.ts[0]);
        return true;
      }
    } else if (c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts{};
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      out = to_nanos(ts);
      return true;
    }
  }
  return false;
}

}  // namespace

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) close(fd_);
}

std::string UdpSocket::open(const wire::IpAddress& local, uint16_t port) {
  const int family = local.version == wire::IpVersion::kV6 ? AF_INET6 : AF_INET;
  // Plain type, flags afterwards: simulators interpose socket() and may not know SOCK_NONBLOCK.
  fd_ = ::socket(family, SOCK_DGRAM, 0);
  if (fd_ < 0) return failure("socket");
  const int flags = fcntl(fd_, F_GETFL, 0);
  if (flags < 0 || fcntl(fd_, F_SETFL, flags | O_NONBLOCK) < 0) return failure("fcntl");
  if (family == AF_INET6) {
    const int only = 1;
    if (setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only) < 0) {
      return failure("IPV6_V6ONLY");
    }
  }

  // No OPT_TSONLY: the error queue loops the packet back, so a stamp is matched by the cookie
  // it carries; the OPT_ID key is the fallback where the data is withheld.
  const int stamping = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
                       SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID;
  if (setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPING, &stamping, sizeof stamping) == 0) {
    kernel_rx_ = true;
    tx_timestamps_ = true;
  } else {
    const int on = 1;
    kernel_rx_ = setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
  }

  const SocketAddress address = to_sockaddr(local, port);
  if (bind(fd_, address.get(), address.length) < 0) return failure("bind");
  local_ = local;
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length) == 0) {
    wire::IpAddress ignored;
    from_sockaddr(bound, ignored, local_port_);
  }
  return "";
}

std::string UdpSocket::rebind(uint16_t port) {
  UdpSocket fresh;
  if (std::string e = fresh.open(local_, port); !e.empty()) return e;
  std::swap(fd_, fresh.fd_);  // `fresh` closes the old one
  local_port_ = fresh.local_port_;
  tx_timestamps_ = fresh.tx_timestamps_;
  kernel_rx_ = fresh.kernel_rx_;
  next_id_ = 0;
  return "";
}

std::optional<uint32_t> UdpSocket::send(const wire::IpAddress& to, uint16_t port,
                                        std::span<const uint8_t> payload, UnixNanos& before) {
  const SocketAddress address = to_sockaddr(to, port);
  before = realtime_ns();
  const ssize_t n = sendto(fd_, payload.data(), payload.size(), 0, address.get(), address.length);
  if (n != static_cast<ssize_t>(payload.size())) return std::nullopt;
  return next_id_++;
}

bool UdpSocket::receive(std::span<uint8_t> buffer, ReceivedDatagram& out) {
  sockaddr_storage from{};
  iovec iov{buffer.data(), buffer.size()};
  alignas(cmsghdr) char control[256];
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  const ssize_t n = recvmsg(fd_, &msg, 0);
  if (n < 0) return false;
  out.length = static_cast<size_t>(n);
  if (!from_sockaddr(from, out.from, out.from_port)) return receive(buffer, out);
  out.kernel_stamp = kernel_rx_ && find_stamp(msg, out.rx_realtime);
  if (!out.kernel_stamp) out.rx_realtime = realtime_ns();
  return true;
}

bool UdpSocket::read_tx_timestamp(TxTimestamp& out) {
  if (!tx_timestamps_) return false;
  alignas(cmsghdr) char control[256];
  iovec iov{out.data.data(), out.data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  const ssize_t n = recvmsg(fd_, &msg, MSG_ERRQUEUE);
  if (n < 0) return false;
  // The kernel marks error-queue messages; anything else (an interposed recvmsg that ignores
  // the flag and returns a datagram or nothing) is not a TX stamp.
  if ((msg.msg_flags & MSG_ERRQUEUE) == 0) return false;
  out.length = std::min(static_cast<size_t>(n), out.data.size());
  out.has_key = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if ((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
        (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
      sock_extended_err err{};
      std::memcpy(&err, CMSG_DATA(c), sizeof err);
      if (err.ee_origin == SO_EE_ORIGIN_TIMESTAMPING) {
        out.key = err.ee_data;
        out.has_key = true;
      }
    }
  }
  // A stamp the caller cannot match (neither key nor data) is still consumed: reading on
  // finds the next one.
  return find_stamp(msg, out.realtime) && (out.has_key || out.length > 0);
}

}  // namespace wiretime::socket

#include "dataplane/socket/packet_tap.hpp"

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>

#include "dataplane/socket/packet_socket.hpp"

namespace wiretime::socket {
namespace {

// Accepts UDP over IPv4 or IPv6 (no extension headers), and any 802.1Q/802.1ad-tagged frame
// (the kernel usually strips the tag into metadata before the filter runs).
constexpr std::array<sock_filter, 11> kUdpOnly{{
    {BPF_LD | BPF_H | BPF_ABS, 0, 0, 12},       // 0: ethertype
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x0800},  // 1: IPv4 -> 2, else 4
    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 23},       // 2: IPv4 protocol
    {BPF_JMP | BPF_JEQ | BPF_K, 5, 6, 17},      // 3: UDP -> accept, else drop
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x86dd},  // 4: IPv6 -> 5, else 7
    {BPF_LD | BPF_B | BPF_ABS, 0, 0, 20},       // 5: IPv6 next header
    {BPF_JMP | BPF_JEQ | BPF_K, 2, 3, 17},      // 6: UDP -> accept, else drop
    {BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0x8100},  // 7: 802.1Q -> accept
    {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0x88a8},  // 8: 802.1ad -> accept, else drop
    {BPF_RET | BPF_K, 0, 0, 0xffff},            // 9: accept
    {BPF_RET | BPF_K, 0, 0, 0},                 // 10: drop
}};

constexpr const char* kWhat = "packet tap";

}  // namespace

std::unique_ptr<PacketTap> PacketTap::open(const std::string& ifname, std::string& error) {
  const PacketSocket packet = open_packet_socket(kWhat, ifname, kUdpOnly, error);
  if (packet.fd < 0) return nullptr;
  std::unique_ptr<PacketTap> tap(new PacketTap(packet.fd, ifname));
  const int buffer = 1 << 20;
  if (setsockopt(packet.fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer) != 0) {
    error = packet_socket_failure(kWhat, "SO_RCVBUF", ifname);
  } else if (fcntl(packet.fd, F_SETFL, fcntl(packet.fd, F_GETFL) | O_NONBLOCK) != 0) {
    error = packet_socket_failure(kWhat, "O_NONBLOCK", ifname);
  } else if (bind_packet_socket(packet, kWhat, ifname, error)) {
    return tap;
  }
  return nullptr;
}

PacketTap::~PacketTap() {
  ::close(fd_);
}

size_t PacketTap::drain(const Sink& sink, size_t max) {
  size_t count = 0;
  std::array<uint8_t, 2048> frame{};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(timespec))> control{};
  while (count < max) {
    sockaddr_ll from{};
    iovec iov{frame.data(), frame.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    const ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n < 0) break;  // EAGAIN: drained (or an error: nothing more to read now)
    ++count;
    UnixNanos stamp = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        stamp = static_cast<UnixNanos>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      }
    }
    if (stamp == 0) continue;
    const size_t length = std::min(static_cast<size_t>(n), frame.size());
    sink(std::span<const uint8_t>(frame.data(), length), from.sll_pkttype == PACKET_OUTGOING,
         stamp);
  }
  return count;
}

}  // namespace wiretime::socket

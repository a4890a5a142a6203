// A userspace 802.1Q access port for kernels without VLAN devices (the lab VM has no 8021q,
// bridge or tc vlan action): frames tagged VID on TRUNK leave untagged on ACCESS, frames from
// ACCESS get the tag on TRUNK. Both directions take the same path (one poll() wake-up, one
// recvmsg, one send). DIRECTION `down` forwards TRUNK -> ACCESS only, `up` ACCESS -> TRUNK
// only: two instances, each pinned to the CPU where its frames arrive, keep a lab's wake-ups
// symmetric (one process for both would wake on the same CPU for one direction and through an
// IPI from the other CPU for the other).
// Usage: vlan_tagger TRUNK ACCESS VID [both|down|up] (runs until SIGTERM/SIGINT).
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr int kNone = -1;
constexpr int kSkip = -2;

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

// `receive`: false opens a send-only socket (protocol 0: the kernel queues nothing to it).
int open_raw(const char* name, bool receive) {
  const uint16_t protocol = receive ? htons(ETH_P_ALL) : 0;
  const int fd = socket(AF_PACKET, SOCK_RAW, protocol);
  if (fd < 0) return -1;
  const int on = 1;
  setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on);
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = protocol;
  address.sll_ifindex = static_cast<int>(if_nametoindex(name));
  if (address.sll_ifindex == 0 ||
      bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// One frame as on the wire into frame[4..] (room in front for a tag), a tag the kernel moved
// into metadata put back. Returns the frame's offset in `buffer` and sets `length`; kSkip for
// a frame this host sent, kNone when nothing is left to read.
int receive(int fd, std::array<uint8_t, 2048>& buffer, size_t& length) {
  constexpr size_t kFront = 4;
  sockaddr_ll from{};
  iovec io{buffer.data() + kFront, buffer.size() - kFront};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(tpacket_auxdata))> control{};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  const ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
  if (n < 0) return kNone;
  if (n < 14 || from.sll_pkttype == PACKET_OUTGOING) return kSkip;
  length = static_cast<size_t>(n);
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
    tpacket_auxdata aux{};
    std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
    if ((aux.tp_status & TP_STATUS_VLAN_VALID) == 0) continue;
    // Move the MAC addresses 4 bytes forward and put the tag behind them.
    uint8_t* p = buffer.data();
    std::memmove(p, p + kFront, 12);
    const uint16_t tpid = aux.tp_vlan_tpid != 0 ? aux.tp_vlan_tpid : ETH_P_8021Q;
    p[12] = static_cast<uint8_t>(tpid >> 8);
    p[13] = static_cast<uint8_t>(tpid);
    p[14] = static_cast<uint8_t>(aux.tp_vlan_tci >> 8);
    p[15] = static_cast<uint8_t>(aux.tp_vlan_tci);
    length += 4;
    return 0;
  }
  return static_cast<int>(kFront);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string direction = argc == 5 ? argv[4] : "both";
  if ((argc != 4 && argc != 5) ||
      (direction != "both" && direction != "down" && direction != "up")) {
    std::fprintf(stderr, "usage: %s TRUNK ACCESS VID [both|down|up]\n", argv[0]);
    return 2;
  }
  const bool down = direction != "up";
  const bool up = direction != "down";
  const long vid = std::strtol(argv[3], nullptr, 10);
  const int trunk = open_raw(argv[1], down);
  const int access = open_raw(argv[2], up);
  if (trunk < 0 || access < 0 || vid <= 0 || vid > 4094) {
    std::fprintf(stderr, "vlan_tagger: cannot open %s / %s: %s\n", argv[1], argv[2],
                 std::strerror(errno));
    return 1;
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::array<uint8_t, 2048> buffer{};
  // A send-only socket is never readable; polling it with no events keeps the indices fixed.
  std::array<pollfd, 2> fds{{{trunk, static_cast<short>(down ? POLLIN : 0), 0},
                             {access, static_cast<short>(up ? POLLIN : 0), 0}}};
  while (g_stop == 0) {
    if (poll(fds.data(), fds.size(), 500) <= 0) continue;
    size_t length = 0;
    if ((fds[0].revents & POLLIN) != 0) {
      for (int offset; (offset = receive(trunk, buffer, length)) != kNone;) {
        if (offset == kSkip) continue;
        uint8_t* f = buffer.data() + offset;
        const unsigned tci = (f[14] << 8) | f[15];
        if (f[12] != 0x81 || f[13] != 0x00 || (tci & 0x0fff) != vid) continue;
        // Untag: the MAC addresses move 4 bytes forward over the tag.
        std::memmove(f + 4, f, 12);
        send(access, f + 4, length - 4, 0);
      }
    }
    if ((fds[1].revents & POLLIN) != 0) {
      for (int offset; (offset = receive(access, buffer, length)) != kNone;) {
        if (offset == kSkip || offset == 0) continue;  // ours, or tagged: not an access frame
        // Tag: the frame sits 4 bytes into the buffer; its MAC addresses move to the front
        // and the tag goes behind them.
        uint8_t* p = buffer.data();
        std::memmove(p, p + 4, 12);
        p[12] = 0x81;
        p[13] = 0x00;
        p[14] = static_cast<uint8_t>(vid >> 8);
        p[15] = static_cast<uint8_t>(vid);
        send(trunk, p, length + 4, 0);
      }
    }
  }
  close(trunk);
  close(access);
  return 0;
}

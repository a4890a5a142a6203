#include "dataplane/socket/packet_socket.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretime::socket {

std::string packet_socket_failure(const std::string& what, const std::string& call,
                                  const std::string& ifname) {
  return what + " on " + ifname + ": " + call + ": " + std::strerror(errno);
}

PacketSocket open_packet_socket(const std::string& what, const std::string& ifname,
                                std::span<const sock_filter> filter, std::string& error) {
  PacketSocket s;
  s.ifindex = if_nametoindex(ifname.c_str());
  if (s.ifindex == 0) {
    error = packet_socket_failure(what, "no such interface", ifname);
    return s;
  }
  // Protocol 0: nothing is queued before the filter is attached and the socket bound.
  s.fd = ::socket(AF_PACKET, SOCK_RAW, 0);
  if (s.fd < 0) {
    error = packet_socket_failure(what, "socket", ifname);
    return s;
  }
  sock_fprog program{static_cast<unsigned short>(filter.size()),
                     const_cast<sock_filter*>(filter.data())};
  const int on = 1;
  if (setsockopt(s.fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) != 0) {
    error = packet_socket_failure(what, "SO_ATTACH_FILTER", ifname);
  } else if (setsockopt(s.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
    error = packet_socket_failure(what, "SO_TIMESTAMPNS", ifname);
  } else {
    return s;
  }
  ::close(s.fd);
  s.fd = -1;
  return s;
}

bool bind_packet_socket(const PacketSocket& s, const std::string& what, const std::string& ifname,
                        std::string& error) {
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = static_cast<int>(s.ifindex);
  if (bind(s.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return true;
  error = packet_socket_failure(what, "bind", ifname);
  return false;
}

}  // namespace wiretime::socket

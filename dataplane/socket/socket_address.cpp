#include "dataplane/socket/socket_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace wiretime::socket {

SocketAddress to_sockaddr(const wire::IpAddress& address, uint16_t port) {
  SocketAddress out;
  if (address.version == wire::IpVersion::kV6) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    std::memcpy(&a.sin6_addr, address.v6.bytes.data(), 16);
    std::memcpy(&out.storage, &a, sizeof a);
    out.length = sizeof a;
  } else {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    std::memcpy(&a.sin_addr, address.v4.bytes.data(), 4);
    std::memcpy(&out.storage, &a, sizeof a);
    out.length = sizeof a;
  }
  return out;
}

bool from_sockaddr(const sockaddr_storage& storage, wire::IpAddress& address, uint16_t& port) {
  if (storage.ss_family == AF_INET) {
    sockaddr_in a{};
    std::memcpy(&a, &storage, sizeof a);
    wire::Ipv4Address v4;
    std::memcpy(v4.bytes.data(), &a.sin_addr, 4);
    address = wire::IpAddress::from(v4);
    port = ntohs(a.sin_port);
    return true;
  }
  if (storage.ss_family == AF_INET6) {
    sockaddr_in6 a{};
    std::memcpy(&a, &storage, sizeof a);
    wire::Ipv6Address v6;
    std::memcpy(v6.bytes.data(), &a.sin6_addr, 16);
    address = wire::IpAddress::from(v6);
    port = ntohs(a.sin6_port);
    return true;
  }
  return false;
}

}  // namespace wiretime::socket

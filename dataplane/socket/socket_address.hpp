// Conversion between the wire address types and the kernel's sockaddr, IPv4 and IPv6.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::socket {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

SocketAddress to_sockaddr(const wire::IpAddress& address, uint16_t port);
// False for families other than AF_INET/AF_INET6.
bool from_sockaddr(const sockaddr_storage& storage, wire::IpAddress& address, uint16_t& port);

}  // namespace wiretime::socket

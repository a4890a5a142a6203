// What the packet-socket tap and the packet ring share: a raw packet socket on one Linux
// interface with a classic BPF filter and the kernel's software stamps, bound only once the
// caller has set its own options (protocol 0 until then: nothing is queued unfiltered).
#pragma once

#include <linux/filter.h>

#include <span>
#include <string>

namespace wiretime::socket {

struct PacketSocket {
  int fd = -1;
  unsigned ifindex = 0;
};

// "WHAT on IFNAME: CALL: strerror(errno)", the error text of both.
std::string packet_socket_failure(const std::string& what, const std::string& call,
                                  const std::string& ifname);
// The socket with `filter` attached and SO_TIMESTAMPNS on (needs CAP_NET_RAW); fd -1 with
// `error` set (naming `what`) on failure, nothing left open.
PacketSocket open_packet_socket(const std::string& what, const std::string& ifname,
                                std::span<const sock_filter> filter, std::string& error);
// Binds it to every protocol on its interface; false with `error` set.
bool bind_packet_socket(const PacketSocket& s, const std::string& what, const std::string& ifname,
                        std::string& error);

}  // namespace wiretime::socket

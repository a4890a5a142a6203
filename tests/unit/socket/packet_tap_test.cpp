// The packet tap over the loopback interface (root only: packet sockets need CAP_NET_RAW): it
// sees our own datagram leave and arrive, each with a kernel stamp, and nothing but UDP.
#include "dataplane/socket/packet_tap.hpp"

#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/socket/kernel_clock.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::socket {
namespace {

const wire::IpAddress kLoopback = wire::IpAddress::from(wire::Ipv4Address{{127, 0, 0, 1}});

TEST(PacketTap, NamesAMissingInterface) {
  std::string error;
  EXPECT_EQ(PacketTap::open("wt-no-such0", error), nullptr);
  EXPECT_NE(error.find("packet tap on wt-no-such0: no such interface"), std::string::npos) << error;
}

TEST(PacketTap, StampsOurDatagramLeavingAndArriving) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (packet socket)";
  std::string error;
  auto tap = PacketTap::open("lo", error);
  ASSERT_NE(tap, nullptr) << error;
  UdpSocket a, b;
  ASSERT_EQ(a.open(kLoopback, 0), "");
  ASSERT_EQ(b.open(kLoopback, 0), "");
  struct Seen {
    bool outgoing;
    UnixNanos stamp;
  };
  std::vector<Seen> seen;
  const std::array<uint8_t, 48> payload{0x23, 0x5a};
  const UnixNanos start = realtime_ns();
  // The kernel turns stamping on through a static key it may flip a moment late: a few tries.
  for (int attempt = 0; attempt < 5 && seen.size() < 2; ++attempt) {
    seen.clear();
    UnixNanos before = 0;
    ASSERT_TRUE(a.send(kLoopback, b.local_port(), payload, before).has_value());
    pollfd p{b.fd(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 2000), 1);
    usleep(1000);
    tap->drain([&](std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp) {
      // Ethernet (loopback: zero MACs) + IPv4 (20 bytes) + UDP: our destination port.
      if (frame.size() < 14 + 20 + 8 + payload.size()) return;
      const uint16_t port = static_cast<uint16_t>(frame[14 + 20 + 2] << 8 | frame[14 + 20 + 3]);
      if (port == b.local_port()) seen.push_back({outgoing, stamp});
    });
  }
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].outgoing);
  EXPECT_FALSE(seen[1].outgoing);
  EXPECT_GE(seen[0].stamp, start);
  EXPECT_LE(seen[0].stamp, seen[1].stamp);
  EXPECT_LE(seen[1].stamp, realtime_ns());
}

}  // namespace
}  // namespace wiretime::socket

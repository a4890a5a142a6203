// The lcore's packet ring of client requests over the loopback interface (root only: packet
// sockets need CAP_NET_RAW): it holds an arriving NTP request (mode 3) once, with the kernel's
// stamp, and neither a reply (mode 4) nor the copy of our own request leaving.
#include "dataplane/socket/packet_rx_ring.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/socket/kernel_clock.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::socket {
namespace {

const wire::IpAddress kLoopback = wire::IpAddress::from(wire::Ipv4Address{{127, 0, 0, 1}});

TEST(PacketRxRing, NamesWhatIsWrong) {
  std::string error;
  EXPECT_EQ(PacketRxRing::open("wt-no-such0", error), nullptr);
  EXPECT_NE(error.find("packet ring on wt-no-such0: no such interface"), std::string::npos)
      << error;
  EXPECT_EQ(PacketRxRing::open("lo", error, 100), nullptr);
  EXPECT_NE(error.find("100 frames is not a power of two of 16 or more"), std::string::npos)
      << error;
}

// Sends `mode` from a to b and returns the frames to b's port the ring holds after it arrived.
std::vector<RingFrame> ring_frames_after(PacketRxRing& ring, UdpSocket& a, UdpSocket& b,
                                         uint8_t mode, size_t& first) {
  std::array<uint8_t, 48> payload{static_cast<uint8_t>(0x20 | mode)};
  payload[40] = 0x5a;  // a transmit timestamp
  UnixNanos before = 0;
  EXPECT_TRUE(a.send(kLoopback, b.local_port(), payload, before).has_value());
  pollfd p{b.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 2000), 1);
  std::array<uint8_t, 64> drain{};
  (void)::recv(b.fd(), drain.data(), drain.size(), MSG_DONTWAIT);
  std::vector<RingFrame> frames;
  first = 0;
  for (size_t i = 0; const auto f = ring.peek(i); ++i) {
    if (f->bytes.size() < 14 + 20 + 8 + 48) continue;
    const uint16_t port = static_cast<uint16_t>(f->bytes[14 + 20 + 2] << 8 | f->bytes[14 + 20 + 3]);
    if (port != b.local_port()) continue;
    if (frames.empty()) first = i;
    frames.push_back(*f);
  }
  return frames;
}

TEST(PacketRxRing, HoldsEachArrivingRequestOnceWithTheKernelsStamp) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (packet socket)";
  std::string error;
  auto ring = PacketRxRing::open("lo", error, 64);
  ASSERT_NE(ring, nullptr) << error;
  UdpSocket a, b;
  ASSERT_EQ(a.open(kLoopback, 0), "");
  ASSERT_EQ(b.open(kLoopback, 0), "");
  const uint64_t start = PacketRxRing::realtime_ns();
  size_t first = 0;
  // A reply is not a request: the filter keeps it out.
  EXPECT_TRUE(ring_frames_after(*ring, a, b, 4, first).empty());
  const std::vector<RingFrame> frames = ring_frames_after(*ring, a, b, 3, first);
  ASSERT_EQ(frames.size(), 1u);  // arriving only (lo shows every frame leaving, then arriving)
  EXPECT_EQ(frames[0].bytes[14 + 20 + 8] & 0x07, 3);
  EXPECT_EQ(frames[0].bytes[14 + 20 + 8 + 40], 0x5a);
  EXPECT_GE(frames[0].unix_ns, start);
  EXPECT_LE(frames[0].unix_ns, PacketRxRing::realtime_ns());
  // Released, the slot goes back to the kernel: the ring no longer shows the frame.
  ring->release(first + 1);
  for (size_t i = 0; const auto f = ring->peek(i); ++i) {
    EXPECT_NE(f->unix_ns, frames[0].unix_ns);
  }
  // And the ring goes round: more requests than slots, each released, all seen.
  size_t seen = 0;
  for (int n = 0; n < 100; ++n) {
    const std::vector<RingFrame> more = ring_frames_after(*ring, a, b, 3, first);
    seen += more.size();
    size_t held = 0;
    while (ring->peek(held)) ++held;
    ring->release(held);
  }
  EXPECT_EQ(seen, 100u);
  EXPECT_EQ(ring->take_drops(), 0u);
}

}  // namespace
}  // namespace wiretime::socket

// Over the loopback interface: the socket's own I/O and kernel timestamps, no lab needed.
#include "dataplane/socket/udp_socket.hpp"

#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>

#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::socket {
namespace {

const wire::IpAddress kLoopback = wire::IpAddress::from(wire::Ipv4Address{{127, 0, 0, 1}});

bool wait_readable(int fd, short events = POLLIN) {
  pollfd p{fd, events, 0};
  return poll(&p, 1, 2000) == 1;
}

TEST(UdpSocket, SendsAndReceivesWithKernelTimestamps) {
  UdpSocket a;
  UdpSocket b;
  ASSERT_EQ(a.open(kLoopback, 0), "");
  ASSERT_EQ(b.open(kLoopback, 0), "");
  ASSERT_NE(b.local_port(), 0);
  const std::array<uint8_t, 48> payload{0x23};
  // Linux turns receive timestamping on through a static key that it may flip a moment after
  // the first socket asks for it, so the very first datagram on a fresh machine can arrive
  // unstamped (the backend then falls back to a clock read). A few tries settle that.
  UnixNanos before = 0;
  std::optional<uint32_t> id;
  ReceivedDatagram d;
  std::array<uint8_t, 128> buffer{};
  for (int attempt = 0; attempt < 5; ++attempt) {
    before = 0;
    id = a.send(kLoopback, b.local_port(), payload, before);
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(*id, static_cast<uint32_t>(attempt));
    const UnixNanos sent_at = realtime_ns();
    EXPECT_LE(before, sent_at);
    ASSERT_TRUE(wait_readable(b.fd()));
    ASSERT_TRUE(b.receive(buffer, d));
    if (d.kernel_stamp) break;
    if (a.tx_timestamps()) {  // drop this attempt's TX stamp so the check below sees ours
      TxTimestamp discard;
      if (!a.read_tx_timestamp(discard) && wait_readable(a.fd(), 0)) a.read_tx_timestamp(discard);
    }
    usleep(20'000);
  }
  EXPECT_EQ(d.length, 48u);
  EXPECT_EQ(buffer[0], 0x23);
  EXPECT_EQ(d.from, kLoopback);
  EXPECT_EQ(d.from_port, a.local_port());
  EXPECT_TRUE(d.kernel_stamp);
  // The kernel stamped it between the send and now.
  EXPECT_GE(d.rx_realtime, before);
  EXPECT_LE(d.rx_realtime, realtime_ns());
  EXPECT_FALSE(b.receive(buffer, d));  // non-blocking: nothing more

  if (a.tx_timestamps()) {
    TxTimestamp ts;
    bool got = a.read_tx_timestamp(ts);
    if (!got && wait_readable(a.fd(), 0)) got = a.read_tx_timestamp(ts);
    ASSERT_TRUE(got);
    ASSERT_TRUE(ts.has_key);
    EXPECT_EQ(ts.key, *id);  // a real kernel counts from 0, as send() does
    // Without OPT_TSONLY the packet comes back with the stamp: it ends with our payload.
    ASSERT_GE(ts.length, payload.size());
    EXPECT_TRUE(
        std::equal(payload.begin(), payload.end(),
                   ts.data.begin() + static_cast<std::ptrdiff_t>(ts.length - payload.size())));
    EXPECT_GE(ts.realtime, before);
    EXPECT_LE(ts.realtime, d.rx_realtime);
  }
}

TEST(UdpSocket, SecondDatagramGetsTheNextId) {
  UdpSocket a;
  ASSERT_EQ(a.open(kLoopback, 0), "");
  UdpSocket b;
  ASSERT_EQ(b.open(kLoopback, 0), "");
  const std::array<uint8_t, 4> p{};
  UnixNanos before = 0;
  EXPECT_EQ(a.send(kLoopback, b.local_port(), p, before), 0u);
  EXPECT_EQ(a.send(kLoopback, b.local_port(), p, before), 1u);
}

// `ntp source-port` on the socket backend: the socket moves to the new port, datagrams to it
// arrive; a port in use is refused and the socket stays where it was.
TEST(UdpSocket, RebindMovesToTheNewPortOrStays) {
  UdpSocket a;
  UdpSocket b;
  UdpSocket holder;
  ASSERT_EQ(a.open(kLoopback, 0), "");
  ASSERT_EQ(b.open(kLoopback, 0), "");
  ASSERT_EQ(holder.open(kLoopback, 0), "");
  const uint16_t first = a.local_port();
  ASSERT_NE(a.rebind(holder.local_port()), "");  // taken
  EXPECT_EQ(a.local_port(), first);
  ASSERT_EQ(a.rebind(0), "");
  const uint16_t moved = a.local_port();
  EXPECT_NE(moved, first);
  const std::array<uint8_t, 48> payload{0x1b};
  UnixNanos before = 0;
  ASSERT_TRUE(b.send(kLoopback, moved, payload, before));
  ASSERT_TRUE(wait_readable(a.fd()));
  std::array<uint8_t, 128> buffer{};
  ReceivedDatagram d;
  ASSERT_TRUE(a.receive(buffer, d));
  EXPECT_EQ(d.from_port, b.local_port());
  // Its datagrams are numbered afresh, as the kernel numbers the new socket's.
  EXPECT_EQ(a.send(kLoopback, b.local_port(), payload, before), std::optional<uint32_t>(0));
}

TEST(UdpSocket, BindingAnAddressWeDoNotHaveFails) {
  UdpSocket s;
  EXPECT_NE(s.open(wire::IpAddress::from(wire::Ipv4Address{{198, 18, 255, 254}}), 0), "");
}

TEST(KernelClock, ReadsAreConsistent) {
  const int64_t m0 = monotonic_ns();
  const int64_t offset = realtime_minus_monotonic_ns();
  const int64_t r = realtime_ns();
  const int64_t m1 = monotonic_ns();
  EXPECT_LE(m0, m1);
  EXPECT_LE(std::llabs(r - (m0 + offset)), 10'000'000);
}

}  // namespace
}  // namespace wiretime::socket

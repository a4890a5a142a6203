// SocketTransport's routes over loopback: a peer's placement (source interface number) and
// family choose the local address its requests leave from, each on a socket bound to it with
// the kernel's RX/TX stamps; a route that cannot be bound, or none at all, sends nothing; a
// route no longer named closes its socket. socket_refusal: what the socket backend refuses.
#include <poll.h>

#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "control/daemon/backend.hpp"
#include "control/daemon/socket_transport.hpp"
#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::daemon {
namespace {

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
wire::IpAddress v6_loopback() {
  wire::Ipv6Address a;
  a.bytes[15] = 1;
  return wire::IpAddress::from(a);
}
bool has_ipv6_loopback() {
  std::ifstream f("/proc/net/if_inet6");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("00000000000000000000000000000001", 0) == 0) return true;
  }
  return false;
}

bool wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 2000) == 1;
}

runtime::OutgoingRequest request(uint64_t cookie) {
  runtime::OutgoingRequest r;
  r.header.mode = wire::NtpMode::kClient;
  r.header.version = 4;
  r.header.transmit = NtpTimestamp::from_raw(cookie);
  return r;
}

uint64_t ticks(UnixNanos t) {
  return static_cast<uint64_t>(t);
}

class SocketSources : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(default_.open(v4(127, 0, 0, 1), 0), "");
    ASSERT_EQ(server4_.open(v4(127, 0, 0, 1), 0), "");
  }

  // Sends one request to `server` placed on `interface`; where it came from, as the server
  // saw it (nullopt: nothing arrived).
  std::optional<socket::ReceivedDatagram> sent_from(SocketTransport& t, socket::UdpSocket& server,
                                                    uint16_t interface, uint64_t cookie) {
    runtime::Peer peer{server.local(), server.local_port()};
    peer.interface = interface;
    if (!t.send_request(peer, request(cookie))) return std::nullopt;
    if (!wait_readable(server.fd())) return std::nullopt;
    std::array<uint8_t, 256> buffer{};
    socket::ReceivedDatagram d;
    if (!server.receive(buffer, d)) return std::nullopt;
    return d;
  }

  socket::UdpSocket default_, server4_;
};

TEST_F(SocketSources, APeersInterfaceAndFamilyChooseTheAddressItsRequestsLeaveFrom) {
  SocketTransport t(default_, ticks);
  // Before any route: IPv4 peers without a source interface use the default socket.
  auto d = sent_from(t, server4_, runtime::kAnyInterface, 0xa1a2a3a4a5a6a7a1ULL);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from, v4(127, 0, 0, 1));
  EXPECT_EQ(d->from_port, default_.local_port());
  // Interface 0 has no route yet: nothing is sent.
  EXPECT_FALSE(sent_from(t, server4_, 0, 0xa1a2a3a4a5a6a7a2ULL));

  // Interface 0 sends from 127.0.0.2 (loopback owns 127/8), on a socket of its own.
  EXPECT_TRUE(
      t.set_routes({{runtime::kAnyInterface, default_.local()}, {0, v4(127, 0, 0, 2)}}).empty());
  std::vector<pollfd> fds;
  EXPECT_EQ(t.fill_pollfds(fds), 2u);
  d = sent_from(t, server4_, 0, 0xa1a2a3a4a5a6a7a3ULL);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from, v4(127, 0, 0, 2));
  EXPECT_NE(d->from_port, default_.local_port());
  const socket::ReceivedDatagram via_interface_0 = *d;
  d = sent_from(t, server4_, runtime::kAnyInterface, 0xa1a2a3a4a5a6a7a4ULL);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from, v4(127, 0, 0, 1));

  // Each socket's T1 comes from its own error queue (loopback stamps as it sends), else from
  // the read before sendto: one T1 per request sent, whichever socket sent it.
  t.drain_transmit_timestamps();
  std::vector<NtpTimestamp> t1;
  for (runtime::TransportEvent ev; t.next(ev);) {
    if (ev.kind == runtime::TransportEvent::Kind::kTransmitted) t1.push_back(ev.cookie);
  }
  EXPECT_EQ(t1.size(), 3u);
  EXPECT_EQ(t.kernel_t1() + t.fallback_t1(), 3u);

  // A reply to 127.0.0.2 arrived where interface 0's requests leave from.
  std::array<uint8_t, 48> out{};
  wire::NtpHeader reply;
  reply.mode = wire::NtpMode::kServer;
  reply.version = 4;
  reply.stratum = 1;
  reply.origin = NtpTimestamp::from_raw(0xa1a2a3a4a5a6a7a3ULL);
  reply.transmit = NtpTimestamp::from_raw(1);
  ASSERT_EQ(wire::encode_ntp(out, reply), 48u);
  UnixNanos before = 0;
  ASSERT_TRUE(server4_.send(via_interface_0.from, via_interface_0.from_port, out, before));
  fds.clear();
  t.fill_pollfds(fds);
  ASSERT_TRUE(wait_readable(fds[1].fd));
  runtime::TransportEvent ev;
  ASSERT_TRUE(t.next(ev));
  EXPECT_EQ(ev.kind, runtime::TransportEvent::Kind::kReply);
  EXPECT_EQ(ev.from.interface, 0u);
  EXPECT_EQ(ev.packet.header.origin, reply.origin);

  // A route no longer named closes its socket; its peers send nothing.
  EXPECT_TRUE(t.set_routes({{runtime::kAnyInterface, default_.local()}}).empty());
  fds.clear();
  EXPECT_EQ(t.fill_pollfds(fds), 1u);
  EXPECT_FALSE(sent_from(t, server4_, 0, 0xa1a2a3a4a5a6a7a5ULL));
}

TEST_F(SocketSources, AnAddressTheKernelDoesNotOwnIsNamedAndItsPeersSendNothing) {
  SocketTransport t(default_, ticks);
  const std::vector<std::string> problems =
      t.set_routes({{runtime::kAnyInterface, default_.local()}, {0, v4(198, 18, 0, 99)}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("198.18.0.99"), std::string::npos) << problems[0];
  EXPECT_FALSE(sent_from(t, server4_, 0, 1));
  EXPECT_TRUE(sent_from(t, server4_, runtime::kAnyInterface, 2));
}

TEST_F(SocketSources, IpV6PeersSendFromTheirOwnSocketAndTheirRepliesComeBackStamped) {
  if (!has_ipv6_loopback()) GTEST_SKIP() << "no ::1 in this network namespace";
  socket::UdpSocket server6;
  ASSERT_EQ(server6.open(v6_loopback(), 0), "");
  SocketTransport t(default_, ticks);
  // Without an IPv6 route an IPv6 peer sends nothing (the default socket is IPv4).
  EXPECT_FALSE(sent_from(t, server6, runtime::kAnyInterface, 1));
  wire::IpAddress any6 = wire::IpAddress::from(wire::Ipv6Address{});
  EXPECT_TRUE(
      t.set_routes({{runtime::kAnyInterface, default_.local()}, {runtime::kAnyInterface, any6}})
          .empty());
  const auto d = sent_from(t, server6, runtime::kAnyInterface, 0x1122334455667788ULL);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from, v6_loopback());

  // The server's reply reaches the loop as a reply from [::1], with the kernel's RX stamp.
  wire::NtpHeader reply;
  reply.mode = wire::NtpMode::kServer;
  reply.version = 4;
  reply.stratum = 1;
  reply.origin = NtpTimestamp::from_raw(0x1122334455667788ULL);
  reply.transmit = NtpTimestamp::from_raw(1);
  std::array<uint8_t, 48> out{};
  ASSERT_EQ(wire::encode_ntp(out, reply), 48u);
  UnixNanos before = 0;
  ASSERT_TRUE(server6.send(d->from, d->from_port, out, before));
  std::vector<pollfd> fds;
  t.fill_pollfds(fds);
  ASSERT_EQ(fds.size(), 2u);
  ASSERT_TRUE(wait_readable(fds[1].fd));
  bool replied = false;
  size_t t1 = 0;
  for (runtime::TransportEvent ev; t.next(ev);) {
    if (ev.kind == runtime::TransportEvent::Kind::kTransmitted) ++t1;
    if (ev.kind != runtime::TransportEvent::Kind::kReply) continue;
    replied = true;
    EXPECT_EQ(ev.from.address, v6_loopback());
    EXPECT_EQ(ev.from.port, server6.local_port());
    EXPECT_EQ(ev.packet.header.origin, reply.origin);
    EXPECT_EQ(ev.provenance, engine::TimestampSource::kKernel);
    EXPECT_EQ(t1, 1u);  // the request's T1 came first
  }
  EXPECT_TRUE(replied);
  EXPECT_EQ(t.undecodable(1), 0u);
}

TEST_F(SocketSources, SourcePortMovesEverySocketOrNone) {
  SocketTransport t(default_, ticks);
  ASSERT_TRUE(
      t.set_routes({{runtime::kAnyInterface, default_.local()}, {0, v4(127, 0, 0, 2)}}).empty());
  // A port some other socket holds on 127.0.0.2 only: the default socket could move, the
  // second cannot, so neither does.
  socket::UdpSocket holder;
  ASSERT_EQ(holder.open(v4(127, 0, 0, 2), 0), "");
  const uint16_t taken = holder.local_port();
  EXPECT_NE(t.set_source_port(taken), std::nullopt);
  EXPECT_NE(default_.local_port(), taken);
  auto d = sent_from(t, server4_, 0, 1);
  ASSERT_TRUE(d);
  EXPECT_NE(d->from_port, taken);

  socket::UdpSocket probe;  // a free port on both addresses
  ASSERT_EQ(probe.open(v4(127, 0, 0, 3), 0), "");
  const uint16_t port = probe.local_port();
  ASSERT_EQ(t.set_source_port(port), std::nullopt);
  d = sent_from(t, server4_, 0, 2);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from_port, port);
  d = sent_from(t, server4_, runtime::kAnyInterface, 3);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from_port, port);
}

engine::AssociationConfig server(const char* address, bool ipv6 = false) {
  engine::AssociationConfig c;
  c.address = address;
  c.ipv6 = ipv6;
  return c;
}

TEST(SocketRefusal, VpnInstancesAndLinkLocalServersAreRefusedTheRestRuns) {
  EXPECT_EQ(socket_refusal(server("198.18.0.1")), "");
  EXPECT_EQ(socket_refusal(server("2001:db8::1", true)), "");
  engine::AssociationConfig from = server("2001:db8::1", true);
  from.source_interface = "GE1/0/2";
  EXPECT_EQ(socket_refusal(from), "");
  engine::AssociationConfig vpn = server("198.18.0.1");
  vpn.vpn_instance = "red";
  EXPECT_EQ(socket_refusal(vpn),
            "unicast-server 198.18.0.1 vpn-instance red: the socket backend sends in the host's "
            "routing table only, no VPN instances (use dataplane.backend: dpdk)");
  engine::AssociationConfig link_local = server("fe80::1", true);
  link_local.source_interface = "GE1/0/1";
  EXPECT_NE(socket_refusal(link_local).find("unicast-server ipv6 fe80::1: "), std::string::npos);
  engine::AssociationConfig domain = server("ntp.example", false);
  domain.is_domain = true;
  EXPECT_EQ(socket_refusal(domain), "");
}

}  // namespace
}  // namespace wiretime::daemon

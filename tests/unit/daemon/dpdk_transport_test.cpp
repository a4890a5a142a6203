#include "control/daemon/dpdk_transport.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wiretime::daemon {
namespace {

runtime::Peer server(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}}), 123};
}

struct Fixture {
  Fixture() {
    config.own_ip = wire::Ipv4Address{{198, 18, 0, 2}};
    config.own_mask = 0xffffff00;
    config.gateway = wire::Ipv4Address{{198, 18, 0, 254}};
    config.client_port = 50000;
  }
  DpdkTransportConfig config;
  std::vector<dpdk::TxCommand> pushed;
  bool full = false;
  DpdkTransport make() {
    return DpdkTransport(config, [this](const dpdk::TxCommand& c) {
      if (full) return false;
      pushed.push_back(c);
      return true;
    });
  }
};

TEST(DpdkTransport, UnresolvedNextHopSendsArpInsteadOfTheRequest) {
  Fixture f;
  DpdkTransport t = f.make();
  engine::SendRequest r;
  r.cookie = NtpTimestamp::from_raw(77);
  EXPECT_FALSE(t.send_request(server(198, 18, 0, 1), r));
  ASSERT_EQ(f.pushed.size(), 1u);
  EXPECT_EQ(f.pushed[0].kind, dpdk::TxCommand::Kind::kArpRequest);
  EXPECT_EQ(f.pushed[0].target_ip, (wire::Ipv4Address{{198, 18, 0, 1}}));
  EXPECT_EQ(t.arp_requests(), 1u);
}

TEST(DpdkTransport, ResolvedNextHopGetsTheRequestWithCookieAndPorts) {
  Fixture f;
  DpdkTransport t = f.make();
  const wire::MacAddress mac{{2, 0, 0, 0, 0, 1}};
  t.on_neighbor(wire::Ipv4Address{{198, 18, 0, 1}}, mac);
  engine::SendRequest r;
  r.cookie = NtpTimestamp::from_raw(77);
  r.poll = 3;
  EXPECT_TRUE(t.send_request(server(198, 18, 0, 1), r));
  ASSERT_EQ(f.pushed.size(), 1u);
  const dpdk::TxCommand& c = f.pushed[0];
  EXPECT_EQ(c.kind, dpdk::TxCommand::Kind::kNtpRequest);
  EXPECT_EQ(c.dst_mac, mac);
  EXPECT_EQ(c.cookie, r.cookie);
  EXPECT_EQ(c.src_port, 50000);
  EXPECT_EQ(c.dst_port, 123);
  EXPECT_EQ(c.poll, 3);
}

TEST(DpdkTransport, OffLinkServersGoThroughTheGateway) {
  Fixture f;
  DpdkTransport t = f.make();
  EXPECT_EQ(t.next_hop(wire::Ipv4Address{{198, 19, 1, 1}}), (wire::Ipv4Address{{198, 18, 0, 254}}));
  EXPECT_EQ(t.next_hop(wire::Ipv4Address{{198, 18, 0, 9}}), (wire::Ipv4Address{{198, 18, 0, 9}}));
  t.on_neighbor(wire::Ipv4Address{{198, 18, 0, 254}}, wire::MacAddress{{2, 0, 0, 0, 0, 9}});
  EXPECT_TRUE(t.send_request(server(198, 19, 1, 1), {}));
  EXPECT_EQ(f.pushed.back().target_ip, (wire::Ipv4Address{{198, 19, 1, 1}}));
}

TEST(DpdkTransport, MulticastMacsAreIgnoredAndFullRingsCounted) {
  Fixture f;
  DpdkTransport t = f.make();
  t.on_neighbor(wire::Ipv4Address{{198, 18, 0, 1}}, wire::MacAddress::broadcast());
  EXPECT_FALSE(t.neighbor(wire::Ipv4Address{{198, 18, 0, 1}}));
  t.on_neighbor(wire::Ipv4Address{{198, 18, 0, 1}}, wire::MacAddress{{2, 0, 0, 0, 0, 1}});
  f.full = true;
  EXPECT_FALSE(t.send_request(server(198, 18, 0, 1), {}));
  EXPECT_EQ(t.ring_full(), 1u);
}

}  // namespace
}  // namespace wiretime::daemon

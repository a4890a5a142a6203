// The routed dataplane end to end inside one process: ring-backed ports stand for the links,
// the test is every neighbour (ARP/ND peers, NTP servers) and checks what the dataplane sends,
// what it hands to control, and that every received frame lands in exactly one counter.
#include "dataplane/dpdk/dataplane.hpp"

#include <gtest/gtest.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "dataplane/dpdk/eal.hpp"
#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"
#include "dataplane/wire/frame_encoder.hpp"
#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::dpdk {
namespace {

using Frame = std::vector<uint8_t>;

rte_mempool* g_pool = nullptr;

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
wire::IpAddress v6(uint16_t last) {
  wire::Ipv6Address a{{0x20, 0x01, 0x0d, 0xb8}};
  a.bytes[15] = static_cast<uint8_t>(last);
  a.bytes[14] = static_cast<uint8_t>(last >> 8);
  return wire::IpAddress::from(a);
}

const wire::MacAddress kServerMac{{0x02, 0x5e, 0, 0, 0, 0x01}};
const wire::MacAddress kOurMac{{0x02, 0x5e, 0, 0, 0, 0x02}};
const wire::MacAddress kBlueMac{{0x02, 0x5e, 0, 0, 0, 0x03}};

// One link: the test's end of a ring-backed ethdev port.
struct Link {
  rte_ring* to_dataplane = nullptr;
  rte_ring* from_dataplane = nullptr;
  uint16_t port = 0;

  rte_ring* to_queue1 = nullptr;  // a second RX queue, when asked for

  explicit Link(const std::string& name, bool two_queues = false) {
    to_dataplane = rte_ring_create((name + "_rx").c_str(), 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
    from_dataplane =
        rte_ring_create((name + "_tx").c_str(), 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (two_queues) {
      to_queue1 = rte_ring_create((name + "_rx1").c_str(), 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
    }
    rte_ring* rx[2] = {to_dataplane, to_queue1};
    const int id = rte_eth_from_rings(name.c_str(), rx, two_queues ? 2 : 1, &from_dataplane, 1, 0);
    port = static_cast<uint16_t>(id);
  }
  ~Link() {
    rte_ring_free(to_dataplane);
    rte_ring_free(from_dataplane);
    rte_ring_free(to_queue1);
  }
  void inject(std::span<const uint8_t> frame, int queue = 0) const {
    rte_mbuf* m = rte_pktmbuf_alloc(g_pool);
    ASSERT_NE(m, nullptr);
    std::copy(
        frame.begin(), frame.end(),
        reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, static_cast<uint16_t>(frame.size()))));
    ASSERT_EQ(rte_ring_enqueue(queue == 0 ? to_dataplane : to_queue1, m), 0);
  }
  std::vector<Frame> take() const {
    std::vector<Frame> out;
    void* obj = nullptr;
    while (rte_ring_dequeue(from_dataplane, &obj) == 0) {
      auto* m = static_cast<rte_mbuf*>(obj);
      const auto* p = rte_pktmbuf_mtod(m, const uint8_t*);
      out.emplace_back(p, p + m->data_len);
      rte_pktmbuf_free(m);
    }
    return out;
  }
};

template <typename F>
Frame make(F&& encode) {
  std::array<uint8_t, 512> buf{};
  const size_t len = encode(std::span<uint8_t>(buf));
  return Frame(buf.begin(), buf.begin() + static_cast<long>(len));
}

wire::DecodedFrame decode(const Frame& f) {
  return wire::decode_frame(f);
}

wire::EthernetSpec eth(wire::MacAddress dst, wire::MacAddress src, uint16_t vlan = 0) {
  wire::EthernetSpec e;
  e.dst = dst;
  e.src = src;
  e.has_vlan = vlan != 0;
  e.vlan_tci = vlan;
  return e;
}

Frame ntp_reply(wire::MacAddress to_mac, wire::IpAddress from, wire::IpAddress to,
                uint16_t dst_port, uint16_t vlan = 0, const wire::NtpMac* mac = nullptr,
                uint16_t src_port = 123) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kServer;
  h.stratum = 1;
  h.transmit = NtpTimestamp::from_raw(0xe000000000000001ull);
  return make([&](std::span<uint8_t> out) {
    if (from.version == wire::IpVersion::kV4) {
      wire::Ipv4UdpSpec s;
      s.eth = eth(to_mac, kServerMac, vlan);
      s.src_ip = from.v4;
      s.dst_ip = to.v4;
      s.src_port = src_port;
      s.dst_port = dst_port;
      return wire::encode_ipv4_ntp(out, s, h, mac);
    }
    wire::Ipv6UdpSpec s;
    s.eth = eth(to_mac, kServerMac, vlan);
    s.src_ip = from.v6;
    s.dst_ip = to.v6;
    s.src_port = src_port;
    s.dst_port = dst_port;
    return wire::encode_ipv6_ntp(out, s, h, mac);
  });
}

Frame arp_request(wire::IpAddress sender, wire::IpAddress target, uint16_t vlan = 0) {
  return make([&](std::span<uint8_t> out) {
    return wire::encode_arp_request(out, eth({}, {}, vlan), kServerMac, sender.v4, target.v4);
  });
}

Frame arp_reply(wire::IpAddress sender, wire::IpAddress target, wire::MacAddress to) {
  wire::ArpPacket a;
  a.operation = wire::ArpOperation::kReply;
  a.sender_mac = kServerMac;
  a.sender_ip = sender.v4;
  a.target_mac = to;
  a.target_ip = target.v4;
  return make(
      [&](std::span<uint8_t> out) { return wire::encode_arp(out, eth(to, kServerMac), a); });
}

TxCommand ntp_command(wire::IpAddress server, uint16_t vrf = 0, uint64_t cookie = 0x1234) {
  TxCommand c;
  c.kind = TxCommand::Kind::kNtpRequest;
  c.server = server;
  c.vrf = vrf;
  c.src_port = 50000;
  c.dst_port = 123;
  c.cookie = NtpTimestamp::from_raw(cookie);
  return c;
}

l3::IpPrefix prefix(wire::IpAddress a, uint8_t length) {
  return {a, length};
}

// One port GE0 (IPv4 + IPv6) with sub-interface GE0.100 (VLAN 100).
l3::NetworkSpec single_port() {
  l3::NetworkSpec n;
  n.interfaces.push_back(
      {"GE0", "", 0, "", kOurMac, {prefix(v4(198, 18, 0, 2), 24), prefix(v6(2), 64)}});
  n.interfaces.push_back(
      {"GE0.100", "GE0", 100, "", std::nullopt, {prefix(v4(198, 18, 100, 2), 24)}});
  n.routes.push_back({"", prefix(v4(0, 0, 0, 0), 0), v4(198, 18, 0, 254), ""});
  return n;
}

struct Fixture : ::testing::Test {
  std::vector<std::unique_ptr<Link>> links;
  std::unique_ptr<Dataplane> dp;
  static inline unsigned next_link = 0;

  void start(const l3::NetworkSpec& network, size_t ports, DataplaneOptions options = {},
             bool two_queues = false) {
    std::vector<PortSpec> specs;
    for (size_t i = 0; i < ports; ++i) {
      links.push_back(std::make_unique<Link>("lnk" + std::to_string(next_link++), two_queues));
      PortSpec s;
      s.port_index = links.back()->port;
      s.mbufs = 511;
      specs.push_back(s);
    }
    std::string error;
    dp = Dataplane::create(options, specs, network, error);
    ASSERT_NE(dp, nullptr) << error;
    pump();
  }
  void TearDown() override {
    if (dp) {
      pump();
      // Every received frame ended in exactly one counter.
      EXPECT_EQ(dp->counters().rx_frames.load(), dp->counters().rx_accounted());
    }
    dp.reset();
    links.clear();
  }
  void pump() {
    for (int i = 0; i < 4; ++i) dp->poll_once();
  }
  std::vector<DataplaneEvent> events() {
    std::vector<DataplaneEvent> out(256);
    out.resize(dp->poll_events(out.data(), 256));
    return out;
  }
  uint64_t drops(DropReason r) const { return dp->counters().drop[static_cast<size_t>(r)].load(); }
  uint64_t outcome(RxOutcome o) const {
    return dp->counters().outcome[static_cast<size_t>(o)].load();
  }
};

using DataplaneTest = Fixture;

TEST_F(DataplaneTest, AnnouncesEveryAddressOnStart) {
  start(single_port(), 1);
  const auto frames = links[0]->take();
  int garps = 0, nas = 0;
  for (const Frame& f : frames) {
    const auto d = decode(f);
    if (d.is_arp && d.arp.sender_ip == d.arp.target_ip) ++garps;
    wire::NdMessage nd;
    if (wire::parse_neighbor_discovery(d, nd) == wire::NdError::kOk) {
      EXPECT_EQ(nd.type, wire::NdType::kAdvertisement);
      EXPECT_FALSE(nd.solicited);
      ++nas;
    }
  }
  EXPECT_EQ(garps, 2);  // GE0 and GE0.100
  EXPECT_EQ(nas, 1);
  EXPECT_EQ(dp->ports()[0].rx_queues, 1);
  EXPECT_FALSE(dp->ports()[0].hardware_steering);  // ring PMD: software classification
}

TEST_F(DataplaneTest, AnswersArpOnPortAndVlanAndDropsUnknownVlan) {
  start(single_port(), 1);
  links[0]->take();
  links[0]->inject(arp_request(v4(198, 18, 0, 1), v4(198, 18, 0, 2)));
  links[0]->inject(arp_request(v4(198, 18, 100, 1), v4(198, 18, 100, 2), 100));
  links[0]->inject(arp_request(v4(198, 18, 0, 1), v4(198, 18, 0, 3)));           // someone else
  links[0]->inject(arp_request(v4(198, 18, 200, 1), v4(198, 18, 200, 2), 200));  // no such VLAN
  pump();
  const auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 2u);
  const auto untagged = decode(frames[0]);
  ASSERT_TRUE(untagged.is_arp);
  EXPECT_EQ(untagged.arp.operation, wire::ArpOperation::kReply);
  EXPECT_EQ(untagged.arp.sender_mac, kOurMac);
  EXPECT_EQ(untagged.vlan_count, 0);
  const auto tagged = decode(frames[1]);
  ASSERT_EQ(tagged.vlan_count, 1);
  EXPECT_EQ(tagged.vlans[0].vid, 100);
  EXPECT_EQ(tagged.arp.sender_ip, v4(198, 18, 100, 2).v4);
  EXPECT_EQ(outcome(RxOutcome::kArpAnswered), 2u);
  EXPECT_EQ(drops(DropReason::kArpNotForUs), 1u);
  EXPECT_EQ(drops(DropReason::kNoInterface), 1u);
}

TEST_F(DataplaneTest, RoutedRequestResolvesTheGatewayThenSends) {
  start(single_port(), 1);
  links[0]->take();
  ASSERT_TRUE(dp->send(ntp_command(v4(203, 0, 113, 7))));  // off-link: via 198.18.0.254
  pump();
  auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  auto d = decode(frames[0]);
  ASSERT_TRUE(d.is_arp);
  EXPECT_EQ(d.dst_mac, wire::MacAddress::broadcast());
  EXPECT_EQ(d.arp.target_ip, v4(198, 18, 0, 254).v4);
  EXPECT_TRUE(events().empty());  // held, not sent
  links[0]->inject(arp_reply(v4(198, 18, 0, 254), v4(198, 18, 0, 2), kOurMac));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  d = decode(frames[0]);
  ASSERT_EQ(d.error, wire::DecodeError::kOk);
  EXPECT_EQ(d.dst_mac, kServerMac);
  EXPECT_EQ(d.dst_ip, v4(203, 0, 113, 7));
  EXPECT_EQ(d.src_ip, v4(198, 18, 0, 2));
  EXPECT_EQ(d.ntp.header.mode, wire::NtpMode::kClient);
  EXPECT_EQ(d.ntp.header.transmit.raw(), 0x1234u);
  const auto ev = events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, DataplaneEvent::Kind::kNtpTransmitted);
  EXPECT_EQ(ev[0].cookie.raw(), 0x1234u);
  EXPECT_EQ(ev[0].interface, 0);
  EXPECT_EQ(ev[0].stamp, StampSource::kTsc);
  EXPECT_NE(ev[0].ticks, 0u);
  EXPECT_EQ(outcome(RxOutcome::kArpLearned), 1u);
  // Resolved now: the next request goes straight out.
  dp->send(ntp_command(v4(203, 0, 113, 7), 0, 0x5678));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(decode(frames[0]).ntp.header.transmit.raw(), 0x5678u);
}

TEST_F(DataplaneTest, HandsRepliesToTheInterfaceRingWithProvenance) {
  start(single_port(), 1);
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 100, 1), v4(198, 18, 100, 2), 50000, 100));
  links[0]->inject(ntp_reply(kOurMac, v6(1), v6(2), 50000));
  pump();
  DataplaneEvent ev[4];
  ASSERT_EQ(dp->poll_events(1, ev, 4), 1u);  // the sub-interface's own ring
  EXPECT_EQ(ev[0].kind, DataplaneEvent::Kind::kNtpReply);
  EXPECT_EQ(ev[0].interface, 1);
  EXPECT_EQ(ev[0].src, v4(198, 18, 100, 1));
  EXPECT_EQ(ev[0].dst_port, 50000);
  EXPECT_EQ(ev[0].stamp, StampSource::kTsc);
  ASSERT_EQ(dp->poll_events(0, ev, 4), 1u);
  EXPECT_EQ(ev[0].src, v6(1));
  EXPECT_EQ(ev[0].dst, v6(2));
  EXPECT_EQ(ev[0].ntp.stratum, 1);
  EXPECT_EQ(outcome(RxOutcome::kNtpReplyToControl), 2u);
}

// `port` and `ntp source-port` committed at any time: a reply is NTP by the port our
// requests leave from, whatever port the server answers from; before any request names a
// port, neither is decoded as NTP.
TEST_F(DataplaneTest, RepliesToTheClientPortAreNtpWhateverTheServerPort) {
  start(single_port(), 1);
  links[0]->inject(arp_reply(v4(198, 18, 0, 254), v4(198, 18, 0, 2), kOurMac));
  pump();
  links[0]->take();
  links[0]->inject(
      ntp_reply(kOurMac, v4(203, 0, 113, 7), v4(198, 18, 0, 2), 40000, 0, nullptr, 5000));
  pump();
  EXPECT_TRUE(events().empty());
  EXPECT_EQ(outcome(RxOutcome::kNtpReplyToControl), 0u);
  for (const uint16_t client_port : {uint16_t{40000}, uint16_t{1234}}) {
    TxCommand c = ntp_command(v4(203, 0, 113, 7));
    c.src_port = client_port;
    c.dst_port = 5000;
    ASSERT_TRUE(dp->send(c));
    pump();
    const auto frames = links[0]->take();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(decode(frames[0]).src_port, client_port);
    EXPECT_EQ(decode(frames[0]).dst_port, 5000);
    events();
    links[0]->inject(
        ntp_reply(kOurMac, v4(203, 0, 113, 7), v4(198, 18, 0, 2), client_port, 0, nullptr, 5000));
    pump();
    const auto ev = events();
    ASSERT_EQ(ev.size(), 1u) << client_port;
    EXPECT_EQ(ev[0].kind, DataplaneEvent::Kind::kNtpReply);
    EXPECT_EQ(ev[0].src_port, 5000);
    EXPECT_EQ(ev[0].dst_port, client_port);
  }
  EXPECT_EQ(outcome(RxOutcome::kNtpReplyToControl), 2u);
}

// A commit's L3 change reaches the running dataplane (issue 10 item 3): the untouched port keeps
// its neighbour (no new ARP) and announces nothing, the readdressed port announces and resolves
// from its new address, and a new sub-interface answers ARP and gets its own event ring.
TEST_F(DataplaneTest, LiveTableSwapKeepsUntouchedNeighboursAndTakesNewInterfaces) {
  l3::NetworkSpec two;
  two.interfaces.push_back({"GE0", "", 0, "", kOurMac, {prefix(v4(198, 18, 0, 2), 24)}});
  two.interfaces.push_back({"GE1", "", 0, "", kBlueMac, {prefix(v4(198, 18, 1, 2), 24)}});
  start(two, 2);
  links[0]->take();
  links[1]->take();
  ASSERT_TRUE(dp->send(ntp_command(v4(198, 18, 0, 1))));
  pump();
  ASSERT_EQ(links[0]->take().size(), 1u);  // ARP
  links[0]->inject(arp_reply(v4(198, 18, 0, 1), v4(198, 18, 0, 2), kOurMac));
  pump();
  ASSERT_EQ(links[0]->take().size(), 1u);  // the request
  events();

  l3::NetworkSpec next = two;
  next.interfaces[1].addresses = {prefix(v4(198, 18, 3, 2), 24)};
  next.interfaces.push_back(
      {"GE0.100", "GE0", 100, "", std::nullopt, {prefix(v4(198, 18, 100, 2), 24)}});
  ASSERT_EQ(dp->update_network(next), "");
  ASSERT_NE(dp->interfaces().find_by_name("GE0.100"), nullptr);
  EXPECT_EQ(dp->interfaces().find_by_name("GE0")->index, 0);
  EXPECT_EQ(dp->interfaces().find_by_name("GE1")->index, 1);
  pump();
  // Announcements: GE0.100 (tagged) on link 0, GE1's new address on link 1, nothing for GE0.
  auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  auto d = decode(frames[0]);
  ASSERT_TRUE(d.is_arp);
  EXPECT_EQ(d.vlan_count, 1);
  EXPECT_EQ(d.arp.sender_ip, v4(198, 18, 100, 2).v4);
  frames = links[1]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(decode(frames[0]).arp.sender_ip, v4(198, 18, 3, 2).v4);

  // GE0's neighbour survived the swap: the request goes straight out.
  ASSERT_TRUE(dp->send(ntp_command(v4(198, 18, 0, 1), 0, 0x99)));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(decode(frames[0]).ntp.header.transmit.raw(), 0x99u);
  // GE1 resolves from its new address.
  ASSERT_TRUE(dp->send(ntp_command(v4(198, 18, 3, 1))));
  pump();
  frames = links[1]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(decode(frames[0]).arp.sender_ip, v4(198, 18, 3, 2).v4);
  // The new sub-interface answers ARP and hands replies to its own ring.
  links[0]->inject(arp_request(v4(198, 18, 100, 1), v4(198, 18, 100, 2), 100));
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 100, 1), v4(198, 18, 100, 2), 50000, 100));
  pump();
  EXPECT_EQ(links[0]->take().size(), 1u);
  DataplaneEvent ev[4];
  ASSERT_EQ(dp->poll_events(2, ev, 4), 1u);
  EXPECT_EQ(ev[0].kind, DataplaneEvent::Kind::kNtpReply);
  ASSERT_NE(dp->event_ring(2), nullptr);

  // Ports are the inventory's: a spec with another port count is refused, nothing changes.
  l3::NetworkSpec bad = next;
  bad.interfaces.push_back({"GE9", "", 0, "", std::nullopt, {}});
  EXPECT_NE(dp->update_network(bad), "");
  EXPECT_EQ(dp->interfaces().find_by_name("GE9"), nullptr);
  dp->reclaim_tables();
}

// A napping lcore must not nap between a request and its reply: T4 would be late by the nap.
TEST_F(DataplaneTest, AwaitsTheReplyOfEachRequestItSent) {
  start(single_port(), 1);
  links[0]->inject(arp_reply(v4(198, 18, 0, 254), v4(198, 18, 0, 2), kOurMac));
  pump();
  links[0]->take();
  EXPECT_FALSE(dp->awaiting_reply());
  // "Awaiting" holds for kReplyWaitMs after a send: where this thread was descheduled for
  // longer (a loaded machine), the window has legitimately closed and is not checked.
  using Clock = std::chrono::steady_clock;
  const auto in_window = [](Clock::time_point sent) {
    return Clock::now() - sent < std::chrono::milliseconds(DataplaneLoop::kReplyWaitMs);
  };
  Clock::time_point sent = Clock::now();
  ASSERT_TRUE(dp->send(ntp_command(v4(203, 0, 113, 7))));
  ASSERT_TRUE(dp->send(ntp_command(v4(203, 0, 113, 8), 0, 0x5678)));
  pump();
  ASSERT_EQ(links[0]->take().size(), 2u);
  if (in_window(sent)) {
    EXPECT_TRUE(dp->awaiting_reply());
  }
  links[0]->inject(ntp_reply(kOurMac, v4(203, 0, 113, 7), v4(198, 18, 0, 2), 50000));
  pump();
  if (in_window(sent)) {
    EXPECT_TRUE(dp->awaiting_reply());  // one of two answered
  }
  links[0]->inject(ntp_reply(kOurMac, v4(203, 0, 113, 8), v4(198, 18, 0, 2), 50000));
  pump();
  EXPECT_FALSE(dp->awaiting_reply());
  // An unanswered request stops holding the lcore awake after the wait window.
  sent = Clock::now();
  ASSERT_TRUE(dp->send(ntp_command(v4(203, 0, 113, 7), 0, 0x9abc)));
  pump();
  if (in_window(sent)) {
    EXPECT_TRUE(dp->awaiting_reply());
  }
  // The window is measured on the TSC at rte_get_tsc_hz(), which a VM may report a little
  // off from the steady clock: poll until it closes, bounded far above kReplyWaitMs.
  const auto until = Clock::now() + std::chrono::seconds(1);
  while (dp->awaiting_reply() && Clock::now() < until) dp->poll_once();
  EXPECT_FALSE(dp->awaiting_reply());
  EXPECT_GE(Clock::now() - sent, std::chrono::milliseconds(DataplaneLoop::kReplyWaitMs / 2));
  events();
}

// Authentication is control's: the lcore appends the MAC a command carries to the header it
// writes, and hands a reply's MAC trailer back in the event.
TEST_F(DataplaneTest, MacsTravelInTheRingRecords) {
  start(single_port(), 1);
  links[0]->take();
  links[0]->inject(arp_reply(v4(198, 18, 0, 1), v4(198, 18, 0, 2), kOurMac));
  pump();
  // An NTPv3 request keeps SHA256's whole 32-byte digest (NTPv4 truncates to 20).
  TxCommand c = ntp_command(v4(198, 18, 0, 1), 0, 0x77);
  c.version = 3;
  c.mac_key_id = 9;
  c.mac_length = 32;
  for (uint8_t i = 0; i < c.mac_length; ++i) c.mac[i] = static_cast<uint8_t>(0xa0 + i);
  dp->send(c);
  pump();
  auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  const auto d = decode(frames[0]);
  ASSERT_EQ(d.error, wire::DecodeError::kOk);
  ASSERT_TRUE(d.ntp.has_mac);
  EXPECT_EQ(d.ntp.mac.key_id, 9u);
  ASSERT_EQ(d.ntp.mac.digest.size(), 32u);
  EXPECT_TRUE(std::equal(d.ntp.mac.digest.begin(), d.ntp.mac.digest.end(), c.mac.begin()));
  // The header is exactly the one control signed.
  std::array<uint8_t, wire::kNtpHeaderSize> expected{};
  wire::encode_ntp(expected, ntp_request_header(c));
  std::array<uint8_t, wire::kNtpHeaderSize> sent{};
  wire::encode_ntp(sent, d.ntp.header);
  EXPECT_EQ(sent, expected);
  events();

  // A reply's whole SHA512 digest (64 bytes) reaches control.
  std::array<uint8_t, 64> digest{};
  for (size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<uint8_t>(i + 1);
  const wire::NtpMac mac{5, digest};
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000, 0, &mac));
  const wire::NtpMac nak{5, {}};
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000, 0, &nak));
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000));
  pump();
  const auto ev = events();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_TRUE(ev[0].has_mac);
  EXPECT_EQ(ev[0].mac_key_id, 5u);
  ASSERT_EQ(ev[0].mac_length, 64u);
  EXPECT_TRUE(std::equal(digest.begin(), digest.end(), ev[0].mac.begin()));
  EXPECT_TRUE(ev[1].has_mac);  // a crypto-NAK: the key id alone
  EXPECT_EQ(ev[1].mac_length, 0u);
  EXPECT_FALSE(ev[2].has_mac);
}

TEST_F(DataplaneTest, NeighbourDiscoveryAnswersAndResolves) {
  start(single_port(), 1);
  links[0]->take();
  const auto group = wire::solicited_node_multicast(v6(2).v6);
  // The server asks for our address; we answer and learn it.
  links[0]->inject(make([&](std::span<uint8_t> out) {
    return wire::encode_neighbor_solicitation(out, eth(wire::ipv6_multicast_mac(group), kServerMac),
                                              v6(1).v6, group, v6(2).v6);
  }));
  pump();
  auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  auto d = decode(frames[0]);
  wire::NdMessage nd;
  ASSERT_EQ(wire::parse_neighbor_discovery(d, nd), wire::NdError::kOk);
  EXPECT_EQ(nd.type, wire::NdType::kAdvertisement);
  EXPECT_TRUE(nd.solicited);
  EXPECT_EQ(nd.target, v6(2).v6);
  EXPECT_EQ(nd.link_address, kOurMac);
  EXPECT_EQ(d.dst_ip, v6(1));
  EXPECT_EQ(d.dst_mac, kServerMac);
  EXPECT_EQ(outcome(RxOutcome::kNdAnswered), 1u);
  // Learned (stale): a request goes out at once, with a unicast probe to confirm.
  dp->send(ntp_command(v6(1)));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(wire::parse_neighbor_discovery(decode(frames[0]), nd), wire::NdError::kOk);
  EXPECT_EQ(nd.type, wire::NdType::kSolicitation);
  EXPECT_EQ(decode(frames[0]).dst_ip, v6(1));  // unicast probe
  d = decode(frames[1]);
  ASSERT_EQ(d.error, wire::DecodeError::kOk);
  EXPECT_EQ(d.dst_ip, v6(1));
  EXPECT_EQ(d.src_ip, v6(2));
  // An unknown neighbour is solicited through its solicited-node group.
  dp->send(ntp_command(v6(9)));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  d = decode(frames[0]);
  EXPECT_EQ(d.dst_ip.v6, wire::solicited_node_multicast(v6(9).v6));
  EXPECT_EQ(d.dst_mac, wire::ipv6_multicast_mac(wire::solicited_node_multicast(v6(9).v6)));
  // NS for an address that is not ours, and to a group we did not join.
  const auto other = wire::solicited_node_multicast(v6(7).v6);
  links[0]->inject(make([&](std::span<uint8_t> out) {
    return wire::encode_neighbor_solicitation(out, eth(wire::ipv6_multicast_mac(other), kServerMac),
                                              v6(1).v6, other, v6(7).v6);
  }));
  pump();
  EXPECT_EQ(drops(DropReason::kMulticastNotJoined), 1u);
}

TEST_F(DataplaneTest, EchoRepliesForBothFamilies) {
  start(single_port(), 1);
  links[0]->take();
  for (const auto& [src, dst] :
       {std::pair{v4(198, 18, 0, 1), v4(198, 18, 0, 2)}, std::pair{v6(1), v6(2)}}) {
    // Echo request built as an echo reply of an echo reply would be: craft it by hand.
    Frame f = make([&](std::span<uint8_t> out) {
      const std::array<uint8_t, 12> payload{};
      if (src.version == wire::IpVersion::kV4) {
        wire::Ipv4UdpSpec s;
        s.eth = eth(kOurMac, kServerMac);
        s.src_ip = src.v4;
        s.dst_ip = dst.v4;
        return wire::encode_ipv4_udp(out, s, payload);
      }
      wire::Ipv6UdpSpec s;
      s.eth = eth(kOurMac, kServerMac);
      s.src_ip = src.v6;
      s.dst_ip = dst.v6;
      return wire::encode_ipv6_udp(out, s, payload);
    });
    // Turn the UDP datagram into an ICMP echo request with a valid checksum.
    const bool is4 = src.version == wire::IpVersion::kV4;
    const size_t l3 = 14, l4 = l3 + (is4 ? 20 : 40);
    if (is4) {
      f[l3 + 9] = wire::kIpProtoIcmp;
      f[l3 + 10] = f[l3 + 11] = 0;
      const uint16_t c = wire::internet_checksum({f.data() + l3, 20});
      f[l3 + 10] = static_cast<uint8_t>(c >> 8);
      f[l3 + 11] = static_cast<uint8_t>(c);
    } else {
      f[l3 + 6] = wire::kIpProtoIcmpv6;
    }
    const size_t len = 20;
    f[l4] = is4 ? 8 : 128;
    f[l4 + 1] = 0;
    f[l4 + 2] = f[l4 + 3] = 0;
    const uint16_t c = is4 ? wire::internet_checksum({f.data() + l4, len})
                           : wire::icmpv6_checksum(src.v6, dst.v6, {f.data() + l4, len});
    f[l4 + 2] = static_cast<uint8_t>(c >> 8);
    f[l4 + 3] = static_cast<uint8_t>(c);
    links[0]->inject(f);
  }
  pump();
  const auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(decode(frames[0]).dst_ip, v4(198, 18, 0, 1));
  EXPECT_EQ(decode(frames[1]).dst_ip, v6(1));
  EXPECT_EQ(outcome(RxOutcome::kIcmpEchoAnswered), 2u);
}

TEST_F(DataplaneTest, TwoVrfsWithTheSameServerAddressStayApart) {
  l3::NetworkSpec n;
  n.interfaces.push_back({"red0", "", 0, "red", kOurMac, {prefix(v4(198, 18, 1, 2), 24)}});
  n.interfaces.push_back({"blue0", "", 0, "blue", kBlueMac, {prefix(v4(198, 18, 1, 2), 24)}});
  start(n, 2);
  links[0]->take();
  links[1]->take();
  const l3::VrfId red = *dp->interfaces().vrf_id("red");
  const l3::VrfId blue = *dp->interfaces().vrf_id("blue");
  dp->send(ntp_command(v4(198, 18, 1, 1), blue, 0xb1));
  pump();
  EXPECT_TRUE(links[0]->take().empty());  // nothing leaks into red
  auto frames = links[1]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(decode(frames[0]).is_arp);
  links[1]->inject(arp_reply(v4(198, 18, 1, 1), v4(198, 18, 1, 2), kBlueMac));
  pump();
  frames = links[1]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(decode(frames[0]).ntp.header.transmit.raw(), 0xb1u);
  // Red still has to resolve the same address on its own link.
  dp->send(ntp_command(v4(198, 18, 1, 1), red, 0xa1));
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(decode(frames[0]).is_arp);
  // Replies from "the same" server come back tagged with their VRF.
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 1, 1), v4(198, 18, 1, 2), 50000));
  links[1]->inject(ntp_reply(kBlueMac, v4(198, 18, 1, 1), v4(198, 18, 1, 2), 50000));
  pump();
  std::vector<l3::VrfId> vrfs;
  for (const auto& e : events()) {
    if (e.kind == DataplaneEvent::Kind::kNtpReply) vrfs.push_back(e.vrf);
  }
  ASSERT_EQ(vrfs.size(), 2u);
  EXPECT_NE(vrfs[0], vrfs[1]);
  // A frame for red's MAC arriving on blue's link is not for blue.
  links[1]->inject(ntp_reply(kOurMac, v4(198, 18, 1, 1), v4(198, 18, 1, 2), 50000));
  pump();
  EXPECT_EQ(drops(DropReason::kNotForUs), 1u);
}

TEST_F(DataplaneTest, SteeringFallsBackToSoftwareAndPollsEveryQueue) {
  // Two RX queues (one per NTP source interface after queue 0) on a PMD without rte_flow.
  l3::NetworkSpec n = single_port();
  n.ntp_source_interfaces = {"GE0.100"};
  start(n, 1, {}, true);
  EXPECT_EQ(dp->ports()[0].rx_queues, 2);
  EXPECT_FALSE(dp->ports()[0].hardware_steering);
  EXPECT_FALSE(dp->ports()[0].steering_note.empty());
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 100, 1), v4(198, 18, 100, 2), 50000, 100), 1);
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000), 0);
  pump();
  DataplaneEvent ev[4];
  EXPECT_EQ(dp->poll_events(1, ev, 4), 1u);  // classified to the sub-interface in software
  EXPECT_EQ(dp->poll_events(0, ev, 4), 1u);
}

TEST_F(DataplaneTest, UnansweredResolutionReportsTheRequestNotSent) {
  DataplaneOptions options;
  options.neighbors.retransmit_ns = 2'000'000;  // 2 ms, 3 probes
  start(single_port(), 1, options);
  links[0]->take();
  dp->send(ntp_command(v4(198, 18, 0, 77), 0, 0x77));
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  std::vector<DataplaneEvent> got;
  while (got.empty() && std::chrono::steady_clock::now() < until) {
    dp->poll_once();
    got = events();
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, DataplaneEvent::Kind::kNtpNotSent);
  EXPECT_EQ(got[0].cookie.raw(), 0x77u);
  EXPECT_EQ(links[0]->take().size(), 3u);  // three broadcast ARP requests
  EXPECT_EQ(drops(DropReason::kTxNeighborUnresolved), 1u);
}

// The server answers on the lcore, in the burst that received the request: a reply per
// request on the same link, T2 from the burst, T3 later, counted per interface and family.
Frame ntp_request(wire::IpAddress from, wire::IpAddress to, uint16_t vlan = 0,
                  uint64_t transmit = 0x1122334455667788ull) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.version = 3;
  h.transmit = NtpTimestamp::from_raw(transmit);
  return make([&](std::span<uint8_t> out) {
    if (from.version == wire::IpVersion::kV4) {
      wire::Ipv4UdpSpec s;
      s.eth = eth(kOurMac, kServerMac, vlan);
      s.src_ip = from.v4;
      s.dst_ip = to.v4;
      s.src_port = 40000;
      return wire::encode_ipv4_ntp(out, s, h);
    }
    wire::Ipv6UdpSpec s;
    s.eth = eth(kOurMac, kServerMac, vlan);
    s.src_ip = from.v6;
    s.dst_ip = to.v6;
    s.src_port = 40000;
    return wire::encode_ipv6_ntp(out, s, h);
  });
}

TEST_F(DataplaneTest, ServerAnswersRequestsInTheSameBurst) {
  start(single_port(), 1, [] {
    DataplaneOptions o;
    o.announce_on_start = false;
    return o;
  }());
  clock::PublishedClock published(clock::ClockModel::from_rate(
      0, 1'800'000'000'000'000'000, static_cast<double>(rte_get_tsc_hz())));
  server::PublishedServer state;
  server::ServerSnapshot snap;
  snap.clock.leap = 0;
  snap.clock.stratum = 3;
  snap.clock.reference_id = 0x0a000001;
  snap.listen.ipv4_enabled = true;
  snap.listen.ipv6_enabled = true;
  snap.listen.ipv4_interfaces = 0b10;  // GE0.100 only
  snap.listen.ipv6_count = 1;
  snap.listen.ipv6_addresses[0] = v6(2).v6;
  state.store(snap);
  dp->attach_server(&published, &state);

  links[0]->inject(ntp_request(v4(198, 18, 100, 1), v4(198, 18, 100, 2), 100));  // served
  links[0]->inject(ntp_request(v6(1), v6(2)));                                   // served
  links[0]->inject(ntp_request(v4(198, 18, 0, 1), v4(198, 18, 0, 2)));  // GE0 does not listen
  pump();
  const auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 2u);
  for (const Frame& f : frames) {
    const auto d = decode(f);
    ASSERT_EQ(d.error, wire::DecodeError::kOk);
    EXPECT_EQ(d.dst_mac, kServerMac);
    EXPECT_EQ(d.src_mac, kOurMac);
    EXPECT_EQ(d.src_port, 123);
    EXPECT_EQ(d.dst_port, 40000);
    EXPECT_EQ(d.ntp.header.mode, wire::NtpMode::kServer);
    EXPECT_EQ(d.ntp.header.version, 3);
    EXPECT_EQ(d.ntp.header.stratum, 3);
    EXPECT_EQ(d.ntp.header.reference_id, 0x0a000001u);
    EXPECT_EQ(d.ntp.header.origin.raw(), 0x1122334455667788ull);
    EXPECT_GT(d.ntp.header.transmit - d.ntp.header.receive, NtpDuration{});  // T3 after T2
    // T2 is the published clock's reading of the burst: within a second of it now.
    const NtpTimestamp now = published.read().ntp(rte_rdtsc());
    EXPECT_LT(std::abs((now - d.ntp.header.receive).to_seconds()), 1.0);
  }
  EXPECT_EQ(decode(frames[0]).vlans[0].vid, 100);
  EXPECT_TRUE(decode(frames[1]).is_ipv6());
  const server::ServerCounters& c = dp->counters().server;
  EXPECT_EQ(c.get(1, wire::IpVersion::kV4, server::ServeOutcome::kServedBasic), 1u);
  EXPECT_EQ(c.get(0, wire::IpVersion::kV6, server::ServeOutcome::kServedBasic), 1u);
  EXPECT_EQ(c.get(0, wire::IpVersion::kV4, server::ServeOutcome::kNotListening), 1u);
  EXPECT_EQ(outcome(RxOutcome::kNtpRequestServed), 2u);
  EXPECT_EQ(drops(DropReason::kNtpRequestNotServed), 1u);

  // Disabled: nothing is answered.
  snap.listen.ipv4_enabled = false;
  state.store(snap);
  links[0]->inject(ntp_request(v4(198, 18, 100, 1), v4(198, 18, 100, 2), 100));
  pump();
  EXPECT_TRUE(links[0]->take().empty());
  EXPECT_EQ(c.get(1, wire::IpVersion::kV4, server::ServeOutcome::kDisabled), 1u);
}

// The server's tables get the sizes of the start-up file (dataplane.rate-limit-entries,
// dataplane.interleaved-store-entries), allocated when the loop is built.
TEST_F(DataplaneTest, ServerTablesHaveTheConfiguredSizes) {
  DataplaneOptions o;
  o.announce_on_start = false;
  o.server_rate_limit_entries = 64;
  o.server_interleaved_entries = 0;
  start(single_port(), 1, o);
  EXPECT_EQ(dp->server_rate_table_entries(), 64u);
  EXPECT_EQ(dp->server_interleaved_entries(), 0u);
}

// Interleaved mode: the second request names the first reply's T2; its reply carries the first
// reply's TX time (read after the burst), later than that T2 and earlier than the new one.
TEST_F(DataplaneTest, ServerAnswersInterleavedWithThePreviousReplysTxTime) {
  DataplaneOptions o;
  o.announce_on_start = false;
  start(single_port(), 1, o);
  clock::PublishedClock published(clock::ClockModel::from_rate(
      0, 1'800'000'000'000'000'000, static_cast<double>(rte_get_tsc_hz())));
  server::PublishedServer state;
  server::ServerSnapshot snap;
  snap.clock.stratum = 2;
  snap.clock.leap = 0;
  snap.listen.ipv4_enabled = true;
  snap.listen.ipv4_all = true;
  state.store(snap);
  dp->attach_server(&published, &state);
  links[0]->inject(ntp_request(v4(198, 18, 0, 1), v4(198, 18, 0, 2)));
  pump();
  auto frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  const wire::NtpHeader first = decode(frames[0]).ntp.header;
  Frame second = ntp_request(v4(198, 18, 0, 1), v4(198, 18, 0, 2), 0, 0x5555);
  // origin := our T2, receive := the client's RX of our reply (offsets into the frame).
  const auto d = decode(second);
  const size_t ntp = d.l4_offset + 8;
  wire::store_be64(second.data() + ntp + 24, first.receive.raw());
  wire::store_be64(second.data() + ntp + 32, 0x7777);
  second[d.l4_offset + 6] = second[d.l4_offset + 7] = 0;  // UDP checksum: not computed
  links[0]->inject(second);
  pump();
  frames = links[0]->take();
  ASSERT_EQ(frames.size(), 1u);
  const wire::NtpHeader reply = decode(frames[0]).ntp.header;
  EXPECT_EQ(dp->counters().server.total(server::ServeOutcome::kServedInterleaved), 1u);
  EXPECT_GT(reply.transmit - first.receive, NtpDuration{});
  EXPECT_GT(reply.transmit - first.transmit, NtpDuration{});  // after the burst, not before
  EXPECT_GT(reply.receive - reply.transmit, NtpDuration{});
  EXPECT_EQ(reply.origin.raw(), 0x7777u);  // interleaved: the request's receive field
}

TEST_F(DataplaneTest, DropsAreCountedByReason) {
  start(single_port(), 1);
  Frame bad = ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000);
  bad[bad.size() - 1] ^= 0xff;  // breaks the UDP checksum
  links[0]->inject(bad);
  links[0]->inject(ntp_reply({{0x02, 9, 9, 9, 9, 9}}, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000));
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 9), 50000));
  wire::NtpHeader request;
  request.mode = wire::NtpMode::kClient;
  links[0]->inject(make([&](std::span<uint8_t> out) {
    wire::Ipv4UdpSpec s;
    s.eth = eth(kOurMac, kServerMac);
    s.src_ip = v4(198, 18, 0, 1).v4;
    s.dst_ip = v4(198, 18, 0, 2).v4;
    return wire::encode_ipv4_ntp(out, s, request);
  }));
  dp->send(ntp_command(v4(198, 19, 0, 1), 7));  // no such VRF: no route
  pump();
  EXPECT_EQ(dp->counters().decode[static_cast<size_t>(wire::DecodeError::kBadUdpChecksum)].load(),
            1u);
  EXPECT_EQ(drops(DropReason::kNotForUs), 2u);
  EXPECT_EQ(drops(DropReason::kNtpRequestNotServed), 1u);
  EXPECT_EQ(drops(DropReason::kTxNoRoute), 1u);
  EXPECT_EQ(dp->counters().rx_frames.load(), 4u);
}

// Telemetry's view: NTP counters per interface, ring occupancy, the lcore's busy passes.
TEST_F(DataplaneTest, CountsPerInterfaceRingOccupancyAndBusyPasses) {
  start(single_port(), 1);
  const DataplaneCounters& c = dp->counters();
  const uint64_t passes = c.lcore_passes.load(), busy = c.lcore_busy_passes.load();
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 100, 1), v4(198, 18, 100, 2), 50000, 100));
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000));
  links[0]->inject(ntp_reply(kOurMac, v4(198, 18, 0, 1), v4(198, 18, 0, 2), 50000));
  pump();
  EXPECT_EQ(c.interfaces[0].ntp_rx.load(), 2u);
  EXPECT_EQ(c.interfaces[0].rx_frames.load(), 2u);
  EXPECT_EQ(c.interfaces[1].ntp_rx.load(), 1u);
  EXPECT_EQ(c.interfaces[1].rx_frames.load(), 1u);
  EXPECT_EQ(dp->event_ring(0)->used(), 2u);
  EXPECT_EQ(dp->event_ring(1)->used(), 1u);
  EXPECT_EQ(dp->event_ring(0)->capacity(), 1023u);  // 1024 slots, one kept empty
  EXPECT_EQ(events().size(), 3u);
  EXPECT_EQ(dp->event_ring(0)->used(), 0u);

  ASSERT_TRUE(dp->send(ntp_command(v4(198, 18, 0, 1))));  // on-link: ARP first, then the request
  EXPECT_EQ(dp->command_ring().used(), 1u);
  pump();
  EXPECT_EQ(dp->command_ring().used(), 0u);
  links[0]->inject(arp_reply(v4(198, 18, 0, 1), v4(198, 18, 0, 2), kOurMac));
  pump();
  EXPECT_EQ(c.interfaces[0].ntp_tx.load(), 1u);
  EXPECT_EQ(c.interfaces[1].ntp_tx.load(), 0u);

  EXPECT_GE(c.lcore_passes.load(), passes + 8);     // two pumps of 4 passes
  EXPECT_GE(c.lcore_busy_passes.load(), busy + 3);  // RX, TX command, ARP reply + request
  EXPECT_LT(c.lcore_busy_passes.load(), c.lcore_passes.load());
  EXPECT_GT(c.lcore_busy_cycles.load(), 0u);
  EXPECT_LE(c.lcore_busy_cycles.load(), c.lcore_cycles.load());
}

}  // namespace
}  // namespace wiretime::dpdk

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  wiretime::dpdk::Eal eal;
  const std::string prefix = "wt-dp-test-" + std::to_string(getpid());
  if (std::string e =
          eal.init({"dataplane_test", "--no-huge", "--no-pci", "-m", "128", "--file-prefix", prefix,
                    "--log-level", "lib.eal:error", "-l", "0"});
      !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  wiretime::dpdk::g_pool =
      rte_pktmbuf_pool_create("test_pool", 1023, 32, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  return RUN_ALL_TESTS();
}

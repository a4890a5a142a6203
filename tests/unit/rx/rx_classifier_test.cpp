#include "dataplane/rx/rx_classifier.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <vector>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"
#include "dataplane/wire/frame_encoder.hpp"
#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::rx {
namespace {

using dpdk::DataplaneCounters;
using dpdk::DropReason;
using dpdk::NtpDrop;
using dpdk::RxOutcome;
using l3::test::prefix;
using l3::test::v4;
using l3::test::v6;

const wire::MacAddress kOurMac{{0x02, 0, 0, 0, 0, 0x10}};
const wire::MacAddress kPeerMac{{0x02, 0, 0, 0, 0, 0x20}};
const wire::MacAddress kOtherMac{{0x02, 0, 0, 0, 0, 0x30}};

using Frame = std::vector<uint8_t>;

template <typename F>
Frame make(F&& encode) {
  std::array<uint8_t, 512> buf{};
  const size_t len = encode(std::span<uint8_t>(buf));
  EXPECT_GT(len, 0u);
  return Frame(buf.begin(), buf.begin() + static_cast<long>(len));
}

wire::EthernetSpec eth(wire::MacAddress dst, uint16_t vlan = 0) {
  wire::EthernetSpec e;
  e.dst = dst;
  e.src = kPeerMac;
  e.has_vlan = vlan != 0;
  e.vlan_tci = vlan;
  return e;
}

Frame ntp4(wire::NtpMode mode, wire::MacAddress dst_mac = kOurMac, uint16_t vlan = 0,
           wire::IpAddress dst = v4(198, 18, 0, 2)) {
  wire::NtpHeader h;
  h.mode = mode;
  h.stratum = mode == wire::NtpMode::kServer ? 2 : 0;
  h.transmit = NtpTimestamp::from_raw(0xe000000000000001ULL);
  return make([&](std::span<uint8_t> out) {
    wire::Ipv4UdpSpec s;
    s.eth = eth(dst_mac, vlan);
    s.src_ip = v4(198, 18, 0, 1).v4;
    s.dst_ip = dst.v4;
    s.src_port = 40000;
    return wire::encode_ipv4_ntp(out, s, h);
  });
}

Frame ntp6(wire::NtpMode mode, wire::IpAddress dst = v6(0, 2)) {
  wire::NtpHeader h;
  h.mode = mode;
  h.transmit = NtpTimestamp::from_raw(0xe000000000000001ULL);
  return make([&](std::span<uint8_t> out) {
    wire::Ipv6UdpSpec s;
    s.eth = eth(kOurMac);
    s.src_ip = v6(0, 1).v6;
    s.dst_ip = dst.v6;
    s.src_port = 40000;
    return wire::encode_ipv6_ntp(out, s, h);
  });
}

Frame arp(wire::ArpOperation op, wire::IpAddress sender, wire::IpAddress target,
          wire::MacAddress dst_mac = wire::MacAddress::broadcast()) {
  wire::ArpPacket a;
  a.operation = op;
  a.sender_mac = kPeerMac;
  a.sender_ip = sender.v4;
  a.target_ip = target.v4;
  return make([&](std::span<uint8_t> out) { return wire::encode_arp(out, eth(dst_mac), a); });
}

// An ICMP echo request (type 8) or another ICMP type, built by hand: the encoders only make
// replies.
Frame icmp4(uint8_t type, uint8_t protocol = 1) {
  Frame f(14 + 20 + 8 + 16, 0);
  std::copy(kOurMac.bytes.begin(), kOurMac.bytes.end(), f.begin());
  std::copy(kPeerMac.bytes.begin(), kPeerMac.bytes.end(), f.begin() + 6);
  f[12] = 0x08;
  uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  ip[3] = static_cast<uint8_t>(f.size() - 14);
  ip[8] = 64;
  ip[9] = protocol;
  const auto src = v4(198, 18, 0, 1).v4;
  const auto dst = v4(198, 18, 0, 2).v4;
  std::copy(src.bytes.begin(), src.bytes.end(), ip + 12);
  std::copy(dst.bytes.begin(), dst.bytes.end(), ip + 16);
  auto checksum = [](const uint8_t* p, size_t n) { return wire::internet_checksum({p, n}); };
  const uint16_t ip_sum = checksum(ip, 20);
  ip[10] = static_cast<uint8_t>(ip_sum >> 8);
  ip[11] = static_cast<uint8_t>(ip_sum);
  uint8_t* icmp = ip + 20;
  icmp[0] = type;
  const uint16_t icmp_sum = checksum(icmp, f.size() - 34);
  icmp[2] = static_cast<uint8_t>(icmp_sum >> 8);
  icmp[3] = static_cast<uint8_t>(icmp_sum);
  return f;
}

// NS for `target` from `src` (:: for duplicate address detection: no link-layer option then).
Frame solicitation(wire::IpAddress src, wire::IpAddress target) {
  const wire::Ipv6Address group = wire::solicited_node_multicast(target.v6);
  Frame f = make([&](std::span<uint8_t> out) {
    return wire::encode_neighbor_solicitation(out, eth(wire::ipv6_multicast_mac(group)), src.v6,
                                              group, target.v6);
  });
  if (wire::is_unspecified(src.v6)) {
    // RFC 4861 section 7.1.1: no source link-layer address option from ::. Drop it (the last
    // 8 bytes), then fix the payload length and the checksum.
    f.resize(f.size() - 8);
    const size_t icmp = 14 + 40;
    const auto payload = static_cast<uint16_t>(f.size() - icmp);
    wire::store_be16(f.data() + 14 + 4, payload);
    wire::store_be16(f.data() + icmp + 2, 0);
    wire::store_be16(f.data() + icmp + 2,
                     wire::icmpv6_checksum(src.v6, group, {f.data() + icmp, payload}));
  }
  return f;
}

Frame advertisement(wire::IpAddress target, bool solicited) {
  return make([&](std::span<uint8_t> out) {
    wire::EthernetSpec e = eth(kOurMac);
    return wire::encode_neighbor_advertisement(out, e, target.v6, v6(0, 2).v6, target.v6,
                                               {false, solicited, true});
  });
}

class RxClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<l3::InterfaceSpec> spec = {
        {"GE1/0/1",
         "",
         l3::kNoVlan,
         "",
         std::nullopt,
         {prefix(v4(198, 18, 0, 2), 24), prefix(v6(0, 2), 64)}},
        {"GE1/0/1.100", "GE1/0/1", 100, "red", std::nullopt, {prefix(v4(198, 18, 1, 2), 24)}},
    };
    ASSERT_EQ(interfaces_.build(spec, {kOurMac}), "");
    options_.verify_l4_checksums = true;
  }

  RxVerdict run(const Frame& f, uint16_t port = 0) {
    const wire::DecodedFrame d = wire::decode_frame(f, options_);
    decoded_ = d;
    return classify(port, decoded_, interfaces_, nd_, *counters_);
  }
  uint64_t drops(DropReason r) const { return counters_->drop[static_cast<size_t>(r)]; }
  uint64_t outcomes(RxOutcome o) const { return counters_->outcome[static_cast<size_t>(o)]; }

  l3::InterfaceTable interfaces_;
  wire::FrameDecodeOptions options_;
  wire::DecodedFrame decoded_;
  wire::NdMessage nd_;
  std::unique_ptr<DataplaneCounters> counters_ = std::make_unique<DataplaneCounters>();
};

TEST_F(RxClassifierTest, ArpRequestForUsIsAnsweredThenTheSenderLearned) {
  const RxVerdict v = run(arp(wire::ArpOperation::kRequest, v4(198, 18, 0, 1), v4(198, 18, 0, 2)));
  EXPECT_EQ(v.action, RxAction::kArpReply);
  ASSERT_NE(v.itf, nullptr);
  EXPECT_EQ(v.itf->name, "GE1/0/1");
  ASSERT_TRUE(v.learn.valid);
  EXPECT_EQ(v.learn.ip, v4(198, 18, 0, 1));
  EXPECT_EQ(v.learn.mac, kPeerMac);
  EXPECT_EQ(v.learn.kind, l3::LearnKind::kHeard);
  EXPECT_TRUE(v.learn.create);
  EXPECT_EQ(outcomes(RxOutcome::kArpAnswered), 1u);
  EXPECT_EQ(counters_->rx_frames, 1u);
  EXPECT_EQ(counters_->interfaces[0].rx_frames, 1u);
  EXPECT_EQ(counters_->rx_accounted(), 1u);
}

TEST_F(RxClassifierTest, ArpRepliesConfirmGratuitousRefreshOthersAreNotOurs) {
  RxVerdict v = run(arp(wire::ArpOperation::kReply, v4(198, 18, 0, 1), v4(198, 18, 0, 2), kOurMac));
  EXPECT_EQ(v.action, RxAction::kNone);
  ASSERT_TRUE(v.learn.valid);
  EXPECT_EQ(v.learn.kind, l3::LearnKind::kConfirmed);
  EXPECT_FALSE(v.learn.create);
  EXPECT_EQ(outcomes(RxOutcome::kArpLearned), 1u);

  v = run(arp(wire::ArpOperation::kRequest, v4(198, 18, 0, 7), v4(198, 18, 0, 7)));
  EXPECT_EQ(v.action, RxAction::kNone);
  ASSERT_TRUE(v.learn.valid);  // refreshes an entry we have, never creates one
  EXPECT_FALSE(v.learn.create);
  EXPECT_EQ(outcomes(RxOutcome::kArpGratuitous), 1u);

  // A gratuitous ARP for our own address teaches nothing (an address conflict).
  v = run(arp(wire::ArpOperation::kRequest, v4(198, 18, 0, 2), v4(198, 18, 0, 2)));
  EXPECT_FALSE(v.learn.valid);
  EXPECT_EQ(outcomes(RxOutcome::kArpGratuitous), 2u);

  v = run(arp(wire::ArpOperation::kRequest, v4(198, 18, 0, 1), v4(198, 18, 0, 9)));
  EXPECT_EQ(v.action, RxAction::kNone);
  EXPECT_FALSE(v.learn.valid);
  EXPECT_EQ(drops(DropReason::kArpNotForUs), 1u);
  EXPECT_EQ(counters_->rx_accounted(), counters_->rx_frames.load());
}

TEST_F(RxClassifierTest, InterfaceIsThePortAndVlanAndFramesForOthersAreDropped) {
  RxVerdict v = run(ntp4(wire::NtpMode::kClient, kOurMac, 100, v4(198, 18, 1, 2)));
  EXPECT_EQ(v.action, RxAction::kServe);
  ASSERT_NE(v.itf, nullptr);
  EXPECT_EQ(v.itf->name, "GE1/0/1.100");
  EXPECT_EQ(counters_->interfaces[1].rx_frames, 1u);

  // Unknown VLAN, unknown port.
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient, kOurMac, 200)).itf, nullptr);
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient), 1).itf, nullptr);
  EXPECT_EQ(drops(DropReason::kNoInterface), 2u);
  // The VLAN's address on the untagged interface is not ours there.
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient, kOurMac, 0, v4(198, 18, 1, 2))).action,
            RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kNotForUs), 1u);
  // Another host's MAC, a multicast MAC we did not join.
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient, kOtherMac)).action, RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kNotForUs), 2u);
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient, wire::MacAddress{{0x01, 0, 0x5e, 0, 0, 1}})).action,
            RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kMulticastNotJoined), 1u);
  EXPECT_EQ(counters_->rx_frames, 6u);
  // The served request is the caller's to count; everything else is counted here.
  EXPECT_EQ(counters_->rx_accounted(), 5u);
}

TEST_F(RxClassifierTest, NtpRequestsAreServedRepliesGoToControlOtherModesAreInvalid) {
  EXPECT_EQ(run(ntp4(wire::NtpMode::kClient)).action, RxAction::kServe);
  EXPECT_EQ(run(ntp6(wire::NtpMode::kClient)).action, RxAction::kServe);
  const RxVerdict v = run(ntp4(wire::NtpMode::kServer));
  EXPECT_EQ(v.action, RxAction::kNtpToControl);
  EXPECT_EQ(counters_->rx_accounted(), 0u);

  const dpdk::DataplaneEvent e = ntp_reply_event(*v.itf, decoded_);
  EXPECT_EQ(e.kind, dpdk::DataplaneEvent::Kind::kNtpReply);
  EXPECT_EQ(e.interface, 0);
  EXPECT_EQ(e.src, v4(198, 18, 0, 1));
  EXPECT_EQ(e.dst, v4(198, 18, 0, 2));
  EXPECT_EQ(e.src_port, 40000);
  EXPECT_EQ(e.dst_port, 123);
  EXPECT_EQ(e.ntp.stratum, 2);
  EXPECT_EQ(e.ntp.transmit.raw(), 0xe000000000000001ULL);
  EXPECT_FALSE(e.has_mac);

  EXPECT_EQ(run(ntp4(wire::NtpMode::kSymmetricActive)).action, RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kNtpUnexpectedMode), 1u);
  EXPECT_EQ(run(ntp6(wire::NtpMode::kControl)).action, RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kNtpNotTimePacket), 1u);
  EXPECT_EQ(counters_->ntp_drops[0][static_cast<size_t>(NtpDrop::kInvalid)], 1u);
  EXPECT_EQ(counters_->ntp_drops[1][static_cast<size_t>(NtpDrop::kInvalid)], 1u);
  // NTP to an IPv6 group: no multicast service.
  const Frame to_group =
      ntp6(wire::NtpMode::kClient, wire::IpAddress::from(wire::kAllNodesMulticast));
  EXPECT_EQ(run(to_group).action, RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kNotForUs), 1u);
}

TEST_F(RxClassifierTest, DecodeErrorsAreCountedOnceAndNtpOnesAsInvalidNtp) {
  Frame bad = ntp4(wire::NtpMode::kClient);
  bad.back() ^= 0xff;  // UDP checksum no longer matches
  EXPECT_EQ(run(bad).action, RxAction::kNone);
  EXPECT_EQ(counters_->decode[static_cast<size_t>(wire::DecodeError::kBadUdpChecksum)], 1u);
  Frame runt = ntp4(wire::NtpMode::kClient);
  runt.resize(20);
  EXPECT_EQ(run(runt).action, RxAction::kNone);
  EXPECT_EQ(counters_->rx_frames, 2u);
  EXPECT_EQ(counters_->rx_accounted(), 2u);
  EXPECT_EQ(counters_->drop[static_cast<size_t>(DropReason::kNoInterface)], 0u);
}

// An NTP payload too short to decode: to our port 123 it is a malformed request of the
// interface's server; from port 123 to another port (a reply to our client) an invalid NTP drop.
TEST_F(RxClassifierTest, UndecodableRequestsAreTheServersMalformedOnesPerInterface) {
  const std::array<uint8_t, 10> payload{0x23};
  auto short_ntp = [&](uint16_t src_port, uint16_t dst_port) {
    return make([&](std::span<uint8_t> out) {
      wire::Ipv4UdpSpec s;
      s.eth = eth(kOurMac);
      s.src_ip = v4(198, 18, 0, 1).v4;
      s.dst_ip = v4(198, 18, 0, 2).v4;
      s.src_port = src_port;
      s.dst_port = dst_port;
      return wire::encode_ipv4_udp(out, s, payload);
    });
  };
  EXPECT_EQ(run(short_ntp(40000, 123)).action, RxAction::kNone);
  EXPECT_EQ(counters_->decode[static_cast<size_t>(wire::DecodeError::kNtpTooShort)], 1u);
  EXPECT_EQ(counters_->server.get(0, wire::IpVersion::kV4, server::ServeOutcome::kMalformed), 1u);
  EXPECT_EQ(counters_->ntp_drops[0][static_cast<size_t>(NtpDrop::kInvalid)], 0u);
  EXPECT_EQ(run(short_ntp(123, 40000)).action, RxAction::kNone);
  EXPECT_EQ(counters_->server.total(server::ServeOutcome::kMalformed), 1u);
  EXPECT_EQ(counters_->ntp_drops[0][static_cast<size_t>(NtpDrop::kInvalid)], 1u);
  EXPECT_EQ(counters_->rx_accounted(), 2u);
}

TEST_F(RxClassifierTest, IcmpEchoRequestsAreAnsweredOtherIcmpAndProtocolsIgnored) {
  RxVerdict v = run(icmp4(8));
  EXPECT_EQ(v.action, RxAction::kIcmpEchoReply);
  EXPECT_EQ(run(icmp4(0)).action, RxAction::kNone);  // an echo reply
  EXPECT_EQ(drops(DropReason::kIcmpIgnored), 1u);
  EXPECT_EQ(run(icmp4(8, 47)).action, RxAction::kNone);  // GRE
  EXPECT_EQ(drops(DropReason::kUnknownProtocol), 1u);
}

TEST_F(RxClassifierTest, SolicitationsAreAnsweredToTheSolicitorOrAllNodes) {
  RxVerdict v = run(solicitation(v6(0, 1), v6(0, 2)));
  ASSERT_EQ(v.action, RxAction::kNeighborAdvertisement);
  EXPECT_EQ(v.advert.target, v6(0, 2).v6);
  EXPECT_EQ(v.advert.to, v6(0, 1).v6);
  EXPECT_EQ(v.advert.to_mac, kPeerMac);  // from the source link-layer address option
  EXPECT_TRUE(v.advert.solicited);
  ASSERT_TRUE(v.learn.valid);
  EXPECT_EQ(v.learn.ip, v6(0, 1));
  EXPECT_TRUE(v.learn.create);
  EXPECT_EQ(outcomes(RxOutcome::kNdAnswered), 1u);

  // Duplicate address detection: from ::, answered to all-nodes, unsolicited, nobody learned.
  v = run(solicitation(wire::IpAddress::from(wire::Ipv6Address{}), v6(0, 2)));
  ASSERT_EQ(v.action, RxAction::kNeighborAdvertisement);
  EXPECT_EQ(v.advert.to, wire::kAllNodesMulticast);
  EXPECT_EQ(v.advert.to_mac, wire::ipv6_multicast_mac(wire::kAllNodesMulticast));
  EXPECT_FALSE(v.advert.solicited);
  EXPECT_FALSE(v.learn.valid);

  // Another target in a group we joined? The solicited-node group of ::9 is not joined.
  EXPECT_EQ(run(solicitation(v6(0, 1), v6(0, 9))).action, RxAction::kNone);
  EXPECT_EQ(drops(DropReason::kMulticastNotJoined), 1u);
  EXPECT_EQ(counters_->rx_accounted(), counters_->rx_frames.load());
}

TEST_F(RxClassifierTest, AdvertisementsTeachTheNeighbour) {
  RxVerdict v = run(advertisement(v6(0, 1), true));
  EXPECT_EQ(v.action, RxAction::kNone);
  ASSERT_TRUE(v.learn.valid);
  EXPECT_EQ(v.learn.ip, v6(0, 1));
  EXPECT_EQ(v.learn.kind, l3::LearnKind::kConfirmed);
  EXPECT_FALSE(v.learn.create);
  v = run(advertisement(v6(0, 1), false));
  EXPECT_EQ(v.learn.kind, l3::LearnKind::kHeard);
  // An NA for our own address teaches nothing.
  EXPECT_FALSE(run(advertisement(v6(0, 2), false)).learn.valid);
  EXPECT_EQ(outcomes(RxOutcome::kNdLearned), 3u);
  EXPECT_EQ(counters_->rx_accounted(), counters_->rx_frames.load());
}

}  // namespace
}  // namespace wiretime::rx

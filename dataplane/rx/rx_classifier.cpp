#include "dataplane/rx/rx_classifier.hpp"

#include <algorithm>

namespace wiretime::rx {
namespace {

using dpdk::DataplaneCounters;
using dpdk::DropReason;
using dpdk::NtpDrop;
using dpdk::RxOutcome;

constexpr uint8_t kIcmpEchoRequest = 8;
constexpr uint8_t kIcmpv6EchoRequest = 128;

// The helpers fill the caller's verdict in place: it is ~100 bytes, and passing it by value
// through each step showed in the lcore's profile.
void drop(RxVerdict& v, DataplaneCounters& counters, DropReason reason) {
  counters.count(reason);
  v.action = RxAction::kNone;
}

// Neither an unset nor a group MAC names a neighbour.
LearnNeighbor learn(const wire::IpAddress& ip, const wire::MacAddress& mac, l3::LearnKind kind,
                    bool create) {
  LearnNeighbor l;
  l.valid = mac != wire::MacAddress{} && !mac.is_multicast();
  l.ip = ip;
  l.mac = mac;
  l.kind = kind;
  l.create = create;
  return l;
}

void arp(RxVerdict& v, const wire::DecodedFrame& frame, DataplaneCounters& counters) {
  const l3::Interface& itf = *v.itf;
  const wire::ArpPacket& a = frame.arp;
  const auto sender = wire::IpAddress::from(a.sender_ip);
  const auto target = wire::IpAddress::from(a.target_ip);
  if (a.sender_ip == a.target_ip) {
    // Gratuitous: refreshes an entry we have, never creates one (RFC 5227 announcements).
    if (!itf.owns(sender)) v.learn = learn(sender, a.sender_mac, l3::LearnKind::kHeard, false);
    counters.count(RxOutcome::kArpGratuitous);
    return;
  }
  if (!itf.owns(target)) return drop(v, counters, DropReason::kArpNotForUs);
  if (a.operation == wire::ArpOperation::kReply) {
    v.learn = learn(sender, a.sender_mac, l3::LearnKind::kConfirmed, false);
    counters.count(RxOutcome::kArpLearned);
    return;
  }
  counters.count(RxOutcome::kArpAnswered);
  // Answer first (the requester is waiting), then learn: it will talk to us next (RFC 826).
  v.action = RxAction::kArpReply;
  v.learn = learn(sender, a.sender_mac, l3::LearnKind::kHeard, true);
  return;
}

void ntp(RxVerdict& v, const wire::DecodedFrame& frame, DataplaneCounters& counters) {
  const wire::NtpPacket& packet = frame.ntp;
  const bool ipv6 = frame.src_ip.version == wire::IpVersion::kV6;
  if (!packet.is_time_packet) {
    counters.count(NtpDrop::kInvalid, ipv6);
    return drop(v, counters, DropReason::kNtpNotTimePacket);
  }
  if (packet.header.mode == wire::NtpMode::kClient) {
    v.action = RxAction::kServe;
    return;
  }
  if (packet.header.mode != wire::NtpMode::kServer) {
    counters.count(NtpDrop::kInvalid, ipv6);
    return drop(v, counters, DropReason::kNtpUnexpectedMode);
  }
  v.action = RxAction::kNtpToControl;
  return;
}

void ipv4(RxVerdict& v, const wire::DecodedFrame& frame, DataplaneCounters& counters) {
  if (!v.itf->owns(frame.dst_ip)) return drop(v, counters, DropReason::kNotForUs);
  if (frame.error == wire::DecodeError::kOk) return ntp(v, frame, counters);
  if (frame.ip_protocol != wire::kIpProtoIcmp) {
    return drop(v, counters, DropReason::kUnknownProtocol);
  }
  if (frame.l4.empty() || frame.l4[0] != kIcmpEchoRequest) {
    return drop(v, counters, DropReason::kIcmpIgnored);
  }
  v.action = RxAction::kIcmpEchoReply;
  return;
}

void icmpv6(RxVerdict& v, const wire::DecodedFrame& frame, wire::NdMessage& nd,
            DataplaneCounters& counters) {
  const l3::Interface& itf = *v.itf;
  const uint8_t type = frame.l4.empty() ? 0 : frame.l4[0];
  if (type == kIcmpv6EchoRequest) {
    if (wire::is_multicast(frame.dst_ip.v6)) return drop(v, counters, DropReason::kIcmpBadEcho);
    v.action = RxAction::kIcmpv6EchoReply;
    return;
  }
  if (type != wire::kIcmpv6NeighborSolicitation && type != wire::kIcmpv6NeighborAdvertisement) {
    return drop(v, counters, DropReason::kIcmpIgnored);
  }
  const wire::NdError error = wire::parse_neighbor_discovery(frame, nd);
  if (error != wire::NdError::kOk) {
    DataplaneCounters::bump(counters.nd_errors[static_cast<size_t>(error)]);
    return drop(v, counters, DropReason::kNdInvalid);
  }
  const auto target = wire::IpAddress::from(nd.target);
  if (nd.type == wire::NdType::kAdvertisement) {
    if (nd.has_link_address && !itf.owns(target)) {
      v.learn = learn(target, nd.link_address,
                      nd.solicited ? l3::LearnKind::kConfirmed : l3::LearnKind::kHeard, false);
    }
    counters.count(RxOutcome::kNdLearned);
    return;
  }
  if (!itf.owns(target)) return drop(v, counters, DropReason::kNdNotForUs);
  counters.count(RxOutcome::kNdAnswered);
  // RFC 4861 section 7.2.4: to the solicitor (its link address option, else the frame's
  // source), or to all-nodes when it has no address yet (duplicate address detection).
  const bool from_unspecified = wire::is_unspecified(frame.src_ip.v6);
  v.action = RxAction::kNeighborAdvertisement;
  v.advert.target = nd.target;
  v.advert.to = from_unspecified ? wire::kAllNodesMulticast : frame.src_ip.v6;
  v.advert.to_mac = from_unspecified ? wire::ipv6_multicast_mac(v.advert.to)
                                     : (nd.has_link_address ? nd.link_address : frame.src_mac);
  v.advert.solicited = !from_unspecified;
  if (!from_unspecified && nd.has_link_address) {
    v.learn = learn(frame.src_ip, nd.link_address, l3::LearnKind::kHeard, true);
  }
  return;
}

void ipv6(RxVerdict& v, const wire::DecodedFrame& frame, wire::NdMessage& nd,
          DataplaneCounters& counters) {
  const wire::Ipv6Address& dst = frame.dst_ip.v6;
  const bool multicast = wire::is_multicast(dst);
  if (multicast ? !v.itf->joined(dst) : !v.itf->owns(frame.dst_ip)) {
    return drop(v, counters, multicast ? DropReason::kMulticastNotJoined : DropReason::kNotForUs);
  }
  if (frame.error == wire::DecodeError::kOk) {
    // NTP to a group: no multicast service here.
    if (multicast) return drop(v, counters, DropReason::kNotForUs);
    return ntp(v, frame, counters);
  }
  if (frame.ip_protocol != wire::kIpProtoIcmpv6) {
    return drop(v, counters, DropReason::kUnknownProtocol);
  }
  return icmpv6(v, frame, nd, counters);
}

}  // namespace

RxVerdict classify(uint16_t port, const wire::DecodedFrame& frame,
                   const l3::InterfaceTable& interfaces, wire::NdMessage& nd,
                   DataplaneCounters& counters) {
  DataplaneCounters::bump(counters.rx_frames);
  RxVerdict v;
  // kNotUdp still decoded the IP layer: ICMP and unknown protocols are classified below.
  if (frame.error != wire::DecodeError::kOk && frame.error != wire::DecodeError::kNotUdp) {
    counters.count(frame.error);
    if (frame.error >= wire::DecodeError::kNtpTooShort) {
      // A request to one of our server addresses that does not decode is the server's outcome
      // `malformed` on its interface (every request ends in one outcome per interface); other
      // undecodable NTP (replies to our clients, or not for us) is a family-level NTP drop.
      const l3::Interface* itf =
          frame.vlan_count > 1
              ? nullptr
              : interfaces.find_by_port_vlan(
                    port, frame.vlan_count == 1 ? frame.vlans[0].vid : l3::kNoVlan);
      if (itf != nullptr && frame.dst_port == wire::kNtpPort && itf->owns(frame.dst_ip)) {
        counters.server.count(itf->index, frame.src_ip.version, server::ServeOutcome::kMalformed);
      } else {
        counters.count(NtpDrop::kInvalid, frame.src_ip.version == wire::IpVersion::kV6);
      }
    }
    return v;
  }
  // QinQ sub-interfaces are not configured.
  if (frame.vlan_count > 1) {
    drop(v, counters, DropReason::kNoInterface);
    return v;
  }
  const uint16_t vlan = frame.vlan_count == 1 ? frame.vlans[0].vid : l3::kNoVlan;
  v.itf = interfaces.find_by_port_vlan(port, vlan);
  if (v.itf == nullptr) {
    drop(v, counters, DropReason::kNoInterface);
    return v;
  }
  if (dpdk::InterfaceCounters* ic = counters.interface(v.itf->index)) {
    DataplaneCounters::bump(ic->rx_frames);
  }
  if (frame.dst_mac != v.itf->mac && frame.dst_mac != wire::MacAddress::broadcast()) {
    const bool ipv6_multicast =
        frame.dst_mac.bytes[0] == 0x33 && frame.dst_mac.bytes[1] == 0x33 && v.itf->has_ipv6;
    if (!ipv6_multicast) {
      drop(v, counters,
           frame.dst_mac.is_multicast() ? DropReason::kMulticastNotJoined : DropReason::kNotForUs);
      return v;
    }
  }
  if (frame.is_arp) {
    arp(v, frame, counters);
  } else if (frame.is_ipv4()) {
    ipv4(v, frame, counters);
  } else {
    ipv6(v, frame, nd, counters);
  }
  return v;
}

dpdk::DataplaneEvent ntp_reply_event(const l3::Interface& itf, const wire::DecodedFrame& frame) {
  const wire::NtpPacket& packet = frame.ntp;
  dpdk::DataplaneEvent event;
  event.kind = dpdk::DataplaneEvent::Kind::kNtpReply;
  event.interface = itf.index;
  event.vrf = itf.vrf;
  event.src = frame.src_ip;
  event.dst = frame.dst_ip;
  event.src_port = frame.src_port;
  event.dst_port = frame.dst_port;
  event.ntp = packet.header;
  event.extension_fields = packet.extension_count;
  if (packet.has_mac) {
    event.has_mac = true;
    event.mac_key_id = packet.mac.key_id;
    event.mac_length = static_cast<uint8_t>(packet.mac.digest.size());
    std::copy_n(packet.mac.digest.begin(), std::min(packet.mac.digest.size(), event.mac.size()),
                event.mac.begin());
  }
  return event;
}

}  // namespace wiretime::rx

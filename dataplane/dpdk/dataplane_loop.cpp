#include "dataplane/dpdk/dataplane_loop.hpp"

#include <rte_cycles.h>
#include <rte_prefetch.h>

#include <algorithm>
#include <span>

#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::dpdk {
namespace {

constexpr uint8_t kIcmpEchoRequest = 8;
constexpr uint8_t kIcmpv6EchoRequest = 128;
constexpr uint64_t kClockSampleMs = 50;
constexpr uint64_t kTxStampWaitMs = 50;

bool is_zero(const wire::MacAddress& mac) {
  return mac == wire::MacAddress{};
}

}  // namespace

DataplaneLoop::DataplaneLoop(const DataplaneLoopConfig& config, std::vector<Port*> ports,
                             const l3::InterfaceTable& interfaces, const l3::RoutingTable& routes,
                             SpscRing<TxCommand>& commands,
                             std::vector<SpscRing<DataplaneEvent>*> events,
                             DataplaneCounters& counters)
    : config_(config),
      ports_(std::move(ports)),
      interfaces_(interfaces),
      routes_(routes),
      commands_(commands),
      events_(std::move(events)),
      counters_(counters),
      neighbors_(config.neighbors),
      clocks_(ports_.size()),
      tx_stamps_(ports_.size()),
      interleaved_(config.server_interleaved_entries) {
  decode_options_.verify_l4_checksums = true;
  decode_options_.extra_ntp_port = config.extra_ntp_port;
  const double hz = static_cast<double>(rte_get_tsc_hz());
  ns_per_tick_ = 1e9 / hz;
  ticks_per_ms_ = static_cast<uint64_t>(hz / 1000) + 1;
  announced_ = !config.announce_on_start;
  for (const l3::Interface& itf : interfaces_.all()) {
    server::ServerInterface si;
    si.index = itf.index;
    si.vrf = itf.vrf;
    for (const l3::IpPrefix& a : itf.addresses) {
      if (a.address.version != wire::IpVersion::kV4) continue;
      si.has_primary_ipv4 = true;  // the first IPv4 address is the primary one
      si.primary_ipv4 = a.address.v4;
      break;
    }
    server_interfaces_.push_back(si);
  }
}

bool DataplaneLoop::poll_once() {
  const uint64_t now = read_tsc();
  // Busy ratio: two relaxed counters per pass, a third and one more TSC read per busy pass.
  if (last_poll_tsc_ != 0) DataplaneCounters::add(counters_.lcore_cycles, now - last_poll_tsc_);
  last_poll_tsc_ = now;
  if (!announced_) {
    announced_ = true;
    announce();
  }
  const bool received = rx_stage(now);
  const bool sent = tx_stage(now);
  if (now >= next_timer_tsc_) timers(now);
  DataplaneCounters::bump(counters_.lcore_passes);
  if (received || sent) {
    DataplaneCounters::bump(counters_.lcore_busy_passes);
    DataplaneCounters::add(counters_.lcore_busy_cycles, read_tsc() - now);
  }
  return received || sent;
}

// ---------------------------------------------------------------------------------------- RX

bool DataplaneLoop::rx_stage(uint64_t now_tsc) {
  (void)now_tsc;
  bool any = false;
  for (uint16_t p = 0; p < ports_.size(); ++p) {
    // Every queue gets its own burst budget: a flood on one cannot starve the others.
    for (uint16_t q = 0; q < ports_[p]->rx_queue_count(); ++q) {
      rte_mbuf* mbufs[kBurst];
      const uint16_t n = ports_[p]->rx_burst(q, mbufs, kBurst);
      if (n == 0) continue;
      any = true;
      // T4 (and a request's T2) for the whole burst: the earliest moment we know the frames
      // are here.
      const uint64_t burst_tsc = read_tsc();
      burst_state_read_ = false;
      for (uint16_t i = 0; i < n; ++i) {
        if (i + 1 < n) rte_prefetch0(rte_pktmbuf_mtod(mbufs[i + 1], void*));
        if (!classify(p, mbufs[i], burst_tsc)) rte_pktmbuf_free(mbufs[i]);
      }
      if (reply_count_ != 0) flush_replies(p);
    }
  }
  return any;
}

bool DataplaneLoop::classify(uint16_t port, rte_mbuf* m, uint64_t burst_tsc) {
  DataplaneCounters::bump(counters_.rx_frames);
  const std::span<const uint8_t> frame(rte_pktmbuf_mtod(m, const uint8_t*), m->data_len);
  wire::decode_frame(frame, decode_options_, decoded_);
  // kNotUdp still decoded the IP layer: ICMP and unknown protocols are classified below.
  if (decoded_.error != wire::DecodeError::kOk && decoded_.error != wire::DecodeError::kNotUdp) {
    counters_.count(decoded_.error);
    if (decoded_.error >= wire::DecodeError::kNtpTooShort) {
      counters_.count(NtpDrop::kInvalid, decoded_.src_ip.version == wire::IpVersion::kV6);
    }
    return false;
  }
  if (decoded_.vlan_count > 1) {
    counters_.count(DropReason::kNoInterface);  // QinQ sub-interfaces are not configured
    return false;
  }
  const uint16_t vlan = decoded_.vlan_count == 1 ? decoded_.vlans[0].vid : l3::kNoVlan;
  const l3::Interface* itf = interfaces_.find_by_port_vlan(port, vlan);
  if (itf == nullptr) {
    counters_.count(DropReason::kNoInterface);
    return false;
  }
  if (InterfaceCounters* ic = counters_.interface(itf->index)) {
    DataplaneCounters::bump(ic->rx_frames);
  }
  if (decoded_.dst_mac != itf->mac && decoded_.dst_mac != wire::MacAddress::broadcast()) {
    const bool ipv6_multicast =
        decoded_.dst_mac.bytes[0] == 0x33 && decoded_.dst_mac.bytes[1] == 0x33 && itf->has_ipv6;
    if (!ipv6_multicast) {
      counters_.count(decoded_.dst_mac.is_multicast() ? DropReason::kMulticastNotJoined
                                                      : DropReason::kNotForUs);
      return false;
    }
  }
  if (decoded_.is_arp) {
    handle_arp(*itf, burst_tsc);
    return false;
  }
  return decoded_.is_ipv4() ? handle_ipv4(*itf, m, port, burst_tsc)
                            : handle_ipv6(*itf, m, port, burst_tsc);
}

void DataplaneLoop::learn(const l3::Interface& itf, const wire::IpAddress& ip,
                          const wire::MacAddress& mac, l3::LearnKind kind, bool create,
                          uint64_t now_tsc) {
  if (is_zero(mac) || mac.is_multicast()) return;
  if (auto released = neighbors_.learn({itf.index, ip}, mac, to_ns(now_tsc), kind, create)) {
    execute(*released, now_tsc);  // the request that waited for this neighbour
  }
}

void DataplaneLoop::handle_arp(const l3::Interface& itf, uint64_t now_tsc) {
  const wire::ArpPacket arp = decoded_.arp;
  const auto sender = wire::IpAddress::from(arp.sender_ip);
  const auto target = wire::IpAddress::from(arp.target_ip);
  if (arp.sender_ip == arp.target_ip) {
    // Gratuitous: refreshes an entry we have, never creates one (RFC 5227 announcements).
    if (!itf.owns(sender))
      learn(itf, sender, arp.sender_mac, l3::LearnKind::kHeard, false, now_tsc);
    counters_.count(RxOutcome::kArpGratuitous);
    return;
  }
  if (!itf.owns(target)) {
    counters_.count(DropReason::kArpNotForUs);
    return;
  }
  if (arp.operation == wire::ArpOperation::kReply) {
    learn(itf, sender, arp.sender_mac, l3::LearnKind::kConfirmed, false, now_tsc);
    counters_.count(RxOutcome::kArpLearned);
    return;
  }
  counters_.count(RxOutcome::kArpAnswered);
  // Answer first (the requester is waiting), then learn: it will talk to us next (RFC 826).
  const uint16_t port = itf.port;
  if (rte_mbuf* m = alloc_tx(port)) {
    const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
    finish_and_send(port, m, wire::encode_arp_reply(out, ethernet(itf, {}), arp, itf.mac));
  }
  learn(itf, sender, arp.sender_mac, l3::LearnKind::kHeard, true, now_tsc);
}

bool DataplaneLoop::handle_ipv4(const l3::Interface& itf, rte_mbuf* m, uint16_t port,
                                uint64_t burst_tsc) {
  if (!itf.owns(decoded_.dst_ip)) {
    counters_.count(DropReason::kNotForUs);
    return false;
  }
  if (decoded_.error == wire::DecodeError::kOk) {
    return handle_ntp(itf, m, port, burst_tsc);
  }
  if (decoded_.ip_protocol != wire::kIpProtoIcmp) {
    counters_.count(DropReason::kUnknownProtocol);
    return false;
  }
  if (decoded_.l4.empty() || decoded_.l4[0] != kIcmpEchoRequest) {
    counters_.count(DropReason::kIcmpIgnored);
    return false;
  }
  rte_mbuf* reply = alloc_tx(itf.port);
  if (reply == nullptr) {
    counters_.count(RxOutcome::kIcmpEchoAnswered);  // answered as far as we could: TX counted
    return false;
  }
  const std::span<uint8_t> out(rte_pktmbuf_mtod(reply, uint8_t*), rte_pktmbuf_tailroom(reply));
  const size_t len = wire::encode_icmp_echo_reply(out, decoded_);
  if (len == 0) {
    rte_pktmbuf_free(reply);
    counters_.count(DropReason::kIcmpBadEcho);
    return false;
  }
  counters_.count(RxOutcome::kIcmpEchoAnswered);
  finish_and_send(itf.port, reply, len);
  return false;
}

bool DataplaneLoop::handle_ipv6(const l3::Interface& itf, rte_mbuf* m, uint16_t port,
                                uint64_t burst_tsc) {
  const wire::Ipv6Address& dst = decoded_.dst_ip.v6;
  if (wire::is_multicast(dst) ? !itf.joined(dst) : !itf.owns(decoded_.dst_ip)) {
    counters_.count(wire::is_multicast(dst) ? DropReason::kMulticastNotJoined
                                            : DropReason::kNotForUs);
    return false;
  }
  if (decoded_.error == wire::DecodeError::kOk) {
    if (wire::is_multicast(dst)) {
      counters_.count(DropReason::kNotForUs);  // NTP to a group: no multicast service here
      return false;
    }
    return handle_ntp(itf, m, port, burst_tsc);
  }
  if (decoded_.ip_protocol != wire::kIpProtoIcmpv6) {
    counters_.count(DropReason::kUnknownProtocol);
    return false;
  }
  handle_icmpv6(itf, burst_tsc);
  return false;
}

void DataplaneLoop::handle_icmpv6(const l3::Interface& itf, uint64_t now_tsc) {
  const uint8_t type = decoded_.l4.empty() ? 0 : decoded_.l4[0];
  if (type == kIcmpv6EchoRequest) {
    rte_mbuf* reply = wire::is_multicast(decoded_.dst_ip.v6) ? nullptr : alloc_tx(itf.port);
    if (reply == nullptr) {
      counters_.count(DropReason::kIcmpBadEcho);
      return;
    }
    const std::span<uint8_t> out(rte_pktmbuf_mtod(reply, uint8_t*), rte_pktmbuf_tailroom(reply));
    const size_t len = wire::encode_icmpv6_echo_reply(out, decoded_);
    if (len == 0) {
      rte_pktmbuf_free(reply);
      counters_.count(DropReason::kIcmpBadEcho);
      return;
    }
    counters_.count(RxOutcome::kIcmpEchoAnswered);
    finish_and_send(itf.port, reply, len);
    return;
  }
  if (type != wire::kIcmpv6NeighborSolicitation && type != wire::kIcmpv6NeighborAdvertisement) {
    counters_.count(DropReason::kIcmpIgnored);
    return;
  }
  const wire::NdError error = wire::parse_neighbor_discovery(decoded_, nd_);
  if (error != wire::NdError::kOk) {
    counters_.count(DropReason::kNdInvalid);
    DataplaneCounters::bump(counters_.nd_errors[static_cast<size_t>(error)]);
    return;
  }
  const auto target = wire::IpAddress::from(nd_.target);
  if (nd_.type == wire::NdType::kAdvertisement) {
    if (nd_.has_link_address && !itf.owns(target)) {
      learn(itf, target, nd_.link_address,
            nd_.solicited ? l3::LearnKind::kConfirmed : l3::LearnKind::kHeard, false, now_tsc);
    }
    counters_.count(RxOutcome::kNdLearned);
    return;
  }
  if (!itf.owns(target)) {
    counters_.count(DropReason::kNdNotForUs);
    return;
  }
  counters_.count(RxOutcome::kNdAnswered);
  // RFC 4861 section 7.2.4: to the solicitor (its link address option, else the frame's
  // source), or to all-nodes when it has no address yet (duplicate address detection).
  const bool from_unspecified = wire::is_unspecified(decoded_.src_ip.v6);
  const wire::Ipv6Address to = from_unspecified ? wire::kAllNodesMulticast : decoded_.src_ip.v6;
  const wire::MacAddress to_mac =
      from_unspecified ? wire::ipv6_multicast_mac(to)
                       : (nd_.has_link_address ? nd_.link_address : decoded_.src_mac);
  if (rte_mbuf* m = alloc_tx(itf.port)) {
    const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
    finish_and_send(
        itf.port, m,
        wire::encode_neighbor_advertisement(out, ethernet(itf, to_mac), nd_.target, to, nd_.target,
                                            {false, !from_unspecified, true}));
  }
  if (!from_unspecified && nd_.has_link_address) {
    learn(itf, decoded_.src_ip, nd_.link_address, l3::LearnKind::kHeard, true, now_tsc);
  }
}

bool DataplaneLoop::handle_ntp(const l3::Interface& itf, rte_mbuf* m, uint16_t port,
                               uint64_t burst_tsc) {
  const wire::NtpPacket& ntp = decoded_.ntp;
  const bool ipv6 = decoded_.src_ip.version == wire::IpVersion::kV6;
  if (!ntp.is_time_packet) {
    counters_.count(DropReason::kNtpNotTimePacket);
    counters_.count(NtpDrop::kInvalid, ipv6);
    return false;
  }
  if (ntp.header.mode == wire::NtpMode::kClient) return serve(itf, m, port, burst_tsc);
  if (ntp.header.mode != wire::NtpMode::kServer) {
    counters_.count(DropReason::kNtpUnexpectedMode);
    counters_.count(NtpDrop::kInvalid, ipv6);
    return false;
  }
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNtpReply;
  event.interface = itf.index;
  event.vrf = itf.vrf;
  event.src = decoded_.src_ip;
  event.dst = decoded_.dst_ip;
  event.src_port = decoded_.src_port;
  event.dst_port = decoded_.dst_port;
  event.ntp = ntp.header;
  event.extension_fields = ntp.extension_count;
  if (ntp.has_mac) {
    event.has_mac = true;
    event.mac_key_id = ntp.mac.key_id;
    event.mac_length = static_cast<uint8_t>(ntp.mac.digest.size());
    std::copy_n(ntp.mac.digest.begin(), std::min(ntp.mac.digest.size(), event.mac.size()),
                event.mac.begin());
  }
  timestamp(port, m, burst_tsc, event);
  if (!push_event(itf.index, event, true)) counters_.count(NtpDrop::kProcessingDelay, ipv6);
  if (awaiting_replies_ > 0) --awaiting_replies_;
  return false;
}

bool DataplaneLoop::serve(const l3::Interface& itf, rte_mbuf* m, uint16_t port,
                          uint64_t burst_tsc) {
  const wire::IpVersion family = decoded_.src_ip.version;
  if (server_state_ == nullptr || clock_ == nullptr) {
    counters_.server.count(itf.index, family, server::ServeOutcome::kDisabled);
    counters_.count(DropReason::kNtpRequestNotServed);
    counters_.count(NtpDrop::kServerDisabled, family == wire::IpVersion::kV6);
    return false;
  }
  if (!burst_state_read_) {
    // Once per burst: a handful of relaxed loads, never a lock.
    burst_state_read_ = true;
    snapshot_ = server_state_->read();
    model_ = clock_->read();
    // The key table for this burst: valid until the next acquire (replies are signed at
    // flush, within the burst).
    auth_.set_table(server_keys_ != nullptr ? server_keys_->acquire(server_keys_reader_) : nullptr);
  }
  // T2: the NIC's stamp of the request where the port has one, else the burst's TSC.
  DataplaneEvent stamp;
  timestamp(port, m, burst_tsc, stamp);
  // Requests of one burst share its TSC: one 2^-32 s step per reply keeps every T2 unique, so
  // each names one entry of the interleaved store.
  const NtpTimestamp t2 = NtpTimestamp::from_raw((stamp.stamp == StampSource::kNicUtc
                                                      ? NtpTimestamp::from_unix_nanos(stamp.utc_ns)
                                                      : model_.ntp(stamp.ticks))
                                                     .raw() +
                                                 reply_count_);
  const std::span<uint8_t> frame(rte_pktmbuf_mtod(m, uint8_t*), m->data_len);
  const server::ServeResult r = server::serve_in_place(
      frame, decoded_, server_interfaces_[itf.index], snapshot_, t2, t2, &interleaved_, &auth_);
  if (!server::is_served(r.outcome) || m->nb_segs != 1) {
    counters_.server.count(itf.index, family, r.outcome);
    counters_.count(DropReason::kNtpRequestNotServed);
    if (r.outcome == server::ServeOutcome::kDisabled) {
      counters_.count(NtpDrop::kServerDisabled, family == wire::IpVersion::kV6);
    }
    return false;
  }
  // The request's mbuf becomes the reply: same buffer, shorter frame, no RX offload flags.
  m->data_len = static_cast<uint16_t>(r.length);
  m->pkt_len = static_cast<uint32_t>(r.length);
  m->ol_flags = 0;
  replies_[reply_count_++] = PendingReply{m, r, itf.index, family};
  return true;
}

void DataplaneLoop::flush_replies(uint16_t port) {
  rte_mbuf* out[kBurst];
  const uint16_t n = reply_count_;
  reply_count_ = 0;
  // T3 as late as possible: one TSC read for the burst, right before it goes to the PMD.
  const clock::ClockReading now = clock_->now(read_tsc);
  // Signed replies are signed after T3 is written, so the burst leaves later than T3 by the
  // signing time: T3 is moved ahead by the signatures' measured cost (a running mean, in
  // ticks), as chronyd corrects its TX stamps by its MAC delay.
  uint16_t signing = 0;
  for (uint16_t i = 0; i < n; ++i) {
    if (replies_[i].result.authenticated()) ++signing;
  }
  const NtpTimestamp t3 = now.model.ntp(now.ticks + signing * sign_ticks_);
  uint16_t ready = 0;
  for (uint16_t i = 0; i < n; ++i) {
    PendingReply& r = replies_[i];
    const std::span<uint8_t> frame(rte_pktmbuf_mtod(r.m, uint8_t*), r.m->data_len);
    server::stamp_transmit(frame, r.result, t3);
    // Signed after T3 is written (the MAC covers it); T3 is early by the signing time of
    // the authenticated replies before the burst (docs/operations.md, "Server authentication").
    if (!server::sign_reply(frame, r.result, auth_)) {
      counters_.server.count(r.interface, r.family, server::ServeOutcome::kTxFailed);
      counters_.count(DropReason::kNtpRequestNotServed);
      rte_pktmbuf_free(r.m);
      continue;
    }
    replies_[ready] = r;
    out[ready++] = r.m;
  }
  if (signing != 0) {
    const uint64_t per = (read_tsc() - now.ticks) / signing;
    sign_ticks_ = sign_ticks_ == 0 ? per : (7 * sign_ticks_ + per) / 8;
  }
  const uint16_t sent = ports_[port]->tx_burst(out, ready);
  // The replies' TX time for interleaved mode: the TSC right after the burst returned (the PMD
  // offers no TX stamp of these frames; on net_af_packet the burst's sendto has carried them
  // into the kernel by then).
  const NtpTimestamp tx_time = now.model.ntp(read_tsc());
  for (uint16_t i = 0; i < ready; ++i) {
    const PendingReply& r = replies_[i];
    if (i < sent) {
      interleaved_.save(r.result.receive, tx_time);
      counters_.server.count(r.interface, r.family, r.result.outcome);
      if (r.result.authenticated()) counters_.server.count_authenticated(r.interface, r.family);
      counters_.count(RxOutcome::kNtpRequestServed);
      DataplaneCounters::bump(counters_.tx_frames);
    } else {
      counters_.server.count(r.interface, r.family, server::ServeOutcome::kTxFailed);
      counters_.count(DropReason::kNtpRequestNotServed);
      rte_pktmbuf_free(out[i]);
    }
  }
}

void DataplaneLoop::timestamp(uint16_t port, const rte_mbuf* m, uint64_t burst_tsc,
                              DataplaneEvent& event) {
  event.ticks = burst_tsc;
  event.stamp = StampSource::kTsc;
  const auto raw = ports_[port]->rx_timestamp(m);
  if (!raw) return;
  DataplaneCounters::bump(counters_.rx_hw_stamps);
  switch (ports_[port]->stamp_kind()) {
    case NicStampKind::kUtcMicros:
      event.stamp = StampSource::kNicUtc;
      event.utc_ns = static_cast<int64_t>(*raw) * 1000;
      break;
    case NicStampKind::kNicClock:
      if (const auto tsc = clocks_[port].rx.to_tsc(*raw)) {
        event.stamp = StampSource::kNicTsc;
        event.ticks = *tsc;
      }
      break;
    case NicStampKind::kNone:
      break;
  }
}

bool DataplaneLoop::push_event(uint16_t interface, const DataplaneEvent& event,
                               bool count_outcome) {
  InterfaceCounters* ic = counters_.interface(interface);
  if (!events_[interface]->push(event)) {
    counters_.count(DropReason::kEventRingFull);
    if (count_outcome && ic != nullptr) DataplaneCounters::bump(ic->ntp_rx_dropped);
    return false;
  }
  if (count_outcome) {
    counters_.count(RxOutcome::kNtpReplyToControl);
    if (ic != nullptr) DataplaneCounters::bump(ic->ntp_rx);
  }
  return true;
}

// ---------------------------------------------------------------------------------------- TX

bool DataplaneLoop::tx_stage(uint64_t now_tsc) {
  TxCommand commands[kBurst];
  const unsigned n = commands_.pop_burst(commands, kBurst);
  for (unsigned i = 0; i < n; ++i) execute(commands[i], now_tsc);
  return n > 0;
}

void DataplaneLoop::execute(const TxCommand& command, uint64_t now_tsc) {
  switch (command.kind) {
    case TxCommand::Kind::kGratuitousArp:
      announce();
      return;
    case TxCommand::Kind::kArpRequest: {
      // Resolve ahead of need: route the target in its VRF and start resolution.
      const wire::IpAddress& target = command.server;
      const l3::Interface* given = interfaces_.find(command.interface);
      const auto hop = routes_.lookup(given != nullptr ? given->vrf : command.vrf, target);
      if (!hop) {
        counters_.count(DropReason::kTxNoRoute);
        return;
      }
      const auto r = neighbors_.resolve({hop->interface, hop->neighbor}, to_ns(now_tsc));
      if (r.probe != l3::ProbeKind::kNone) {
        send_probe(*interfaces_.find(hop->interface), hop->neighbor, r.probe,
                   r.mac.value_or(wire::MacAddress{}));
      }
      return;
    }
    case TxCommand::Kind::kNtpRequest:
      send_routed_ntp(command, now_tsc);
      return;
  }
}

void DataplaneLoop::send_routed_ntp(const TxCommand& command, uint64_t now_tsc) {
  const wire::IpAddress& server = command.server;
  const l3::Interface* source = interfaces_.find(command.interface);
  const auto hop = routes_.lookup(source != nullptr ? source->vrf : command.vrf, server);
  if (!hop) {
    not_sent(command, DropReason::kTxNoRoute);
    return;
  }
  const l3::Interface& egress = *interfaces_.find(hop->interface);
  const auto src = (source != nullptr ? *source : egress).source_for(server);
  if (!src) {
    not_sent(command, DropReason::kTxNoSourceAddress);
    return;
  }
  const auto r = neighbors_.resolve({egress.index, hop->neighbor}, to_ns(now_tsc), &command);
  if (r.cache_full) {
    not_sent(command, DropReason::kTxNeighborUnresolved);
    return;
  }
  if (r.displaced) not_sent(*r.displaced, DropReason::kTxHeldReplaced);
  if (r.probe != l3::ProbeKind::kNone) {
    send_probe(egress, hop->neighbor, r.probe, r.mac.value_or(wire::MacAddress{}));
  }
  if (r.mac) send_ntp(egress, *src, server, *r.mac, command);
}

void DataplaneLoop::send_ntp(const l3::Interface& itf, const wire::IpAddress& src,
                             const wire::IpAddress& dst, const wire::MacAddress& dst_mac,
                             const TxCommand& command) {
  rte_mbuf* m = alloc_tx(itf.port);
  if (m == nullptr) {
    not_sent(command, DropReason::kTxMbufAlloc);
    return;
  }
  const wire::NtpHeader header = ntp_request_header(command);
  const wire::NtpMac mac{command.mac_key_id,
                         std::span<const uint8_t>(command.mac.data(), command.mac_length)};
  const wire::NtpMac* signed_mac = command.mac_length != 0 ? &mac : nullptr;
  const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
  size_t len = 0;
  if (dst.version == wire::IpVersion::kV4) {
    wire::Ipv4UdpSpec spec;
    spec.eth = ethernet(itf, dst_mac);
    spec.src_ip = src.v4;
    spec.dst_ip = dst.v4;
    spec.src_port = command.src_port;
    spec.dst_port = command.dst_port;
    spec.identification = ip_identification_++;
    len = wire::encode_ipv4_ntp(out, spec, header, signed_mac);
  } else {
    wire::Ipv6UdpSpec spec;
    spec.eth = ethernet(itf, dst_mac);
    spec.src_ip = src.v6;
    spec.dst_ip = dst.v6;
    spec.src_port = command.src_port;
    spec.dst_port = command.dst_port;
    len = wire::encode_ipv6_ntp(out, spec, header, signed_mac);
  }
  Port& port = *ports_[itf.port];
  PendingTxStamp& pending = tx_stamps_[itf.port];
  const bool hw_stamp = port.timesync_enabled() && !pending.active;
  if (hw_stamp) m->ol_flags |= RTE_MBUF_F_TX_IEEE1588_TMST;
  const uint64_t t1 = finish_and_send(itf.port, m, len);
  if (t1 == 0) {
    not_sent(command, DropReason::kTxQueueFull);
    return;
  }
  if (InterfaceCounters* ic = counters_.interface(itf.index)) DataplaneCounters::bump(ic->ntp_tx);
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNtpTransmitted;
  event.cookie = command.cookie;
  event.ticks = t1;
  event.stamp = StampSource::kTsc;
  event.interface = itf.index;
  event.vrf = itf.vrf;
  event.src = src;
  event.dst = dst;
  event.src_port = command.src_port;
  event.dst_port = command.dst_port;
  push_event(itf.index, event, false);
  if (last_poll_tsc_ >= reply_wait_end_tsc_) awaiting_replies_ = 0;  // unanswered ones expired
  ++awaiting_replies_;
  reply_wait_end_tsc_ = t1 + kReplyWaitMs * ticks_per_ms_;
  if (hw_stamp) {
    pending.active = true;
    pending.deadline_tsc = t1 + kTxStampWaitMs * ticks_per_ms_;
    pending.event = event;
  }
}

void DataplaneLoop::send_probe(const l3::Interface& itf, const wire::IpAddress& neighbor,
                               l3::ProbeKind kind, const wire::MacAddress& mac) {
  const auto src = itf.source_for(neighbor);
  if (!src) return;
  rte_mbuf* m = alloc_tx(itf.port);
  if (m == nullptr) return;
  const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
  const bool unicast = kind == l3::ProbeKind::kUnicast && !is_zero(mac);
  size_t len = 0;
  if (neighbor.version == wire::IpVersion::kV4) {
    if (unicast) {
      wire::ArpPacket arp;
      arp.operation = wire::ArpOperation::kRequest;
      arp.sender_mac = itf.mac;
      arp.sender_ip = src->v4;
      arp.target_ip = neighbor.v4;
      len = wire::encode_arp(out, ethernet(itf, mac), arp);
    } else {
      len = wire::encode_arp_request(out, ethernet(itf, {}), itf.mac, src->v4, neighbor.v4);
    }
  } else {
    const wire::Ipv6Address group = wire::solicited_node_multicast(neighbor.v6);
    len = wire::encode_neighbor_solicitation(
        out, ethernet(itf, unicast ? mac : wire::ipv6_multicast_mac(group)), src->v6,
        unicast ? neighbor.v6 : group, neighbor.v6);
  }
  finish_and_send(itf.port, m, len);
}

void DataplaneLoop::announce() {
  for (const l3::Interface& itf : interfaces_.all()) {
    for (const l3::IpPrefix& p : itf.addresses) {
      rte_mbuf* m = alloc_tx(itf.port);
      if (m == nullptr) return;
      const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
      size_t len = 0;
      if (p.version() == wire::IpVersion::kV4) {
        len = wire::encode_gratuitous_arp(out, ethernet(itf, {}), itf.mac, p.address.v4);
      } else {
        // Unsolicited NA (RFC 4861 section 7.2.6) so that neighbours update their caches.
        len = wire::encode_neighbor_advertisement(
            out, ethernet(itf, wire::ipv6_multicast_mac(wire::kAllNodesMulticast)), p.address.v6,
            wire::kAllNodesMulticast, p.address.v6, {false, false, true});
      }
      finish_and_send(itf.port, m, len);
    }
  }
}

void DataplaneLoop::not_sent(const TxCommand& command, DropReason reason) {
  counters_.count(reason);
  if (command.kind != TxCommand::Kind::kNtpRequest) return;
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNtpNotSent;
  event.cookie = command.cookie;
  const l3::Interface* itf = interfaces_.find(command.interface);
  if (InterfaceCounters* ic = itf != nullptr ? counters_.interface(itf->index) : nullptr) {
    DataplaneCounters::bump(ic->ntp_tx_failed);
  }
  event.interface = itf != nullptr ? itf->index : 0;
  event.vrf = itf != nullptr ? itf->vrf : command.vrf;
  event.dst = command.server;
  push_event(event.interface, event, false);
}

wire::EthernetSpec DataplaneLoop::ethernet(const l3::Interface& itf,
                                           const wire::MacAddress& dst) const {
  wire::EthernetSpec eth;
  eth.dst = dst;
  eth.src = itf.mac;
  eth.has_vlan = itf.vlan != l3::kNoVlan;
  eth.vlan_tci = itf.vlan;
  return eth;
}

rte_mbuf* DataplaneLoop::alloc_tx(uint16_t port) {
  rte_mbuf* m = rte_pktmbuf_alloc(ports_[port]->pool());
  if (m == nullptr) counters_.count(DropReason::kTxMbufAlloc);
  return m;
}

uint64_t DataplaneLoop::finish_and_send(uint16_t port, rte_mbuf* m, size_t len) {
  if (len == 0 || rte_pktmbuf_append(m, static_cast<uint16_t>(len)) == nullptr) {
    counters_.count(DropReason::kTxEncode);
    rte_pktmbuf_free(m);
    return 0;
  }
  // T1 before the burst, not around it: on net_af_packet the burst's sendto() can return only
  // after the kernel has carried the request to the server and its reply back (a midpoint
  // measured -160 us of error on the e2e veth).
  const uint64_t ticks = read_tsc();
  if (ports_[port]->tx_burst(&m, 1) != 1) {
    counters_.count(DropReason::kTxQueueFull);
    rte_pktmbuf_free(m);
    return 0;
  }
  DataplaneCounters::bump(counters_.tx_frames);
  return ticks;
}

// ------------------------------------------------------------------------------------ timers

void DataplaneLoop::timers(uint64_t now_tsc) {
  next_timer_tsc_ = now_tsc + ticks_per_ms_;
  neighbors_.advance(
      to_ns(now_tsc),
      [&](const l3::NeighborKey& key, l3::ProbeKind kind, const wire::MacAddress& mac) {
        send_probe(*interfaces_.find(key.interface), key.ip, kind, mac);
      },
      [&](const l3::NeighborKey&, const std::optional<TxCommand>& held) {
        if (held) not_sent(*held, DropReason::kTxNeighborUnresolved);
      });
  if (now_tsc >= next_clock_sample_tsc_) {
    next_clock_sample_tsc_ = now_tsc + kClockSampleMs * ticks_per_ms_;
    sample_clocks();
  }
  poll_tx_stamps(now_tsc);
}

void DataplaneLoop::sample_clocks() {
  for (size_t p = 0; p < ports_.size(); ++p) {
    uint64_t value = 0;
    if (ports_[p]->stamp_kind() == NicStampKind::kNicClock) {
      const uint64_t before = read_tsc();
      if (ports_[p]->read_clock(value))
        clocks_[p].rx.add(value, before + (read_tsc() - before) / 2);
    }
    if (ports_[p]->timesync_enabled()) {
      const uint64_t before = read_tsc();
      if (ports_[p]->read_timesync_clock(value)) {
        clocks_[p].tx.add(value, before + (read_tsc() - before) / 2);
      }
    }
  }
}

void DataplaneLoop::poll_tx_stamps(uint64_t now_tsc) {
  for (size_t p = 0; p < ports_.size(); ++p) {
    PendingTxStamp& pending = tx_stamps_[p];
    if (!pending.active) continue;
    uint64_t ns = 0;
    if (ports_[p]->read_tx_timestamp(ns)) {
      pending.active = false;
      const auto tsc = clocks_[p].tx.to_tsc(ns);
      if (!tsc) continue;
      DataplaneEvent event = pending.event;
      event.kind = DataplaneEvent::Kind::kNtpTransmitStamp;
      event.ticks = *tsc;
      event.stamp = StampSource::kNicTsc;
      DataplaneCounters::bump(counters_.tx_hw_stamps);
      push_event(event.interface, event, false);
    } else if (now_tsc >= pending.deadline_tsc) {
      pending.active = false;  // the PMD stamps only PTP frames, or lost it: T1 stays software
    }
  }
}

}  // namespace wiretime::dpdk

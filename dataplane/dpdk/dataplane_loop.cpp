#include "dataplane/dpdk/dataplane_loop.hpp"

#include <rte_cycles.h>
#include <rte_prefetch.h>

#include <algorithm>
#include <new>
#include <span>

#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::dpdk {
namespace {

constexpr uint64_t kClockSampleMs = 50;
constexpr uint64_t kTxStampWaitMs = 50;

bool is_zero(const wire::MacAddress& mac) {
  return mac == wire::MacAddress{};
}

}  // namespace

DataplaneLoop::DataplaneLoop(const DataplaneLoopConfig& config, std::vector<Port*> ports,
                             l3::NetworkTablePublisher& tables, SpscRing<TxCommand>& commands,
                             const std::vector<SpscRing<DataplaneEvent>*>& events,
                             SpscRing<ServedDeparture>& departures, DataplaneCounters& counters)
    : config_(config),
      ports_(std::move(ports)),
      table_source_(tables),
      table_reader_(tables.register_reader()),
      commands_(commands),
      events_(events),
      departures_(departures),
      counters_(counters),
      neighbors_(config.neighbors),
      clocks_(ports_.size()),
      tx_stamps_(ports_.size()),
      request_stamps_(ports_.size()),
      interleaved_(config.server_interleaved_entries),
      // The TSC seeds the rate table's hash (collisions cannot be planned from outside) and
      // the leak's PRNG.
      access_(config.server_rate_limit_entries, read_tsc()),
      advances_(ports_.size()) {
  decode_options_.verify_l4_checksums = true;
  const double hz = static_cast<double>(rte_get_tsc_hz());
  ns_per_tick_ = 1e9 / hz;
  ticks_per_ms_ = static_cast<uint64_t>(hz / 1000) + 1;
  announced_ = !config.announce_on_start;
  server_interfaces_.resize(l3::kMaxInterfaces);
  adopt_tables(table_source_.acquire(table_reader_), false);
}

void DataplaneLoop::adopt_tables(const l3::NetworkTables* tables, bool announce_changes) {
  tables_ = tables;
  interfaces_ = &tables->interfaces;
  routes_ = &tables->routes;
  revisions_.adopt(
      *interfaces_, neighbors_,
      [this](const l3::NeighborKey&, const std::optional<TxCommand>& held) {
        if (held) not_sent(*held, DropReason::kTxNeighborUnresolved);
      },
      [this, announce_changes](const l3::Interface& itf) {
        if (announce_changes) announce(itf);
      });
  for (size_t i = 0; i < server_interfaces_.size(); ++i) {
    server::ServerInterface si;
    si.index = static_cast<uint16_t>(i);
    if (const l3::Interface* itf = interfaces_->find(static_cast<l3::InterfaceIndex>(i))) {
      si.vrf = itf->vrf;
      for (const l3::IpPrefix& a : itf->addresses) {
        if (a.address.version != wire::IpVersion::kV4) continue;
        si.has_primary_ipv4 = true;  // the first IPv4 address is the primary one
        si.primary_ipv4 = a.address.v4;
        break;
      }
    }
    server_interfaces_[i] = si;
  }
}

bool DataplaneLoop::poll_once() {
  const uint64_t now = read_tsc();
  // Busy ratio: two relaxed counters per pass, a third and one more TSC read per busy pass.
  if (last_poll_tsc_ != 0) DataplaneCounters::add(counters_.lcore_cycles, now - last_poll_tsc_);
  last_poll_tsc_ = now;
  // The pass's quiescent point: no table of the last pass is held from here on.
  if (const l3::NetworkTables* t = table_source_.acquire(table_reader_); t != tables_) {
    adopt_tables(t, config_.announce_on_start);
  }
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
      // The frame's first cache line (Ethernet to NTP header) is on its way while the frames
      // before it are handled.
      for (uint16_t i = 0; i < n && i < kPrefetchOffset; ++i) {
        rte_prefetch0(rte_pktmbuf_mtod(mbufs[i], void*));
      }
      for (uint16_t i = 0; i < n; ++i) {
        if (i + kPrefetchOffset < n) {
          rte_prefetch0(rte_pktmbuf_mtod(mbufs[i + kPrefetchOffset], void*));
        }
        if (!handle_frame(p, mbufs[i], burst_tsc)) rte_pktmbuf_free(mbufs[i]);
      }
      if (reply_count_ != 0) {
        // RX-to-TX per reply: to the TX burst call, and to its return (a PMD's own TX cost).
        const uint16_t replies = reply_count_;
        const uint64_t tx_tsc = read_tsc();
        flush_replies(p);
        counters_.server_latency.record(tx_tsc - burst_tsc, replies);
        counters_.server_tx_return.record(read_tsc() - burst_tsc, replies);
      }
    }
  }
  return any;
}

// Per frame: decode, the pure classification (dataplane/rx), then what the verdict asks of the
// mbufs and queues. True when the mbuf was kept (it became a reply waiting in replies_).
bool DataplaneLoop::handle_frame(uint16_t port, rte_mbuf* m, uint64_t burst_tsc) {
  const std::span<const uint8_t> frame(rte_pktmbuf_mtod(m, const uint8_t*), m->data_len);
  wire::decode_frame(frame, decode_options_, decoded_);
  const rx::RxVerdict v = rx::classify(port, decoded_, *interfaces_, nd_, counters_);
  bool kept = false;
  switch (v.action) {
    case rx::RxAction::kNone:
      break;
    case rx::RxAction::kArpReply:
      if (rte_mbuf* reply = alloc_tx(v.itf->port)) {
        const std::span<uint8_t> out(rte_pktmbuf_mtod(reply, uint8_t*),
                                     rte_pktmbuf_tailroom(reply));
        finish_and_send(
            v.itf->port, reply,
            wire::encode_arp_reply(out, ethernet(*v.itf, {}), decoded_.arp, v.itf->mac));
      }
      break;
    case rx::RxAction::kIcmpEchoReply:
    case rx::RxAction::kIcmpv6EchoReply:
      answer_echo(*v.itf, v.action == rx::RxAction::kIcmpv6EchoReply);
      break;
    case rx::RxAction::kNeighborAdvertisement:
      if (rte_mbuf* reply = alloc_tx(v.itf->port)) {
        const std::span<uint8_t> out(rte_pktmbuf_mtod(reply, uint8_t*),
                                     rte_pktmbuf_tailroom(reply));
        finish_and_send(v.itf->port, reply,
                        wire::encode_neighbor_advertisement(
                            out, ethernet(*v.itf, v.advert.to_mac), v.advert.target, v.advert.to,
                            v.advert.target, {false, v.advert.solicited, true}));
      }
      break;
    case rx::RxAction::kNtpToControl:
      to_control(*v.itf, m, port, burst_tsc);
      break;
    case rx::RxAction::kServe:
      kept = serve(*v.itf, m, port, burst_tsc);
      break;
  }
  // After the answer: the requester is waiting, and will talk to us next (RFC 826).
  if (v.learn.valid) learn(*v.itf, v.learn, burst_tsc);
  return kept;
}

void DataplaneLoop::learn(const l3::Interface& itf, const rx::LearnNeighbor& n, uint64_t now_tsc) {
  if (auto released =
          neighbors_.learn({itf.index, n.ip}, n.mac, to_ns(now_tsc), n.kind, n.create)) {
    execute(*released, now_tsc);  // the request that waited for this neighbour
  }
}

// An echo request classified as answerable: the reply is built into a fresh mbuf. Counted here,
// where it is known whether it left: IPv4 counts a reply it had no mbuf for as answered (the
// TX side counts the allocation failure), IPv6 as a bad echo (as before the split).
void DataplaneLoop::answer_echo(const l3::Interface& itf, bool ipv6) {
  rte_mbuf* reply = alloc_tx(itf.port);
  if (reply == nullptr) {
    if (ipv6) {
      counters_.count(DropReason::kIcmpBadEcho);
    } else {
      counters_.count(RxOutcome::kIcmpEchoAnswered);
    }
    return;
  }
  const std::span<uint8_t> out(rte_pktmbuf_mtod(reply, uint8_t*), rte_pktmbuf_tailroom(reply));
  const size_t len = ipv6 ? wire::encode_icmpv6_echo_reply(out, decoded_)
                          : wire::encode_icmp_echo_reply(out, decoded_);
  if (len == 0) {
    rte_pktmbuf_free(reply);
    counters_.count(DropReason::kIcmpBadEcho);
    return;
  }
  counters_.count(RxOutcome::kIcmpEchoAnswered);
  finish_and_send(itf.port, reply, len);
}

void DataplaneLoop::to_control(const l3::Interface& itf, const rte_mbuf* m, uint16_t port,
                               uint64_t burst_tsc) {
  DataplaneEvent event = rx::ntp_reply_event(itf, decoded_);
  const rx::RxStamp stamp = rx_stamp(port, m, burst_tsc);
  event.stamp = stamp.source;
  event.ticks = stamp.ticks;
  event.utc_ns = stamp.utc_ns;
  if (!push_event(itf.index, event, true)) {
    counters_.count(NtpDrop::kProcessingDelay, decoded_.src_ip.version == wire::IpVersion::kV6);
  }
  if (awaiting_replies_ > 0) --awaiting_replies_;
}

bool DataplaneLoop::serve(const l3::Interface& itf, rte_mbuf* m, uint16_t port,
                          uint64_t burst_tsc) {
  const wire::IpVersion family = decoded_.src_ip.version;
  if (server_state_ == nullptr || clock_ == nullptr) {
    counters_.server.count(itf.index, family, server::ServeOutcome::kDisabled);
    counters_.count(DropReason::kNtpRequestNotServed);
    return false;
  }
  if (!burst_state_read_) {
    // Once per burst: a handful of relaxed loads, never a lock.
    burst_state_read_ = true;
    snapshot_ = server_state_->read();
    model_ = clock_->read();
    if (access_state_ != nullptr) access_.refresh(*access_state_);
    // The key table for this burst: valid until the next acquire (replies are signed at
    // flush, within the burst).
    auth_.set_table(server_keys_ != nullptr ? server_keys_->acquire(server_keys_reader_) : nullptr);
    rx_advance_ = advances_[port].rx_ticks.load(std::memory_order_relaxed);
    tx_advance_ = advances_[port].tx_ticks.load(std::memory_order_relaxed);
  }
  // T2, one 2^-32 s step per reply of the burst (rx::request_receive_time).
  const rx::RxStamp stamp = request_stamp(port, m, burst_tsc);
  const NtpTimestamp t2 = rx::request_receive_time(stamp, model_, reply_count_);
  const std::span<uint8_t> frame(rte_pktmbuf_mtod(m, uint8_t*), m->data_len);
  // The result is built straight into the burst's next reply slot (kept only when a reply is
  // sent): copying it there from the stack right after the call stalled on store forwarding,
  // about 15 ns per request in the profile (docs/benchmarks.md).
  PendingReply& reply = replies_[reply_count_];
  const server::ServeResult& r = *new (&reply.result) server::ServeResult(
      server::serve_in_place(frame, decoded_, server_interfaces_[itf.index], snapshot_, t2, t2,
                             &interleaved_, access_state_ != nullptr ? &access_ : nullptr, &auth_));
  if (!server::sends_reply(r.outcome) || m->nb_segs != 1) {
    counters_.server.count(itf.index, family, r.outcome);
    counters_.count(DropReason::kNtpRequestNotServed);
    return false;
  }
  // The request's mbuf becomes the reply: same buffer, shorter frame, no RX offload flags.
  m->data_len = static_cast<uint16_t>(r.length);
  m->pkt_len = static_cast<uint32_t>(r.length);
  m->ol_flags = 0;
  reply.m = m;
  reply.interface = itf.index;
  reply.family = family;
  ++reply_count_;
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
  // ticks), as chronyd corrects its TX stamps by its MAC delay, and by the port's measured lag
  // from here to the kernel's TX stamp (set_server_advances: the PMD's sendto).
  uint16_t signing = 0;
  for (uint16_t i = 0; i < n; ++i) {
    if (replies_[i].result.authenticated()) ++signing;
  }
  const NtpTimestamp t3 = now.model.ntp(
      static_cast<uint64_t>(static_cast<int64_t>(now.ticks + signing * sign_ticks_) + tx_advance_));
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
  // into the kernel by then). Where control measures the port against the kernel's stamps, T3
  // as advanced is the better guess, and control corrects it with the kernel's own stamp of
  // the reply (correct_departures) before the client's next request names it.
  const NtpTimestamp tx_time = tx_advance_ != 0 ? t3 : now.model.ntp(read_tsc());
  // The burst's totals once, not per reply.
  DataplaneCounters::add(counters_.outcome[static_cast<size_t>(RxOutcome::kNtpRequestServed)],
                         sent);
  DataplaneCounters::add(counters_.tx_frames, sent);
  for (uint16_t i = 0; i < ready; ++i) {
    const PendingReply& r = replies_[i];
    if (i < sent) {
      // A KoD carried no T2, so no later request can name it.
      if (!server::is_kod(r.result.outcome)) interleaved_.save(r.result.receive, tx_time);
      counters_.server.count(r.interface, r.family, r.result.outcome);
      if (r.result.authenticated()) counters_.server.count_authenticated(r.interface, r.family);
    } else {
      counters_.server.count(r.interface, r.family, server::ServeOutcome::kTxFailed);
      counters_.count(DropReason::kNtpRequestNotServed);
      rte_pktmbuf_free(out[i]);
    }
  }
}

rx::RxStamp DataplaneLoop::rx_stamp(uint16_t port, const rte_mbuf* m, uint64_t burst_tsc) {
  const std::optional<uint64_t> raw = ports_[port]->rx_timestamp(m);
  if (raw) DataplaneCounters::bump(counters_.rx_hw_stamps);
  return rx::rx_stamp(burst_tsc, raw, ports_[port]->stamp_kind(), clocks_[port].rx);
}

rx::RxStamp DataplaneLoop::request_stamp(uint16_t port, const rte_mbuf* m, uint64_t burst_tsc) {
  rx::RxStamp stamp = rx_stamp(port, m, burst_tsc);
  if (stamp.source != StampSource::kTsc) return stamp;
  RequestStamps& k = request_stamps_[port];
  if (k.ring != nullptr) {
    const rx::RequestKey key{decoded_.src_ip, decoded_.src_port,
                             decoded_.ntp.header.transmit.raw()};
    if (const auto ns = k.stamps.find(*k.ring, key)) {
      if (const auto ticks = k.clock.to_tsc(*ns)) {
        DataplaneCounters::bump(counters_.server_t2_kernel);
        const int64_t lag = static_cast<int64_t>(burst_tsc - *ticks);
        // Lags over 1 ms are stalls (a preempted lcore), not what the next miss will see.
        if (lag >= 0 && lag < static_cast<int64_t>(ticks_per_ms_)) {
          k.lag_ticks = k.lag_ticks == 0 ? lag : (7 * k.lag_ticks + lag) / 8;
        }
        stamp.source = StampSource::kKernel;
        stamp.ticks = *ticks;
        return stamp;
      }
    }
    DataplaneCounters::bump(counters_.server_t2_tsc);
    // Not found: the burst's TSC taken back by the lag of the requests that were (control's
    // median, below, is measured on those too and says little of a miss).
    stamp.ticks = static_cast<uint64_t>(static_cast<int64_t>(stamp.ticks) - k.lag_ticks);
    return stamp;
  }
  // The burst's TSC taken back by the port's measured lag behind the kernel's RX stamp
  // (set_server_advances; zero where control does not measure it).
  stamp.ticks = static_cast<uint64_t>(static_cast<int64_t>(stamp.ticks) - rx_advance_);
  return stamp;
}

bool DataplaneLoop::push_event(uint16_t interface, const DataplaneEvent& event,
                               bool count_outcome) {
  InterfaceCounters* ic = counters_.interface(interface);
  SpscRing<DataplaneEvent>* ring = interface < events_.size() ? events_[interface] : nullptr;
  if (ring == nullptr || !ring->push(event)) {
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
      const l3::Interface* given = interfaces_->find(command.interface);
      const auto hop = routes_->lookup(given != nullptr ? given->vrf : command.vrf, target);
      if (!hop) {
        counters_.count(DropReason::kTxNoRoute);
        return;
      }
      const auto r = neighbors_.resolve({hop->interface, hop->neighbor}, to_ns(now_tsc));
      if (r.probe != l3::ProbeKind::kNone) {
        send_probe(*interfaces_->find(hop->interface), hop->neighbor, r.probe,
                   r.mac.value_or(wire::MacAddress{}));
      }
      return;
    }
    case TxCommand::Kind::kNtpRequest:
      // Replies come back to the port our requests leave from, whatever the server's port
      // (`ntp unicast-server ... port`) and whatever `ntp source-port` a commit set last: decode
      // that port as NTP from now on.
      decode_options_.extra_ntp_port = command.src_port;
      send_routed_ntp(command, now_tsc);
      return;
  }
}

void DataplaneLoop::send_routed_ntp(const TxCommand& command, uint64_t now_tsc) {
  const wire::IpAddress& server = command.server;
  const l3::Interface* source = interfaces_->find(command.interface);
  const auto hop = routes_->lookup(source != nullptr ? source->vrf : command.vrf, server);
  if (!hop) {
    not_sent(command, DropReason::kTxNoRoute);
    return;
  }
  const l3::Interface& egress = *interfaces_->find(hop->interface);
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
  for (const l3::Interface& itf : interfaces_->all()) announce(itf);
}

void DataplaneLoop::announce(const l3::Interface& itf) {
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

void DataplaneLoop::not_sent(const TxCommand& command, DropReason reason) {
  counters_.count(reason);
  if (command.kind != TxCommand::Kind::kNtpRequest) return;
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNtpNotSent;
  event.cookie = command.cookie;
  const l3::Interface* itf = interfaces_->find(command.interface);
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
        send_probe(*interfaces_->find(key.interface), key.ip, kind, mac);
      },
      [&](const l3::NeighborKey&, const std::optional<TxCommand>& held) {
        if (held) not_sent(*held, DropReason::kTxNeighborUnresolved);
      });
  if (now_tsc >= next_clock_sample_tsc_) {
    next_clock_sample_tsc_ = now_tsc + kClockSampleMs * ticks_per_ms_;
    sample_clocks();
  }
  poll_tx_stamps(now_tsc);
  correct_departures();
  for (RequestStamps& k : request_stamps_) {
    if (k.ring != nullptr) k.stamps.age(*k.ring);
  }
}

void DataplaneLoop::correct_departures() {
  ServedDeparture batch[kBurst];
  // Bounded per timer tick (1 ms): 8 bursts, far above what control's taps deliver.
  for (int round = 0; round < 8; ++round) {
    const unsigned n = departures_.pop_burst(batch, kBurst);
    if (n == 0) return;
    uint64_t stored = 0;
    for (unsigned i = 0; i < n; ++i) {
      if (interleaved_.correct(batch[i].receive, batch[i].transmit)) ++stored;
    }
    DataplaneCounters::add(counters_.server_departures, n);
    DataplaneCounters::add(counters_.server_departures_stored, stored);
    if (n < kBurst) return;
  }
}

void DataplaneLoop::sample_clocks() {
  // A pair whose reads took longer than this met an interrupt or preemption: its midpoint
  // would be off by up to half of it, so it is left out of the fit.
  const uint64_t max_bracket = ticks_per_ms_ / 500;  // 2 us
  for (size_t p = 0; p < ports_.size(); ++p) {
    if (RequestStamps& k = request_stamps_[p]; k.ring != nullptr) {
      const uint64_t before = read_tsc();
      const uint64_t realtime = socket::PacketRxRing::realtime_ns();
      const uint64_t after = read_tsc();
      if (after - before <= max_bracket) k.clock.add(realtime, before + (after - before) / 2);
    }
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

#include "dataplane/dpdk/dataplane_lcore.hpp"

#include <rte_launch.h>
#include <rte_pause.h>
#include <sys/prctl.h>
#include <time.h>

#include <span>

#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::dpdk {

DataplaneLcore::DataplaneLcore(const DataplaneLcoreConfig& config, Port& port,
                               SpscRing<TxCommand>& commands, SpscRing<DataplaneEvent>& events,
                               DataplaneCounters& counters)
    : config_(config), port_(port), commands_(commands), events_(events), counters_(counters) {
  decode_options_.verify_l4_checksums = true;
  decode_options_.extra_ntp_port = config.client_port;
}

bool DataplaneLcore::poll_once() {
  const bool received = rx_stage();
  const bool sent = tx_stage();
  return received || sent;
}

void DataplaneLcore::run(const std::atomic<bool>& stop) {
  const timespec nap{0, static_cast<long>(config_.idle_sleep_us) * 1000};
  // Default timer slack (50 us) would stretch every nap; napping is about prompt wake-ups.
  if (config_.idle_sleep_us > 0) prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  while (!stop.load(std::memory_order_relaxed)) {
    if (poll_once()) continue;
    if (config_.idle_sleep_us > 0) {
      nanosleep(&nap, nullptr);
    } else {
      rte_pause();
    }
  }
}

bool DataplaneLcore::start_on_lcore(unsigned lcore, const std::atomic<bool>& stop) {
  stop_ = &stop;
  const auto entry = [](void* self) {
    auto* dataplane = static_cast<DataplaneLcore*>(self);
    dataplane->run(*dataplane->stop_);
    return 0;
  };
  if (rte_eal_remote_launch(entry, this, lcore) != 0) return false;
  lcore_ = lcore;
  return true;
}

void DataplaneLcore::join() {
  if (lcore_) rte_eal_wait_lcore(*lcore_);
  lcore_.reset();
}

bool DataplaneLcore::rx_stage() {
  rte_mbuf* mbufs[kBurst];
  const uint16_t n = port_.rx_burst(mbufs, kBurst);
  if (n == 0) return false;
  // T4 for the whole burst: the earliest moment we know the frames are here.
  const uint64_t rx_ticks = read_tsc();
  for (uint16_t i = 0; i < n; ++i) {
    DataplaneCounters::bump(counters_.rx_frames);
    classify(mbufs[i], rx_ticks);
    rte_pktmbuf_free(mbufs[i]);
  }
  return true;
}

void DataplaneLcore::classify(rte_mbuf* m, uint64_t rx_ticks) {
  const std::span<const uint8_t> frame(rte_pktmbuf_mtod(m, const uint8_t*), m->data_len);
  wire::decode_frame(frame, decode_options_, decoded_);
  if (decoded_.error != wire::DecodeError::kOk) {
    counters_.count(decoded_.error);
    return;
  }
  if (decoded_.dst_mac != port_.mac() && decoded_.dst_mac != wire::MacAddress::broadcast()) {
    counters_.count(DropReason::kNotForUs);
    return;
  }
  if (decoded_.is_arp) {
    const wire::ArpPacket& arp = decoded_.arp;
    if (arp.target_ip != config_.own_ip) {
      counters_.count(DropReason::kArpNotForUs);
      return;
    }
    handoff_neighbor(arp);
    if (arp.operation == wire::ArpOperation::kRequest) respond_arp(arp);
    return;
  }
  if (decoded_.is_ipv6()) {
    counters_.count(DropReason::kIpv6);
    return;
  }
  if (decoded_.dst_ip != wire::IpAddress::from(config_.own_ip)) {
    counters_.count(DropReason::kNotForUs);
    return;
  }
  if (!decoded_.is_ntp || decoded_.dst_port != config_.client_port ||
      decoded_.ntp.header.mode != wire::NtpMode::kServer) {
    counters_.count(decoded_.is_ntp && !decoded_.ntp.is_time_packet ? DropReason::kNtpNotTimePacket
                                                                    : DropReason::kNotNtpReply);
    return;
  }
  handoff_reply(decoded_, m, rx_ticks);
}

void DataplaneLcore::respond_arp(const wire::ArpPacket& request) {
  rte_mbuf* m = alloc_tx();
  if (m == nullptr) return;
  const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
  const size_t len = wire::encode_arp_reply(out, {}, request, port_.mac());
  if (len == 0 || rte_pktmbuf_append(m, static_cast<uint16_t>(len)) == nullptr) {
    counters_.count(DropReason::kTxEncode);
    rte_pktmbuf_free(m);
    return;
  }
  if (send(m) != 0) DataplaneCounters::bump(counters_.arp_replies);
}

void DataplaneLcore::handoff_neighbor(const wire::ArpPacket& arp) {
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNeighbor;
  event.ip = arp.sender_ip;
  event.mac = arp.sender_mac;
  push_event(event);
}

void DataplaneLcore::handoff_reply(const wire::DecodedFrame& frame, const rte_mbuf* m,
                                   uint64_t rx_ticks) {
  DataplaneEvent event;
  event.kind = DataplaneEvent::Kind::kNtpReply;
  event.ip = frame.src_ip.v4;
  event.src_port = frame.src_port;
  event.dst_port = frame.dst_port;
  event.ticks = rx_ticks;
  if (const auto hw = port_.rx_timestamp(m)) {
    event.rx_stamp = DataplaneEvent::RxStamp::kTscWithHardware;
    event.hw_rx_timestamp = *hw;
  }
  event.ntp = frame.ntp.header;
  DataplaneCounters::bump(counters_.ntp_replies);
  push_event(event);
}

void DataplaneLcore::push_event(const DataplaneEvent& event) {
  if (!events_.push(event)) counters_.count(DropReason::kEventRingFull);
}

bool DataplaneLcore::tx_stage() {
  TxCommand commands[kBurst];
  const unsigned n = commands_.pop_burst(commands, kBurst);
  for (unsigned i = 0; i < n; ++i) execute(commands[i]);
  return n > 0;
}

void DataplaneLcore::execute(const TxCommand& command) {
  rte_mbuf* m = alloc_tx();
  if (m == nullptr) return;
  const std::span<uint8_t> out(rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
  size_t len = 0;
  switch (command.kind) {
    case TxCommand::Kind::kGratuitousArp:
      len = wire::encode_gratuitous_arp(out, {}, port_.mac(), config_.own_ip);
      break;
    case TxCommand::Kind::kArpRequest:
      len = wire::encode_arp_request(out, {}, port_.mac(), config_.own_ip, command.target_ip);
      break;
    case TxCommand::Kind::kNtpRequest: {
      wire::Ipv4UdpSpec spec;
      spec.eth.dst = command.dst_mac;
      spec.eth.src = port_.mac();
      spec.src_ip = config_.own_ip;
      spec.dst_ip = command.target_ip;
      spec.src_port = command.src_port;
      spec.dst_port = command.dst_port;
      spec.identification = ip_identification_++;
      wire::NtpHeader header;
      // We do not claim to be synchronised: the skeleton measures, it does not serve time.
      header.leap = wire::LeapIndicator::kUnsynchronized;
      header.version = 4;
      header.mode = wire::NtpMode::kClient;
      header.poll = command.poll;
      header.transmit = command.cookie;
      len = wire::encode_ipv4_ntp(out, spec, header);
      break;
    }
  }
  if (len == 0 || rte_pktmbuf_append(m, static_cast<uint16_t>(len)) == nullptr) {
    counters_.count(DropReason::kTxEncode);
    rte_pktmbuf_free(m);
    return;
  }
  const uint64_t t1 = send(m);
  if (t1 != 0 && command.kind == TxCommand::Kind::kNtpRequest) {
    DataplaneEvent event;
    event.kind = DataplaneEvent::Kind::kNtpTransmitted;
    event.cookie = command.cookie;
    event.ticks = t1;
    push_event(event);
  }
}

rte_mbuf* DataplaneLcore::alloc_tx() {
  rte_mbuf* m = rte_pktmbuf_alloc(port_.pool());
  if (m == nullptr) counters_.count(DropReason::kTxMbufAlloc);
  return m;
}

uint64_t DataplaneLcore::send(rte_mbuf* m) {
  const uint64_t ticks = read_tsc();
  if (port_.tx_burst(&m, 1) != 1) {
    counters_.count(DropReason::kTxQueueFull);
    rte_pktmbuf_free(m);
    return 0;
  }
  DataplaneCounters::bump(counters_.tx_frames);
  return ticks;
}

}  // namespace wiretime::dpdk

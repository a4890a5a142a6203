#include "control/daemon/dpdk_transport.hpp"

#include <algorithm>
#include <span>
#include <utility>

namespace wiretime::daemon {

engine::TimestampSource timestamp_source(dpdk::StampSource stamp) {
  switch (stamp) {
    case dpdk::StampSource::kTsc:
      return engine::TimestampSource::kTsc;
    case dpdk::StampSource::kNicTsc:
    case dpdk::StampSource::kNicUtc:
      return engine::TimestampSource::kNicHardware;
    case dpdk::StampSource::kKernel:
      return engine::TimestampSource::kKernel;
  }
  return engine::TimestampSource::kUnknown;
}

DpdkTransport::DpdkTransport(uint16_t client_port, Push push)
    : default_client_port_(client_port), client_port_(client_port), push_(std::move(push)) {}

namespace {

dpdk::TxCommand routed(dpdk::TxCommand::Kind kind, const runtime::Peer& peer) {
  dpdk::TxCommand command;
  command.kind = kind;
  command.server = peer.address;
  command.vrf = peer.vrf;
  command.interface = peer.interface;
  command.dst_port = peer.port;
  return command;
}

}  // namespace

bool DpdkTransport::send_request(const runtime::Peer& peer,
                                 const runtime::OutgoingRequest& request) {
  if (peer.address.version == wire::IpVersion::kNone) return false;
  dpdk::TxCommand command = routed(dpdk::TxCommand::Kind::kNtpRequest, peer);
  const wire::NtpHeader& h = request.header;
  command.version = h.version;
  command.poll = h.poll;
  command.src_port = client_port_;
  command.cookie = h.transmit;
  command.origin = h.origin;
  command.receive = h.receive;
  if (request.mac) {
    if (request.mac->digest_length > command.mac.size()) {
      ++mac_too_long_;
      return false;
    }
    command.mac_key_id = request.mac->key_id;
    command.mac_length = static_cast<uint8_t>(request.mac->digest_length);
    std::copy_n(request.mac->digest.begin(), request.mac->digest_length, command.mac.begin());
  }
  if (!push_(command)) {
    ++ring_full_;
    return false;
  }
  return true;
}

void DpdkTransport::prepare(const runtime::Peer& peer) {
  if (peer.address.version == wire::IpVersion::kNone) return;
  if (!push_(routed(dpdk::TxCommand::Kind::kArpRequest, peer))) ++ring_full_;
}

size_t DpdkTransport::translate(const dpdk::DataplaneEvent& ev, Events& out) {
  using Kind = runtime::TransportEvent::Kind;
  switch (ev.kind) {
    case dpdk::DataplaneEvent::Kind::kNtpTransmitted:
    case dpdk::DataplaneEvent::Kind::kNtpTransmitStamp:
    case dpdk::DataplaneEvent::Kind::kNtpNotSent:
      out[0] = runtime::TransportEvent{};
      out[0].kind = ev.kind == dpdk::DataplaneEvent::Kind::kNtpTransmitted ? Kind::kTransmitted
                    : ev.kind == dpdk::DataplaneEvent::Kind::kNtpTransmitStamp
                        ? Kind::kTransmitStamp
                        : Kind::kNotSent;
      out[0].cookie = ev.cookie;
      out[0].ticks = ev.ticks;
      return 1;
    case dpdk::DataplaneEvent::Kind::kNtpReply:
      break;
  }
  if (ev.dst_port != client_port_) {
    ++other_port_;
    return 0;
  }
  size_t n = 0;
  runtime::TransportEvent reply;
  reply.kind = Kind::kReply;
  reply.from.address = ev.src;
  reply.from.port = ev.src_port;
  reply.from.vrf = ev.vrf;
  reply.from.interface = ev.interface;
  reply.packet.header = ev.ntp;
  reply.packet.extension_count = ev.extension_fields;
  reply.packet.has_mac = ev.has_mac;
  // The record keeps kRecordMacSize bytes of the digest; a longer one is flagged, not read.
  reply.mac_too_long = ev.mac_length > ev.mac.size();
  reply.packet.mac = wire::NtpMac{
      ev.mac_key_id,
      std::span<const uint8_t>(ev.mac.data(), std::min<size_t>(ev.mac_length, ev.mac.size()))};
  reply.ticks = ev.ticks;
  dpdk::StampSource stamp = ev.stamp;
  if (kernel_stamps_ != nullptr && stamp == dpdk::StampSource::kTsc) {
    // The kernel saw the request leave and this reply arrive: both ends from the kernel (the
    // request's T1 replaced before the reply is matched), or both stay TSC reads.
    if (const auto exchange = kernel_stamps_->exchange(ev.ntp)) {
      out[n] = runtime::TransportEvent{};
      out[n].kind = Kind::kTransmitStamp;
      out[n].cookie = exchange->cookie;
      out[n].ticks = ticks_of_realtime_(exchange->t1);
      ++n;
      reply.ticks = ticks_of_realtime_(exchange->t4);
      stamp = dpdk::StampSource::kKernel;
      ++kernel_exchanges_;
    } else {
      ++tsc_exchanges_;
    }
  }
  reply.provenance = timestamp_source(stamp);
  if (stamp == dpdk::StampSource::kNicUtc) reply.utc = ev.utc_ns;
  out[n++] = reply;
  return n;
}

}  // namespace wiretime::daemon

#include "control/daemon/dpdk_transport.hpp"

#include <utility>

namespace wiretime::daemon {

engine::TimestampSource timestamp_source(dpdk::StampSource stamp) {
  switch (stamp) {
    case dpdk::StampSource::kTsc:
      return engine::TimestampSource::kTsc;
    case dpdk::StampSource::kNicTsc:
    case dpdk::StampSource::kNicUtc:
      return engine::TimestampSource::kNicHardware;
  }
  return engine::TimestampSource::kUnknown;
}

DpdkTransport::DpdkTransport(uint16_t client_port, Push push)
    : client_port_(client_port), push_(std::move(push)) {}

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

bool DpdkTransport::send_request(const runtime::Peer& peer, const engine::SendRequest& request) {
  if (peer.address.version == wire::IpVersion::kNone) return false;
  dpdk::TxCommand command = routed(dpdk::TxCommand::Kind::kNtpRequest, peer);
  command.poll = request.poll;
  command.src_port = client_port_;
  command.cookie = request.cookie;
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

void DpdkTransport::deliver(const dpdk::DataplaneEvent& ev) {
  if (loop_ == nullptr) return;
  switch (ev.kind) {
    case dpdk::DataplaneEvent::Kind::kNtpTransmitted:
      loop_->on_transmitted(ev.cookie, ev.ticks);
      return;
    case dpdk::DataplaneEvent::Kind::kNtpTransmitStamp:
      loop_->on_transmit_stamp(ev.cookie, ev.ticks);
      return;
    case dpdk::DataplaneEvent::Kind::kNtpNotSent:
      loop_->on_not_sent(ev.cookie);
      return;
    case dpdk::DataplaneEvent::Kind::kNtpReply:
      break;
  }
  if (ev.dst_port != client_port_) {
    ++other_port_;
    return;
  }
  runtime::Peer from;
  from.address = ev.src;
  from.port = ev.src_port;
  from.vrf = ev.vrf;
  from.interface = ev.interface;
  wire::NtpPacket packet;
  packet.header = ev.ntp;
  const engine::TimestampSource source = timestamp_source(ev.stamp);
  if (ev.stamp == dpdk::StampSource::kNicUtc) {
    loop_->on_reply_at(from, packet, NtpTimestamp::from_unix_nanos(ev.utc_ns), ev.utc_ns, source);
  } else {
    loop_->on_reply(from, packet, ev.ticks, source);
  }
}

}  // namespace wiretime::daemon

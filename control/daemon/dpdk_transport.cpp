#include "control/daemon/dpdk_transport.hpp"

#include <algorithm>
#include <span>
#include <utility>

#include "control/auth/auth_status.hpp"

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

DpdkTransport::DpdkTransport(uint16_t client_port, Push push, const auth::KeyTable* keys)
    : client_port_(client_port), push_(std::move(push)), keys_(keys) {}

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
  command.origin = request.origin;
  command.receive = request.receive;
  const uint32_t key_id = loop_ != nullptr ? loop_->key_id(request.association) : 0;
  if (key_id != 0 && !sign(key_id, command)) {
    ++sign_failures_;
    return false;
  }
  if (!push_(command)) {
    ++ring_full_;
    return false;
  }
  return true;
}

bool DpdkTransport::sign(uint32_t key_id, dpdk::TxCommand& command) {
  if (keys_ == nullptr) return false;
  std::array<uint8_t, wire::kNtpHeaderSize> covered{};
  if (wire::encode_ntp(covered, dpdk::ntp_request_header(command)) != covered.size()) return false;
  auth::MacTrailer trailer;
  if (auth::sign_ntp(*keys_, key_id, covered, 4, trailer) != auth::SignError::kOk ||
      trailer.digest_length == 0 || trailer.digest_length > command.mac.size()) {
    return false;
  }
  command.mac_key_id = trailer.key_id;
  command.mac_length = static_cast<uint8_t>(trailer.digest_length);
  std::copy_n(trailer.digest.begin(), trailer.digest_length, command.mac.begin());
  return true;
}

auth::MacVerdict DpdkTransport::verify(const dpdk::DataplaneEvent& ev, uint32_t key_id) const {
  if (keys_ == nullptr) return auth::MacVerdict::kUnknownKey;
  if (!ev.has_mac) return auth::verify_ntp_header(*keys_, ev.ntp, nullptr, key_id);
  // The record keeps kRecordMacSize bytes: a longer digest cannot be an NTPv4 MAC of ours.
  if (ev.mac_length > ev.mac.size()) return auth::MacVerdict::kBadLength;
  // The MAC covers the header only when there are no extension fields in between.
  if (ev.extension_fields != 0) return auth::MacVerdict::kBadDigest;
  const wire::NtpMac mac{ev.mac_key_id, std::span<const uint8_t>(ev.mac.data(), ev.mac_length)};
  return auth::verify_ntp_header(*keys_, ev.ntp, &mac, key_id);
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
  engine::AuthStatus auth_status = engine::AuthStatus::kNotRequired;
  if (const uint32_t key_id = loop_->key_id_of_peer(from); key_id != 0) {
    const auth::MacVerdict verdict = verify(ev, key_id);
    ++verdicts_[static_cast<size_t>(verdict)];
    auth_status = auth::auth_status_of(verdict, true);
  }
  uint64_t t4_ticks = ev.ticks;
  dpdk::StampSource stamp = ev.stamp;
  if (kernel_stamps_ != nullptr && stamp == dpdk::StampSource::kTsc) {
    // The kernel saw the request leave and this reply arrive: both ends from the kernel (the
    // request's T1 replaced before the reply is matched), or both stay TSC reads.
    if (const auto exchange = kernel_stamps_->exchange(ev.ntp)) {
      loop_->on_transmit_stamp(exchange->cookie, ticks_of_realtime_(exchange->t1));
      t4_ticks = ticks_of_realtime_(exchange->t4);
      stamp = dpdk::StampSource::kKernel;
      ++kernel_exchanges_;
    } else {
      ++tsc_exchanges_;
    }
  }
  const engine::TimestampSource source = timestamp_source(stamp);
  if (stamp == dpdk::StampSource::kNicUtc) {
    loop_->on_reply_at(from, packet, NtpTimestamp::from_unix_nanos(ev.utc_ns), ev.utc_ns, source,
                       auth_status);
  } else {
    loop_->on_reply(from, packet, t4_ticks, source, auth_status);
  }
}

}  // namespace wiretime::daemon

#include "control/daemon/socket_transport.hpp"

#include <array>

#include "control/auth/auth_status.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {

SocketTransport::SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks,
                                 const auth::KeyTable* keys)
    : socket_(socket), to_ticks_(std::move(to_ticks)), keys_(keys) {}

bool SocketTransport::send_request(const runtime::Peer& peer, const engine::SendRequest& request) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.version = request.version;
  h.poll = request.poll;
  h.transmit = request.cookie;
  h.origin = request.origin;
  h.receive = request.receive;
  // Header, key id and the longest digest (v3 packets carry it untruncated).
  std::array<uint8_t, 48 + 4 + auth::kNtpMaxDigestLength> payload{};
  const uint32_t key_id = loop_ != nullptr ? loop_->key_id(request.association) : 0;
  size_t length = 0;
  if (key_id == 0) {
    length = wire::encode_ntp(payload, h);
  } else if (keys_ != nullptr) {
    length = auth::encode_authenticated_ntp(payload, h, *keys_, key_id);
    if (length == 0) ++sign_failures_;
  } else {
    ++sign_failures_;
  }
  if (length == 0) return false;
  UnixNanos before = 0;
  const auto id = socket_.send(peer.address, peer.port,
                               std::span<const uint8_t>(payload.data(), length), before);
  if (!id) return false;
  pending_.push_back({*id, request.cookie, before});
  return true;
}

void SocketTransport::drain_transmit_timestamps() {
  socket::TxTimestamp ts;
  while (socket_.read_tx_timestamp(ts)) {
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].id != ts.id) continue;
      if (loop_ != nullptr) loop_->on_transmitted(pending_[i].cookie, to_ticks_(ts.realtime));
      ++kernel_t1_;
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  // Without kernel transmit stamps the read before sendto is all there is.
  if (!socket_.tx_timestamps()) flush_pending();
}

void SocketTransport::flush_pending() {
  for (const Pending& p : pending_) {
    if (loop_ != nullptr) loop_->on_transmitted(p.cookie, to_ticks_(p.before));
    ++fallback_t1_;
  }
  pending_.clear();
}

void SocketTransport::receive_all() {
  std::array<uint8_t, 1024> buffer{};
  socket::ReceivedDatagram d;
  while (socket_.receive(buffer, d)) {
    wire::NtpPacket packet;
    const std::span<const uint8_t> datagram(buffer.data(), d.length);
    if (wire::decode_ntp(datagram, packet) != wire::DecodeError::kOk || !packet.is_time_packet) {
      ++undecodable_;
      continue;
    }
    drain_transmit_timestamps();
    flush_pending();
    if (loop_ == nullptr) continue;
    const runtime::Peer from{d.from, d.from_port};
    engine::AuthStatus auth_status = engine::AuthStatus::kNotRequired;
    if (const uint32_t key_id = loop_->key_id_of_peer(from); key_id != 0) {
      const auth::MacVerdict verdict =
          keys_ != nullptr ? auth::verify_ntp_packet(*keys_, datagram, packet, key_id)
                           : auth::MacVerdict::kUnknownKey;
      ++verdicts_[static_cast<size_t>(verdict)];
      auth_status = auth::auth_status_of(verdict, true);
    }
    loop_->on_reply(
        from, packet, to_ticks_(d.rx_realtime),
        d.kernel_stamp ? engine::TimestampSource::kKernel : engine::TimestampSource::kUnknown,
        auth_status);
  }
}

}  // namespace wiretime::daemon

#include "control/daemon/socket_transport.hpp"

#include <array>

#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {

SocketTransport::SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks)
    : socket_(socket), to_ticks_(std::move(to_ticks)) {}

bool SocketTransport::send_request(const runtime::Peer& peer, const engine::SendRequest& request) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.version = request.version;
  h.poll = request.poll;
  h.transmit = request.cookie;
  std::array<uint8_t, 48> payload{};
  if (wire::encode_ntp(payload, h) == 0) return false;
  UnixNanos before = 0;
  const auto id = socket_.send(peer.address, peer.port, payload, before);
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
    if (wire::decode_ntp(std::span<const uint8_t>(buffer.data(), d.length), packet) !=
            wire::DecodeError::kOk ||
        !packet.is_time_packet) {
      ++undecodable_;
      continue;
    }
    drain_transmit_timestamps();
    flush_pending();
    if (loop_ != nullptr) {
      loop_->on_reply(
          runtime::Peer{d.from, d.from_port}, packet, to_ticks_(d.rx_realtime),
          d.kernel_stamp ? engine::TimestampSource::kKernel : engine::TimestampSource::kUnknown);
    }
  }
}

}  // namespace wiretime::daemon

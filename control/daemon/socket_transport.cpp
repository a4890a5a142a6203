#include "control/daemon/socket_transport.hpp"

#include <array>
#include <cstring>

#include "control/auth/ntp_mac.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {

SocketTransport::SocketTransport(socket::UdpSocket& socket, ToTicks to_ticks)
    : socket_(socket), to_ticks_(std::move(to_ticks)) {}

bool SocketTransport::send_request(const runtime::Peer& peer,
                                   const runtime::OutgoingRequest& request) {
  // Header, key id and the longest digest (v3 packets carry it untruncated).
  std::array<uint8_t, wire::kNtpHeaderSize + 4 + auth::kNtpMaxDigestLength> payload{};
  size_t length = wire::encode_ntp(payload, request.header);
  if (length == 0) return false;
  if (request.mac) {
    const uint32_t key = request.mac->key_id;
    const uint8_t key_bytes[4] = {static_cast<uint8_t>(key >> 24), static_cast<uint8_t>(key >> 16),
                                  static_cast<uint8_t>(key >> 8), static_cast<uint8_t>(key)};
    std::memcpy(payload.data() + length, key_bytes, 4);
    std::memcpy(payload.data() + length + 4, request.mac->digest.data(),
                request.mac->digest_length);
    length += 4 + request.mac->digest_length;
  }
  UnixNanos before = 0;
  const auto sequence = socket_.send(peer.address, peer.port,
                                     std::span<const uint8_t>(payload.data(), length), before);
  if (!sequence) return false;
  stamps_.sent({*sequence, request.cookie(), before});
  return true;
}

std::optional<std::string> SocketTransport::set_source_port(std::optional<uint16_t> port) {
  if (port.value_or(0) == socket_.local_port() && port) return std::nullopt;
  drain_transmit_timestamps();
  flush_pending();
  if (std::string e = socket_.rebind(port.value_or(0)); !e.empty()) return e;
  stamps_ = TxStampMatcher{};  // the new socket numbers its datagrams from 0
  return std::nullopt;
}

void SocketTransport::transmitted(NtpTimestamp cookie, UnixNanos realtime) {
  runtime::TransportEvent ev;
  ev.kind = runtime::TransportEvent::Kind::kTransmitted;
  ev.cookie = cookie;
  ev.ticks = to_ticks_(realtime);
  t1_events_.push_back(ev);
}

void SocketTransport::drain_transmit_timestamps() {
  socket::TxTimestamp ts;
  // Bounded: a queue that never empties (an interposer ignoring MSG_ERRQUEUE) cannot spin us.
  for (int i = 0; i < 1024 && socket_.read_tx_timestamp(ts); ++i) {
    const auto p =
        stamps_.match(ts.has_key, ts.key, std::span<const uint8_t>(ts.data.data(), ts.length));
    if (!p) continue;
    transmitted(p->cookie, ts.realtime);
    ++kernel_t1_;
  }
  // Without kernel transmit stamps the read before sendto is all there is.
  if (!socket_.tx_timestamps()) flush_pending();
}

void SocketTransport::flush_pending() {
  for (const TxStampMatcher::Pending& p : stamps_.take_all()) {
    transmitted(p.cookie, p.before);
    ++fallback_t1_;
  }
}

bool SocketTransport::next(runtime::TransportEvent& out) {
  if (!t1_events_.empty()) {
    out = t1_events_.front();
    t1_events_.pop_front();
    return true;
  }
  socket::ReceivedDatagram d;
  while (socket_.receive(buffer_, d)) {
    const std::span<const uint8_t> datagram(buffer_.data(), d.length);
    if (wire::decode_ntp(datagram, out.packet) != wire::DecodeError::kOk ||
        !out.packet.is_time_packet) {
      ++undecodable_;
      continue;
    }
    // The request's T1 goes first: a reply must not find its request without one.
    drain_transmit_timestamps();
    flush_pending();
    runtime::TransportEvent reply;
    reply.kind = runtime::TransportEvent::Kind::kReply;
    reply.from = runtime::Peer{d.from, d.from_port};
    reply.packet = out.packet;
    reply.datagram = datagram;
    reply.ticks = to_ticks_(d.rx_realtime);
    reply.provenance =
        d.kernel_stamp ? engine::TimestampSource::kKernel : engine::TimestampSource::kUnknown;
    if (t1_events_.empty()) {
      out = reply;
      return true;
    }
    t1_events_.push_back(reply);
    out = t1_events_.front();
    t1_events_.pop_front();
    return true;
  }
  return false;
}

}  // namespace wiretime::daemon

#include "control/daemon/socket_transport.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "control/auth/ntp_mac.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {

SocketTransport::SocketTransport(socket::UdpSocket& default_socket, ToTicks to_ticks)
    : to_ticks_(std::move(to_ticks)) {
  channels_.push_back(
      Channel{default_socket.local(), runtime::kAnyInterface, &default_socket, nullptr, {}});
  routes_.push_back(SourceRoute{runtime::kAnyInterface, default_socket.local()});
}

SocketTransport::Channel* SocketTransport::channel_of(const runtime::Peer& peer) {
  for (const SourceRoute& r : routes_) {
    if (r.interface != peer.interface || r.local.version != peer.address.version) continue;
    for (Channel& c : channels_) {
      if (c.local == r.local) return &c;
    }
  }
  return nullptr;
}

bool SocketTransport::send_request(const runtime::Peer& peer,
                                   const runtime::OutgoingRequest& request) {
  // No route: the source interface has no address of the peer's family (or it could not be
  // bound); the request is not sent and the server stays unreachable.
  Channel* channel = channel_of(peer);
  if (channel == nullptr) return false;
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
  const auto sequence = channel->socket->send(
      peer.address, peer.port, std::span<const uint8_t>(payload.data(), length), before);
  if (!sequence) return false;
  channel->stamps.sent({*sequence, request.cookie(), before});
  return true;
}

std::optional<std::string> SocketTransport::set_source_port(std::optional<uint16_t> port) {
  if (port && std::all_of(channels_.begin(), channels_.end(),
                          [&](const Channel& c) { return c.socket->local_port() == *port; })) {
    source_port_ = port;
    return std::nullopt;
  }
  drain_transmit_timestamps();
  flush_pending();
  std::vector<uint16_t> before;
  for (size_t i = 0; i < channels_.size(); ++i) {
    before.push_back(channels_[i].socket->local_port());
    if (std::string e = channels_[i].socket->rebind(port.value_or(0)); !e.empty()) {
      // All or none: the sockets already moved go back (an ephemeral one to a new ephemeral
      // port, which is what it was).
      for (size_t j = 0; j < i; ++j) {
        (void)channels_[j].socket->rebind(source_port_ ? before[j] : 0);
        channels_[j].stamps = TxStampMatcher{};
      }
      return channels_.size() == 1 ? e : l3::to_string(channels_[i].local) + ": " + e;
    }
    channels_[i].stamps = TxStampMatcher{};  // the new socket numbers its datagrams from 0
  }
  source_port_ = port;
  return std::nullopt;
}

std::vector<std::string> SocketTransport::set_routes(const std::vector<SourceRoute>& routes) {
  std::vector<std::string> problems;
  std::vector<SourceRoute> kept;
  std::vector<wire::IpAddress> failed;
  for (const SourceRoute& r : routes) {
    const bool open = std::any_of(channels_.begin(), channels_.end(),
                                  [&](const Channel& c) { return c.local == r.local; });
    if (!open && std::find(failed.begin(), failed.end(), r.local) == failed.end()) {
      auto s = std::make_unique<socket::UdpSocket>();
      if (std::string e = s->open(r.local, source_port_.value_or(0)); !e.empty()) {
        problems.push_back(l3::to_string(r.local) + ": " + e);
        failed.push_back(r.local);
      } else {
        socket::UdpSocket* raw = s.get();
        channels_.push_back(Channel{r.local, r.interface, raw, std::move(s), {}});
      }
    }
    if (std::find(failed.begin(), failed.end(), r.local) == failed.end()) kept.push_back(r);
  }
  // Requests still waiting on a socket about to close get their fallback T1 now.
  for (auto it = channels_.begin() + 1; it != channels_.end();) {
    const bool named = std::any_of(kept.begin(), kept.end(),
                                   [&](const SourceRoute& r) { return r.local == it->local; });
    if (named) {
      ++it;
      continue;
    }
    flush_pending(*it);
    it = channels_.erase(it);
  }
  routes_ = std::move(kept);
  return problems;
}

void SocketTransport::transmitted(NtpTimestamp cookie, UnixNanos realtime) {
  runtime::TransportEvent ev;
  ev.kind = runtime::TransportEvent::Kind::kTransmitted;
  ev.cookie = cookie;
  ev.ticks = to_ticks_(realtime);
  t1_events_.push_back(ev);
}

void SocketTransport::drain_transmit_timestamps() {
  for (Channel& c : channels_) {
    socket::TxTimestamp ts;
    // Bounded: a queue that never empties (an interposer ignoring MSG_ERRQUEUE) cannot spin us.
    for (int i = 0; i < 1024 && c.socket->read_tx_timestamp(ts); ++i) {
      const auto p =
          c.stamps.match(ts.has_key, ts.key, std::span<const uint8_t>(ts.data.data(), ts.length));
      if (!p) continue;
      transmitted(p->cookie, ts.realtime);
      ++kernel_t1_;
    }
    // Without kernel transmit stamps the read before sendto is all there is.
    if (!c.socket->tx_timestamps()) flush_pending(c);
  }
}

void SocketTransport::flush_pending(Channel& channel) {
  for (const TxStampMatcher::Pending& p : channel.stamps.take_all()) {
    transmitted(p.cookie, p.before);
    ++fallback_t1_;
  }
}

void SocketTransport::flush_pending() {
  for (Channel& c : channels_) flush_pending(c);
}

size_t SocketTransport::fill_pollfds(std::vector<pollfd>& fds) const {
  for (const Channel& c : channels_) fds.push_back(pollfd{c.socket->fd(), POLLIN, 0});
  return channels_.size();
}

bool SocketTransport::next(runtime::TransportEvent& out) {
  if (!t1_events_.empty()) {
    out = t1_events_.front();
    t1_events_.pop_front();
    return true;
  }
  socket::ReceivedDatagram d;
  for (Channel& c : channels_) {
    while (c.socket->receive(buffer_, d)) {
      const std::span<const uint8_t> datagram(buffer_.data(), d.length);
      if (wire::decode_ntp(datagram, out.packet) != wire::DecodeError::kOk ||
          !out.packet.is_time_packet) {
        ++undecodable_[c.local.version == wire::IpVersion::kV6 ? 1 : 0];
        continue;
      }
      // The request's T1 goes first: a reply must not find its request without one.
      drain_transmit_timestamps();
      flush_pending();
      runtime::TransportEvent reply;
      reply.kind = runtime::TransportEvent::Kind::kReply;
      reply.from = runtime::Peer{d.from, d.from_port};
      reply.from.interface = c.interface;
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
  }
  return false;
}

}  // namespace wiretime::daemon

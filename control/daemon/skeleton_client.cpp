#include "control/daemon/skeleton_client.hpp"

namespace wiretime::daemon {

std::string_view to_string(ReplyVerdict verdict) {
  switch (verdict) {
    case ReplyVerdict::kAccepted:
      return "accepted";
    case ReplyVerdict::kWrongSource:
      return "wrong source";
    case ReplyVerdict::kNotServerMode:
      return "not server mode";
    case ReplyVerdict::kNoRequestPending:
      return "no request pending";
    case ReplyVerdict::kBogusOrigin:
      return "bogus origin";
    case ReplyVerdict::kTransmitUnknown:
      return "transmit time unknown";
    case ReplyVerdict::kKissOfDeath:
      return "kiss of death";
    case ReplyVerdict::kServerUnsynchronized:
      return "server unsynchronized";
    case ReplyVerdict::kZeroTimestamp:
      return "zero timestamp";
    case ReplyVerdict::kCount:
      break;
  }
  return "unknown";
}

SkeletonClient::SkeletonClient(const SkeletonClientConfig& config, uint64_t seed)
    : config_(config), random_(seed) {
  const uint32_t mask = config.own_mask;
  const bool on_link =
      (config.server_ip.to_host_order() & mask) == (config.own_ip.to_host_order() & mask);
  next_hop_ = on_link || !config.gateway ? config.server_ip : *config.gateway;
}

int64_t SkeletonClient::poll_interval_ns() const {
  const int e = config_.poll_exponent;
  return e >= 0 ? int64_t{1'000'000'000} << e : int64_t{1'000'000'000} >> -e;
}

NtpTimestamp SkeletonClient::new_cookie() {
  // Zero means "not set" on the wire, and a reply's origin would then match nothing useful.
  uint64_t v = 0;
  while (v == 0) v = random_();
  return NtpTimestamp::from_raw(v);
}

std::optional<dpdk::TxCommand> SkeletonClient::on_timer(int64_t now_ns) {
  if (!next_hop_mac_) {
    if (next_arp_ns_ && now_ns < *next_arp_ns_) return std::nullopt;
    next_arp_ns_ = now_ns + kArpRetryNs;
    dpdk::TxCommand arp;
    arp.kind = dpdk::TxCommand::Kind::kArpRequest;
    arp.target_ip = next_hop_;
    return arp;
  }
  if (next_poll_ns_ && now_ns < *next_poll_ns_) return std::nullopt;
  next_poll_ns_ = now_ns + poll_interval_ns();
  if (pending_cookie_) ++unanswered_;  // superseded: its reply, if any, now counts as stale
  pending_cookie_ = new_cookie();
  pending_t1_ticks_.reset();
  ++requests_;
  dpdk::TxCommand request;
  request.kind = dpdk::TxCommand::Kind::kNtpRequest;
  request.poll = static_cast<int8_t>(config_.poll_exponent);
  request.src_port = config_.client_port;
  request.dst_port = config_.server_port;
  request.target_ip = config_.server_ip;
  request.dst_mac = *next_hop_mac_;
  request.cookie = *pending_cookie_;
  return request;
}

void SkeletonClient::on_neighbor(wire::Ipv4Address ip, wire::MacAddress mac) {
  if (ip == next_hop_ && !mac.is_multicast()) next_hop_mac_ = mac;
}

void SkeletonClient::on_transmitted(NtpTimestamp cookie, uint64_t t1_ticks) {
  if (pending_cookie_ && *pending_cookie_ == cookie) pending_t1_ticks_ = t1_ticks;
}

ReplyResult SkeletonClient::on_reply(const dpdk::DataplaneEvent& reply,
                                     const clock::ClockModel& model) {
  const wire::NtpHeader& h = reply.ntp;
  if (reply.ip != config_.server_ip || reply.src_port != config_.server_port ||
      reply.dst_port != config_.client_port) {
    return {ReplyVerdict::kWrongSource, std::nullopt};
  }
  if (h.mode != wire::NtpMode::kServer) return {ReplyVerdict::kNotServerMode, std::nullopt};
  if (!pending_cookie_) return {ReplyVerdict::kNoRequestPending, std::nullopt};
  if (h.origin != *pending_cookie_) return {ReplyVerdict::kBogusOrigin, std::nullopt};
  if (!pending_t1_ticks_) return {ReplyVerdict::kTransmitUnknown, std::nullopt};
  // The request is answered whatever the verdict below: a second copy must not match again.
  const uint64_t t1_ticks = *pending_t1_ticks_;
  pending_cookie_.reset();
  pending_t1_ticks_.reset();
  if (h.stratum == 0) return {ReplyVerdict::kKissOfDeath, std::nullopt};
  if (h.leap == wire::LeapIndicator::kUnsynchronized) {
    return {ReplyVerdict::kServerUnsynchronized, std::nullopt};
  }
  if (h.receive.is_zero() || h.transmit.is_zero()) {
    return {ReplyVerdict::kZeroTimestamp, std::nullopt};
  }

  Sample s;
  s.server = reply.ip;
  s.server_port = reply.src_port;
  s.t1 = model.ntp(t1_ticks);
  s.t2 = h.receive;
  s.t3 = h.transmit;
  s.t4 = model.ntp(reply.ticks);
  s.t4_utc = model.utc_nanos(reply.ticks);
  // RFC 5905 section 8: offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2).
  s.offset = ((s.t2 - s.t1) + (s.t3 - s.t4)).half();
  s.delay = (s.t4 - s.t1) - (s.t3 - s.t2);
  s.stratum = h.stratum;
  s.rx_stamp = reply.rx_stamp;
  return {ReplyVerdict::kAccepted, s};
}

}  // namespace wiretime::daemon

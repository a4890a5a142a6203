#include "dataplane/server/ntp_server_stage.hpp"

#include <algorithm>
#include <array>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

constexpr size_t kReceiveOffset = 32;  // receive timestamp within the NTP header

bool is_ipv4_broadcast_or_multicast(const wire::Ipv4Address& a) {
  return a.bytes[0] >= 224 || a == wire::Ipv4Address{{255, 255, 255, 255}};
}

bool bad_source(const wire::DecodedFrame& f) {
  if (f.src_mac.is_multicast()) return true;
  if (f.is_ipv4()) {
    return is_ipv4_broadcast_or_multicast(f.src_ip.v4) || f.src_ip.v4 == wire::Ipv4Address{};
  }
  return f.src_ip.v6.bytes[0] == 0xff || f.src_ip.v6 == wire::Ipv6Address{};
}

bool bad_destination(const wire::DecodedFrame& f) {
  if (f.dst_mac.is_multicast()) return true;  // broadcast is multicast too
  return f.is_ipv4() ? is_ipv4_broadcast_or_multicast(f.dst_ip.v4) : f.dst_ip.v6.bytes[0] == 0xff;
}

// T3 strictly after T2 (RFC 9769 section 2: unique timestamps; clients reject TX == RX).
NtpTimestamp after(NtpTimestamp t2, NtpTimestamp t3) {
  return static_cast<int64_t>(t3.raw() - t2.raw()) > 0 ? t3 : NtpTimestamp::from_raw(t2.raw() + 1);
}

// The MAC placeholder of an authenticated reply: the digest is written by sign_reply().
constexpr std::array<uint8_t, wire::kMaxMacDigestSize> kZeroDigest{};

// The request's MAC, checked before the frame is overwritten. Without `auth` (no keys) a
// request with a MAC is refused.
AuthCheck check_auth(ServerAuth* auth, const wire::NtpPacket& request,
                     std::span<const uint8_t> payload) {
  if (auth != nullptr) return auth->check(request, payload);
  AuthCheck c;
  c.ok = !request.has_mac;
  c.failure = AuthFailure::kUnknownKey;
  return c;
}

ServeOutcome access_outcome(AccessGate* access, const wire::IpAddress& source, NtpTimestamp t2) {
  if (access == nullptr) return ServeOutcome::kServedBasic;
  switch (access->decide(source, t2)) {
    case AccessAction::kServe:
      return ServeOutcome::kServedBasic;
    case AccessAction::kDeny:
      return ServeOutcome::kDeniedAcl;
    case AccessAction::kDenyKod:
      return ServeOutcome::kDenyKodSent;
    case AccessAction::kRateKod:
      return ServeOutcome::kRateKodSent;
    case AccessAction::kRateDrop:
      return ServeOutcome::kRateDropped;
  }
  return ServeOutcome::kDeniedAcl;
}

uint32_t kiss_of(ServeOutcome o) {
  return o == ServeOutcome::kRateKodSent ? kKissRate : kKissDeny;
}

}  // namespace

std::string_view to_string(ServeOutcome outcome) {
  switch (outcome) {
    case ServeOutcome::kServedBasic:
      return "served basic";
    case ServeOutcome::kServedInterleaved:
      return "served interleaved";
    case ServeOutcome::kDisabled:
      return "server disabled";
    case ServeOutcome::kNotListening:
      return "not listening";
    case ServeOutcome::kDeniedAcl:
      return "denied (ACL)";
    case ServeOutcome::kDenyKodSent:
      return "DENY KoD sent";
    case ServeOutcome::kRateKodSent:
      return "rate limited (KoD sent)";
    case ServeOutcome::kRateDropped:
      return "rate limited (dropped)";
    case ServeOutcome::kNotRequest:
      return "not a client request";
    case ServeOutcome::kBadVersion:
      return "bad version";
    case ServeOutcome::kBroadcast:
      return "broadcast or multicast";
    case ServeOutcome::kUnsupportedFrame:
      return "tunneled or QinQ";
    case ServeOutcome::kAuthFailed:
      return "authentication failed";
    case ServeOutcome::kTxFailed:
      return "reply not sent";
    case ServeOutcome::kMalformed:
      return "malformed";
    case ServeOutcome::kCount:
      break;
  }
  return "unknown";
}

ServeOutcome check_listening(const ServerListen& listen, const ServerInterface& itf,
                             const wire::IpAddress& dst, uint16_t dst_port) {
  if (dst.version == wire::IpVersion::kV4) {
    if (!listen.ipv4_enabled) return ServeOutcome::kDisabled;
  } else if (!listen.ipv6_enabled) {
    return ServeOutcome::kDisabled;
  }
  if (dst_port != wire::kNtpPort) return ServeOutcome::kNotListening;
  for (size_t i = 0; i < listen.isolated_count && i < kMaxIsolated; ++i) {
    const wire::IpAddress& a = listen.isolated[i].address;
    const bool same = a.version == dst.version &&
                      (dst.version == wire::IpVersion::kV4 ? a.v4 == dst.v4 : a.v6 == dst.v6);
    if (same && listen.isolated[i].interface == itf.index) {
      return ServeOutcome::kServedBasic;
    }
  }
  if (dst.version == wire::IpVersion::kV4) {
    // Only the primary address is trusted (section 6.5), with `all enable` too.
    const bool interface_listens =
        listen.ipv4_all ||
        (itf.index < kMaxListenInterfaces && ((listen.ipv4_interfaces >> itf.index) & 1u) != 0);
    return interface_listens && itf.has_primary_ipv4 && dst.v4 == itf.primary_ipv4
               ? ServeOutcome::kServedBasic
               : ServeOutcome::kNotListening;
  }
  if (listen.ipv6_all) return ServeOutcome::kServedBasic;
  for (size_t i = 0; i < listen.ipv6_count && i < kMaxListenIpv6; ++i) {
    if (listen.ipv6_addresses[i] == dst.v6 && listen.ipv6_vrfs[i] == itf.vrf) {
      return ServeOutcome::kServedBasic;
    }
  }
  return ServeOutcome::kNotListening;
}

ServeOutcome check_request(const wire::NtpPacket& request) {
  if (!request.is_time_packet || request.header.mode != wire::NtpMode::kClient) {
    return ServeOutcome::kNotRequest;
  }
  if (request.header.version < 1 || request.header.version > 4) return ServeOutcome::kBadVersion;
  return ServeOutcome::kServedBasic;
}

wire::NtpHeader reply_header(const wire::NtpHeader& request, const ServerClockState& state,
                             NtpTimestamp receive, NtpTimestamp transmit) {
  wire::NtpHeader h;
  const bool unsynchronised = state.stratum == 0 || state.stratum >= 16 || state.leap == 3;
  h.leap = unsynchronised ? wire::LeapIndicator::kUnsynchronized
                          : static_cast<wire::LeapIndicator>(state.leap & 3);
  h.stratum = unsynchronised ? 16 : state.stratum;
  h.version = request.version;
  h.mode = wire::NtpMode::kServer;
  h.poll = request.poll;
  h.precision = state.precision;
  h.root_delay = NtpShort::from_raw(state.root_delay);
  h.root_dispersion = NtpShort::from_raw(state.root_dispersion);
  h.reference_id = state.reference_id;
  h.reference = NtpTimestamp::from_raw(state.reference_time);
  h.origin = request.transmit;
  h.receive = receive;
  h.transmit = after(receive, transmit);
  return h;
}

std::optional<NtpTimestamp> interleaved_transmit(const wire::NtpHeader& request,
                                                 const InterleavedStore* store, NtpTimestamp t2) {
  if (store == nullptr || request.origin.is_zero() || request.origin == request.receive ||
      request.origin == request.transmit) {
    return std::nullopt;
  }
  const auto tx = store->find(request.origin);
  if (!tx || *tx == t2) return std::nullopt;
  return tx;
}

ServeResult serve_in_place(std::span<uint8_t> frame, const wire::DecodedFrame& request,
                           const ServerInterface& itf, const ServerSnapshot& state, NtpTimestamp t2,
                           NtpTimestamp provisional_t3, const InterleavedStore* store,
                           AccessGate* access, ServerAuth* auth) {
  ServeResult r;
  if (!request.is_ntp || request.error != wire::DecodeError::kOk) {
    r.outcome = ServeOutcome::kNotRequest;
    return r;
  }
  r.outcome = check_request(request.ntp);
  if (r.outcome != ServeOutcome::kServedBasic) return r;
  if (request.tunneled || request.vlan_count > 1) {
    r.outcome = ServeOutcome::kUnsupportedFrame;
    return r;
  }
  if (bad_destination(request) || bad_source(request)) {
    r.outcome = ServeOutcome::kBroadcast;
    return r;
  }
  r.outcome = check_listening(state.listen, itf, request.dst_ip, request.dst_port);
  if (r.outcome != ServeOutcome::kServedBasic) return r;
  r.outcome = access_outcome(access, request.src_ip, t2);
  if (!sends_reply(r.outcome)) return r;
  // A KoD goes out unsigned (it carries no time); otherwise the MAC is checked last, being the
  // costly check, and only for requests the access and rate checks let through.
  wire::NtpMac placeholder{};
  const wire::NtpMac* mac = nullptr;
  if (!is_kod(r.outcome)) {
    const AuthCheck a = check_auth(auth, request.ntp, request.udp_payload);
    if (!a.ok) {
      r.outcome = ServeOutcome::kAuthFailed;
      return r;
    }
    r.key = a.key;
    r.digest_length = a.digest_length;
    if (a.key != nullptr) {
      placeholder =
          wire::NtpMac{a.key->id, std::span<const uint8_t>(kZeroDigest.data(), a.digest_length)};
      mac = &placeholder;
    }
  }

  // Everything the reply needs is copied out of the request before the frame is overwritten.
  wire::NtpHeader header = is_kod(r.outcome)
                               ? kod_header(request.ntp.header, kiss_of(r.outcome))
                               : reply_header(request.ntp.header, state.clock, t2, provisional_t3);
  if (const auto tx =
          is_kod(r.outcome) ? std::nullopt : interleaved_transmit(request.ntp.header, store, t2)) {
    header.origin = request.ntp.header.receive;
    header.transmit = *tx;
    r.outcome = ServeOutcome::kServedInterleaved;
  }
  r.receive = t2;
  // The common shape is answered by swapping in place (the same bytes, no re-encoded headers);
  // IP options, IPv6 extension headers or an 802.1ad tag go through the full encoder below.
  r.length = wire::encode_ntp_reply_in_place(frame, request, header, mac);
  if (r.length != 0) {
    r.udp_offset = request.l4_offset;
    return r;
  }
  r.length = wire::encode_ntp_reply(frame, request, header, mac);
  if (r.length == 0) {  // cannot happen for a decoded request (the reply is smaller)
    r.outcome = ServeOutcome::kTxFailed;
    return r;
  }
  wire::EthernetSpec eth;
  eth.has_vlan = request.vlan_count == 1;
  r.udp_offset = wire::udp_payload_offset(eth, request.src_ip.version) - wire::kUdpHeaderSize;
  return r;
}

void stamp_transmit(std::span<uint8_t> frame, const ServeResult& reply, NtpTimestamp t3) {
  const size_t ntp = reply.udp_offset + wire::kUdpHeaderSize;
  if (reply.length == 0 || reply.interleaved() || is_kod(reply.outcome) ||
      frame.size() < ntp + wire::kNtpHeaderSize) {
    return;
  }
  const NtpTimestamp t2 =
      NtpTimestamp::from_raw(wire::load_be64(frame.data() + ntp + kReceiveOffset));
  wire::restamp_ntp_transmit(frame, reply.udp_offset, after(t2, t3));
}

bool sign_reply(std::span<uint8_t> frame, const ServeResult& reply, ServerAuth& auth) {
  if (reply.key == nullptr || reply.length == 0) return true;
  return sign_reply_frame(auth, frame.first(std::min(frame.size(), reply.length)), reply.udp_offset,
                          *reply.key, reply.digest_length);
}

ServeOutcome serve_payload(std::span<const uint8_t> request_payload, std::span<uint8_t> out,
                           const ServerClockState& state, NtpTimestamp t2, NtpTimestamp t3,
                           AccessGate* access, const wire::IpAddress& source, ServerAuth* auth,
                           size_t* reply_length, const InterleavedStore* store) {
  if (reply_length != nullptr) *reply_length = 0;
  wire::NtpPacket request;
  if (wire::decode_ntp(request_payload, request) != wire::DecodeError::kOk) {
    return ServeOutcome::kMalformed;
  }
  ServeOutcome outcome = check_request(request);
  if (outcome != ServeOutcome::kServedBasic) return outcome;
  outcome = access_outcome(access, source, t2);
  if (!sends_reply(outcome)) return outcome;
  if (is_kod(outcome)) {
    // Unsigned, like the KoD of serve_in_place.
    const size_t k = wire::encode_ntp(out, kod_header(request.header, kiss_of(outcome)));
    if (k == 0) return ServeOutcome::kTxFailed;
    if (reply_length != nullptr) *reply_length = k;
    return outcome;
  }
  const AuthCheck a = check_auth(auth, request, request_payload);
  if (!a.ok) return ServeOutcome::kAuthFailed;
  if (a.key != nullptr && reply_length == nullptr) return ServeOutcome::kTxFailed;  // no room
  wire::NtpHeader header = reply_header(request.header, state, t2, t3);
  if (const auto tx = interleaved_transmit(request.header, store, t2)) {
    header.origin = request.header.receive;
    header.transmit = *tx;
    outcome = ServeOutcome::kServedInterleaved;
  }
  size_t n = wire::encode_ntp(out, header);
  if (n != 0 && a.key != nullptr) n = auth->sign(out, *a.key, a.digest_length);
  if (n == 0) return ServeOutcome::kTxFailed;
  if (reply_length != nullptr) *reply_length = n;
  return outcome;
}

}  // namespace wiretime::server

// The NTP server's per-packet stage, pure (no DPDK, no clock reads): given a decoded client
// request (the frame as received), the interface it arrived on, the published server state and
// the request's RX time (T2), it either says why the request is not answered or rewrites the
// frame in place into the mode-4 reply. T3 is patched in afterwards, as late as the caller can
// read its clock (right before the TX burst), with an incremental UDP checksum fix.
//
// Rules (RFC 5905, vrp-ntp-cli.md sections 6.4, 6.5 and 10):
// - only mode 3 is answered (never 4, 5, 6, 7 or the symmetric modes), versions 1-4, the reply
//   copies the request's version and echoes its poll;
// - never to a broadcast/multicast destination (MAC or IP), nor from such a source;
// - nothing when the family's server is disabled, nor on an interface/address that does not
//   listen (IPv4: the interface's primary address only; `physic-isolate`: the named address,
//   arriving on the named interface only);
// - then access and rate control (`ntp access`, `ntp discard`, `ntp kod-enable`;
//   access_control.hpp): denied or over the rate means no reply, or a DENY/RATE KoD in place;
// - the reply is a basic 48-byte packet: extension fields of the request are dropped, so the
//   reply is never larger than the request. A request with a MAC is answered only when the
//   MAC checks (server_auth.hpp), with a reply signed by the same key after T3 is final
//   (sign_reply); `ntp authentication enable` also refuses requests without a MAC.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "dataplane/server/access_control.hpp"
#include "dataplane/server/interleaved_store.hpp"
#include "dataplane/server/server_auth.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::server {

// Every request the stage sees ends in exactly one of these.
enum class ServeOutcome : uint8_t {
  kServedBasic,        // answered in basic mode
  kServedInterleaved,  // answered in interleaved mode (RFC 9769)
  kDisabled,           // `ntp [ipv6] server disable` (or NTP disabled) for the family
  kNotListening,       // not a listening interface/address, or not to port 123
  kDeniedAcl,          // `ntp access`: no level grants time service; no reply
  kDenyKodSent,        // the same, answered with a DENY KoD (`ntp kod-enable`)
  kRateKodSent,        // `ntp access limited` + `ntp discard`: over the rate, RATE KoD sent
  kRateDropped,        // over the rate, no reply (KoD off, or the KoD itself rate-limited)
  kNotRequest,         // mode other than 3 (server, broadcast, symmetric, control, private)
  kBadVersion,         // version 0 or above 4
  kBroadcast,          // to a broadcast/multicast MAC or address, or from one
  kUnsupportedFrame,   // tunneled (GRE) or QinQ request
  kAuthFailed,         // MAC missing (authentication enabled), unknown/untrusted key, bad MAC
  kTxFailed,           // answered, but the TX queue did not take the reply
  kMalformed,          // NTP payload that does not decode (socket backend; the dataplane counts
                       // these as decode errors before the stage)
  kCount,
};
inline constexpr size_t kServeOutcomeCount = static_cast<size_t>(ServeOutcome::kCount);
std::string_view to_string(ServeOutcome outcome);
inline bool is_served(ServeOutcome o) {
  return o == ServeOutcome::kServedBasic || o == ServeOutcome::kServedInterleaved;
}
inline bool is_kod(ServeOutcome o) {
  return o == ServeOutcome::kDenyKodSent || o == ServeOutcome::kRateKodSent;
}
// A frame goes back to the client: time, or a kiss-o'-death.
inline bool sends_reply(ServeOutcome o) {
  return is_served(o) || is_kod(o);
}

// The interface a request arrived on, as the stage needs it.
struct ServerInterface {
  uint16_t index = 0;
  uint16_t vrf = 0;
  bool has_primary_ipv4 = false;
  wire::Ipv4Address primary_ipv4;
};

// Whether the request's family is enabled and its destination listens. kServedBasic means yes.
ServeOutcome check_listening(const ServerListen& listen, const ServerInterface& itf,
                             const wire::IpAddress& dst, uint16_t dst_port);

// Payload-level checks of a decoded NTP request (mode, version). kServedBasic means yes. The
// MAC is checked by ServerAuth::check (server_auth.hpp).
ServeOutcome check_request(const wire::NtpPacket& request);

// The mode-4 header answering `request`, with T2 = `receive` and T3 = `transmit` (moved past
// T2 when not later: a reply never carries TX == RX).
wire::NtpHeader reply_header(const wire::NtpHeader& request, const ServerClockState& state,
                             NtpTimestamp receive, NtpTimestamp transmit);

// Interleaved mode (RFC 9769 section 2, as chronyd's `xleave` clients use it): a request whose
// origin is nonzero, differs from its receive and transmit fields and names a T2 we sent
// (found in `store`) gets origin = the request's receive field, receive = T2 and transmit =
// the true TX time of the reply that carried that earlier T2. The saved TX never equals the
// new T2 (it is earlier); when it would, or nothing is found, the reply is basic.
std::optional<NtpTimestamp> interleaved_transmit(const wire::NtpHeader& request,
                                                 const InterleavedStore* store, NtpTimestamp t2);

struct ServeResult {
  ServeOutcome outcome = ServeOutcome::kNotRequest;
  size_t length = 0;               // reply frame length (0 when not served)
  size_t udp_offset = 0;           // the reply's UDP header, for stamp_transmit()
  NtpTimestamp receive;            // the T2 the reply carries: save it with the reply's TX time
  const ServerKey* key = nullptr;  // sign with this key (sign_reply), nullptr: unsigned
  uint8_t digest_length = 0;
  bool interleaved() const { return outcome == ServeOutcome::kServedInterleaved; }
  bool authenticated() const { return key != nullptr; }
};

// Checks everything and, when the request is answered, rewrites `frame` (the buffer `request`
// was decoded from) into the reply: MACs, addresses and ports swapped, the VLAN tag kept, IP
// options and IPv6 extension headers dropped, TTL/hop limit 64, checksums filled. The reply's
// transmit field holds `provisional_t3` until stamp_transmit() overwrites it (basic replies;
// an interleaved one, with `store`, carries the saved TX time and is not restamped).
// With `access`, a listening request passes the access and rate checks first
// (access_control.hpp): it may end denied or rate-limited, or the reply is an unsigned KoD.
// `auth` then checks the request's MAC (nullptr: no keys, a request with a MAC is refused); an
// authenticated reply carries a zero digest until sign_reply() writes it.
ServeResult serve_in_place(std::span<uint8_t> frame, const wire::DecodedFrame& request,
                           const ServerInterface& itf, const ServerSnapshot& state, NtpTimestamp t2,
                           NtpTimestamp provisional_t3, const InterleavedStore* store = nullptr,
                           AccessGate* access = nullptr, ServerAuth* auth = nullptr);

// Writes T3 into a basic reply built by serve_in_place() and fixes the UDP checksum (RFC 1624).
// T3 is moved past the reply's T2 when it is not later. Interleaved replies are left alone.
void stamp_transmit(std::span<uint8_t> frame, const ServeResult& reply, NtpTimestamp t3);

// Signs an authenticated reply (reply.authenticated()) once its header is final, i.e. after
// stamp_transmit(). False when libcrypto failed: the reply must not be sent. True for
// unauthenticated replies (nothing to do).
bool sign_reply(std::span<uint8_t> frame, const ServeResult& reply, ServerAuth& auth);

// The same for a socket backend, on a UDP payload alone: checks the request and writes the
// reply into `out`. Returns the outcome; the reply is `out.first(48)` when served, or
// `out.first(*reply_length)` when `reply_length` is given (a signed reply is longer: `out`
// needs 48 + 4 + 64 bytes). With `access`, `source` is the request's sender and the access/rate
// checks apply as above; with `auth`, a request's MAC is checked and the reply signed. With
// `store`, a request naming a saved T2 is answered in interleaved mode (kServedInterleaved),
// as serve_in_place does.
ServeOutcome serve_payload(std::span<const uint8_t> request_payload, std::span<uint8_t> out,
                           const ServerClockState& state, NtpTimestamp t2, NtpTimestamp t3,
                           AccessGate* access = nullptr, const wire::IpAddress& source = {},
                           ServerAuth* auth = nullptr, size_t* reply_length = nullptr,
                           const InterleavedStore* store = nullptr);

}  // namespace wiretime::server

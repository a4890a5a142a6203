// One client/server exchange of a recorded session, as the engine sees it (RFC 5905 section 8):
// the reply's origin field names the request it answers, and the four timestamps give the
// offset and delay through the engine's own on-wire code (engine::compute_sample).
//
// T1 is not in any packet: wiretime sends a random cookie in the transmit field of its
// requests, not T1, and servers echo that cookie as the reply's origin. The true T1 is the
// request's transmit time, which in a replay is the capture time of the request frame whose
// transmit field equals the reply's origin. Pure: times come in as values.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::replay {

// A client request seen in the capture: its transmit field (the cookie) and capture time.
struct CapturedRequest {
  NtpTimestamp cookie;
  UnixNanos capture_ns = 0;
};

struct Exchange {
  NtpTimestamp origin;  // the cookie the reply echoed
  UnixNanos t1 = 0;     // request capture time
  UnixNanos t2 = 0;     // server receive (from the reply, era nearest T4, rounded to ns)
  UnixNanos t3 = 0;     // server transmit (idem)
  UnixNanos t4 = 0;     // reply capture time, as the dataplane stamped it
  int64_t offset_ns = 0;
  int64_t delay_ns = 0;  // floored at the local precision, as the engine does
};

// The exchange a reply completes, or nullopt when no captured request carried its origin.
// When several requests carry the cookie, the last one captured before the reply counts.
// `local_precision` is the client's clock precision in seconds (the engine's delay floor).
std::optional<Exchange> match_exchange(std::span<const CapturedRequest> requests,
                                       const wire::NtpHeader& reply, UnixNanos t4,
                                       double local_precision);

// CSV: one header line, then one line per exchange (origin as 16 hex digits).
inline constexpr const char* kExchangeCsvHeader =
    "origin,t1_ns,t2_ns,t3_ns,t4_ns,offset_ns,delay_ns";
std::string to_csv(const Exchange& e);

}  // namespace wiretime::replay

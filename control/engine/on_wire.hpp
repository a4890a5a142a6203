// RFC 5905 section 8 (appendix A.5.1.1 receive, A.5.2 packet): the checks a server reply must
// pass before its timestamps are used, and the offset/delay/dispersion it yields.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::engine {

enum class OnWireReason : uint8_t {
  kOk = 0,
  kNotServerMode,      // not mode 4
  kBadVersion,         // version outside 1..4
  kDuplicate,          // same transmit timestamp as the last accepted reply
  kUnexpected,         // no request outstanding
  kBogus,              // origin timestamp is not our cookie
  kAuthentication,     // required MAC missing or wrong
  kKissOfDeath,        // stratum 0 with a kiss code (handled by kiss_code handling)
  kUnsynchronized,     // leap 3, stratum 0 or >= 16
  kInvalidTimestamps,  // zero receive/transmit, or T3 - T2 implausible (see below)
  kStratum,            // stratum not better than the local reference clock
  kDistance,           // root delay/2 + root dispersion above max-distance
  kCount,
};

std::string_view to_string(OnWireReason r);

using OnWireCounters = std::array<uint64_t, static_cast<size_t>(OnWireReason::kCount)>;

// The MAC check happens where the keys are; the engine is told its outcome.
enum class AuthStatus : uint8_t { kNotRequired, kOk, kMissing, kFailed };

struct OnWireContext {
  bool request_outstanding = false;
  NtpTimestamp cookie;         // transmit timestamp we sent (the random cookie)
  NtpTimestamp last_transmit;  // transmit timestamp of the last accepted reply
  // Interleaved request: the nonce in its receive field (zero for a basic request), and the
  // server receive timestamp an interleaved reply's transmit timestamp pairs with.
  NtpTimestamp xleave_nonce;
  NtpTimestamp xleave_receive;
  bool authentication_required = false;
  AuthStatus auth = AuthStatus::kNotRequired;
  uint8_t stratum_limit = 16;  // replies need a stratum below this
  double max_distance = 1.0;   // s
};

// chrony's MAX_SERVER_INTERVAL: a server holding a request longer than this is not used.
inline constexpr double kMaxServerInterval = 4.0;

// The server's processing time T3 - T2 as a sanity test beyond RFC 5905 (which has none):
// it may be negative by up to twice the server's precision (both stamps fuzzed or truncated
// below 2^precision, zero processing time) and at most kMaxServerInterval, as in chrony's
// test A. Never rejects an exchange with an honest precision.
bool server_interval_plausible(NtpDuration t3_minus_t2, int8_t server_precision);

// RFC 5905 A.5.1.1 packet checks (duplicate, bogus, zero timestamps, unsynchronised server,
// stratum, root distance) plus server_interval_plausible().
OnWireReason check_reply(const wire::NtpHeader& h, const OnWireContext& ctx);

// Whether `h` answers the request of `ctx` in interleaved mode (its origin is our nonce).
inline bool is_interleaved_reply(const wire::NtpHeader& h, const OnWireContext& ctx) {
  return !ctx.xleave_nonce.is_zero() && h.origin == ctx.xleave_nonce;
}

struct OnWireSample {
  double offset = 0.0;
  double delay = 0.0;
  double dispersion = 0.0;
};

// Offset ((T2 - T1) + (T3 - T4)) / 2 and delay (T4 - T1) - (T3 - T2), in exact NTP fixed point
// before conversion; the delay is floored at the local precision as the RFC does.
OnWireSample compute_sample(NtpTimestamp t1, NtpTimestamp t2, NtpTimestamp t3, NtpTimestamp t4,
                            int8_t server_precision, double local_precision);

}  // namespace wiretime::engine

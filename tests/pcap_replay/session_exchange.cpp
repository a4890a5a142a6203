#include "tests/pcap_replay/session_exchange.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "control/engine/on_wire.hpp"

namespace wiretime::replay {

std::optional<Exchange> match_exchange(std::span<const CapturedRequest> requests,
                                       const wire::NtpHeader& reply, UnixNanos t4,
                                       double local_precision) {
  const CapturedRequest* request = nullptr;
  for (const CapturedRequest& r : requests) {
    if (r.cookie == reply.origin && r.capture_ns <= t4) request = &r;
  }
  if (request == nullptr) return std::nullopt;
  Exchange e;
  e.origin = reply.origin;
  e.t1 = request->capture_ns;
  e.t2 = reply.receive.to_unix_nanos(t4);
  e.t3 = reply.transmit.to_unix_nanos(t4);
  e.t4 = t4;
  // The engine works on wire timestamps: T1 and T4 go in as NTP timestamps (rounded to
  // 2^-32 s), T2 and T3 exactly as received.
  const engine::OnWireSample s =
      engine::compute_sample(NtpTimestamp::from_unix_nanos(e.t1), reply.receive, reply.transmit,
                             NtpTimestamp::from_unix_nanos(t4), reply.precision, local_precision);
  e.offset_ns = std::llround(s.offset * 1e9);
  e.delay_ns = std::llround(s.delay * 1e9);
  return e;
}

std::string to_csv(const Exchange& e) {
  char line[160];
  std::snprintf(line, sizeof line,
                "%016" PRIx64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64
                ",%" PRId64,
                e.origin.raw(), e.t1, e.t2, e.t3, e.t4, e.offset_ns, e.delay_ns);
  return line;
}

}  // namespace wiretime::replay

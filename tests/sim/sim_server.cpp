#include "tests/sim/sim_server.hpp"

#include <cmath>

namespace wiretime::sim {

NtpTimestamp SimServer::stamp(UnixNanos utc) {
  const NtpTimestamp exact = NtpTimestamp::from_unix_nanos(utc);
  const int low_bits = 32 + spec_.precision;  // fraction bits below 2^precision
  if (!spec_.fuzz_below_precision || low_bits <= 0 || low_bits > 32) return exact;
  // The reading truncated to the server's precision, the bits below it random.
  const uint64_t low_mask = (uint64_t{1} << low_bits) - 1;
  return NtpTimestamp::from_raw((exact.raw() & ~low_mask) | (prng_.next() & low_mask));
}

std::optional<wire::NtpHeader> SimServer::answer(const wire::NtpHeader& request, double t,
                                                 UnixNanos utc_nanos, double& processing) {
  ++requests_;
  processing = spec_.processing +
               (spec_.processing_jitter > 0.0 ? prng_.exponential(spec_.processing_jitter) : 0.0);
  for (const auto& [start, end] : spec_.outages)
    if (t >= start && t < end) return std::nullopt;
  if (request.mode != wire::NtpMode::kClient) return std::nullopt;

  wire::NtpHeader h;
  h.version = request.version;
  h.mode = wire::NtpMode::kServer;
  h.poll = request.poll;
  h.precision = spec_.precision;
  h.origin = request.transmit;
  const UnixNanos server_utc = utc_nanos + static_cast<int64_t>(spec_.offset * 1e9);
  h.receive = stamp(server_utc);
  h.transmit = stamp(server_utc + static_cast<int64_t>(std::llround(processing * 1e9)));

  const double since_last = t - last_request_;
  last_request_ = t;
  const bool kissing = spec_.kiss != KissMode::kNone && t >= spec_.kiss_from &&
                       (spec_.kiss == KissMode::kDeny || since_last < spec_.kiss_min_interval);
  if (kissing) {
    ++kisses_;
    h.leap = wire::LeapIndicator::kUnsynchronized;
    h.stratum = 0;
    h.reference_id = wire::refid_from_ascii(spec_.kiss == KissMode::kDeny ? "DENY" : "RATE");
    return h;
  }
  h.stratum = spec_.stratum;
  h.root_delay = NtpShort::from_duration(NtpDuration::from_seconds(spec_.root_delay));
  h.root_dispersion = NtpShort::from_duration(NtpDuration::from_seconds(spec_.root_dispersion));
  h.reference_id = spec_.reference_id;
  h.reference = NtpTimestamp::from_unix_nanos(server_utc - 1'000'000'000);
  // Leap indicator during the last day before the leap (RFC 8633 advice).
  if (spec_.leap_at >= 0.0 && t < spec_.leap_at && t >= spec_.leap_at - 86400.0)
    h.leap = spec_.leap;
  if (spec_.unsynchronized_from >= 0.0 && t >= spec_.unsynchronized_from) {
    h.leap = wire::LeapIndicator::kUnsynchronized;
    h.stratum = 16;
  }
  return h;
}

}  // namespace wiretime::sim

#include "tests/sim/sim_server.hpp"

namespace wiretime::sim {

std::optional<wire::NtpHeader> SimServer::answer(const wire::NtpHeader& request, double t,
                                                 UnixNanos utc_nanos) {
  ++requests_;
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
  h.receive = NtpTimestamp::from_unix_nanos(server_utc);
  h.transmit =
      NtpTimestamp::from_unix_nanos(server_utc + static_cast<int64_t>(spec_.processing * 1e9));

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

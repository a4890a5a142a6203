#include "control/engine/on_wire.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/ntp_constants.hpp"

namespace wiretime::engine {

std::string_view to_string(OnWireReason r) {
  switch (r) {
    case OnWireReason::kOk:
      return "ok";
    case OnWireReason::kNotServerMode:
      return "not server mode";
    case OnWireReason::kBadVersion:
      return "bad version";
    case OnWireReason::kDuplicate:
      return "duplicate";
    case OnWireReason::kUnexpected:
      return "unexpected";
    case OnWireReason::kBogus:
      return "bogus origin";
    case OnWireReason::kAuthentication:
      return "authentication";
    case OnWireReason::kKissOfDeath:
      return "kiss-o'-death";
    case OnWireReason::kUnsynchronized:
      return "server unsynchronized";
    case OnWireReason::kInvalidTimestamps:
      return "invalid timestamps";
    case OnWireReason::kStratum:
      return "stratum";
    case OnWireReason::kDistance:
      return "root distance";
    case OnWireReason::kCount:
      break;
  }
  return "?";
}

bool server_interval_plausible(NtpDuration t3_minus_t2, int8_t server_precision) {
  // Each of T2 and T3 is the server's reading, truncated to 2^precision and, on chronyd, with
  // random bits below it: either may be off by up to 2^precision, so a server that answers in
  // no time sends T3 - T2 anywhere in (-2 * 2^precision, 2 * 2^precision). A claimed
  // precision above 1 s is not believed (the bound stays at 2 s).
  const double tolerance = 2.0 * std::ldexp(1.0, std::min<int>(server_precision, 0));
  const double interval = t3_minus_t2.to_seconds();
  return interval >= -tolerance && interval <= kMaxServerInterval;
}

OnWireReason check_reply(const wire::NtpHeader& h, const OnWireContext& ctx) {
  if (h.mode != wire::NtpMode::kServer) return OnWireReason::kNotServerMode;
  if (h.version < 1 || h.version > 4) return OnWireReason::kBadVersion;
  if (!h.transmit.is_zero() && h.transmit == ctx.last_transmit) return OnWireReason::kDuplicate;
  if (!ctx.request_outstanding) return OnWireReason::kUnexpected;
  // Only a reply echoing our cookie can come from the server we asked: this also keeps
  // off-path attackers from forging kiss codes.
  const bool interleaved = is_interleaved_reply(h, ctx);
  if (h.origin != ctx.cookie && !interleaved) return OnWireReason::kBogus;
  if (ctx.authentication_required && ctx.auth != AuthStatus::kOk)
    return OnWireReason::kAuthentication;
  if (h.stratum == 0 && h.kiss() != wire::KissCode::kNone) return OnWireReason::kKissOfDeath;
  if (h.leap == wire::LeapIndicator::kUnsynchronized || h.stratum == 0 ||
      h.stratum >= kStratumUnsynchronized)
    return OnWireReason::kUnsynchronized;
  // An interleaved reply's transmit time is that of the previous reply, after its receive.
  const NtpTimestamp paired_receive = interleaved ? ctx.xleave_receive : h.receive;
  if (h.receive.is_zero() || h.transmit.is_zero()) return OnWireReason::kInvalidTimestamps;
  if (!server_interval_plausible(h.transmit - paired_receive, h.precision))
    return OnWireReason::kInvalidTimestamps;
  if (h.stratum >= ctx.stratum_limit) return OnWireReason::kStratum;
  if (h.root_delay.to_seconds() / 2.0 + h.root_dispersion.to_seconds() > ctx.max_distance)
    return OnWireReason::kDistance;
  return OnWireReason::kOk;
}

OnWireSample compute_sample(NtpTimestamp t1, NtpTimestamp t2, NtpTimestamp t3, NtpTimestamp t4,
                            int8_t server_precision, double local_precision) {
  const NtpDuration forward = t2 - t1;
  const NtpDuration backward = t3 - t4;
  OnWireSample s;
  s.offset = (forward.half() + backward.half()).to_seconds();
  s.delay = std::max(((t4 - t1) - (t3 - t2)).to_seconds(), local_precision);
  s.dispersion =
      std::ldexp(1.0, server_precision) + local_precision + kPhi * (t4 - t1).to_seconds();
  return s;
}

}  // namespace wiretime::engine

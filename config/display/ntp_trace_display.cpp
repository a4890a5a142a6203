#include "config/display/ntp_trace_display.hpp"

#include "config/display/display_format.hpp"

namespace wiretime::display {

namespace {

// ntptrace's "synch distance": the root distance the server advertises (root delay / 2 + root
// dispersion), without the jitter and age terms only the server itself knows.
std::string hop_line(const std::string& address, unsigned stratum, double offset, double root_delay,
                     double root_dispersion) {
  return format("server %s, stratum %u, offset %.6f s, synch distance %.5f\n", address.c_str(),
                stratum, offset, root_delay / 2 + root_dispersion);
}

std::string local_line(const SystemReport& system) {
  return hop_line("127.0.0.1", system.stratum, system.clock_offset, system.root_delay,
                  system.root_dispersion);
}

}  // namespace

std::string render_ntp_trace(const SystemReport& system, const TraceReport& trace) {
  std::string out = local_line(system);
  if (trace.hops.empty()) {
    return out + "refid " + reference_id_raw(system.reference_id, system.stratum) + "\n";
  }
  for (const TraceHop& hop : trace.hops) {
    if (hop.result != TraceHop::Result::kAnswered) break;
    out += hop_line(hop.address, hop.stratum, hop.offset, hop.root_delay, hop.root_dispersion);
  }
  const TraceHop& last = trace.hops.back();
  switch (trace.end) {
    case TraceEnd::kPrimary:
    case TraceEnd::kNotIpv4:
    case TraceEnd::kLocal:
      return out + "refid " + reference_id_raw(last.reference_id, last.stratum) + "\n";
    case TraceEnd::kUnreachable:
      return out + "server " + last.address +
             (last.result == TraceHop::Result::kNotSent ? ": unreachable, request not sent\n"
                                                        : ": timed out, nothing received\n") +
             "***Request timed out\n";
    case TraceEnd::kLoop:
      return out + "refid " + reference_id_raw(last.reference_id, last.stratum) + "\n" +
             "***Loop: " + reference_id_raw(last.reference_id, 2) + " is already on the path\n";
    case TraceEnd::kMaxHops:
      return out + "refid " + reference_id_raw(last.reference_id, last.stratum) + "\n" +
             format("***Maximum hops (%d) reached\n", trace.max_hops);
    case TraceEnd::kUnsynchronized:
      return out + "***Server " + last.address + " is unsynchronized\n";
  }
  return out;
}

std::string render_ntp_trace(const SystemReport& system,
                             const std::vector<SessionReport>& sessions) {
  std::string out = local_line(system);
  for (const SessionReport& s : sessions) {
    if (!s.master) continue;
    out += hop_line(s.source, s.stratum, s.offset, s.root_delay, s.root_dispersion);
    return out + "refid " + reference_id_raw(s.reference_id, s.stratum) + "\n";
  }
  return out + "refid " + reference_id_raw(system.reference_id, system.stratum) + "\n";
}

}  // namespace wiretime::display

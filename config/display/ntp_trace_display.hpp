#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/display/status_report.hpp"

namespace wiretime::display {

// One server of `display ntp trace`, as its reply to our mode-3 query showed it.
struct TraceHop {
  std::string address;
  enum class Result : uint8_t { kAnswered, kTimedOut, kNotSent } result = Result::kAnswered;
  uint8_t stratum = 16;
  uint32_t reference_id = 0;
  double offset = 0.0;  // s, the server against our clock
  double delay = 0.0;   // s, round trip
  double root_delay = 0.0;
  double root_dispersion = 0.0;
};

// Why the walk up the hierarchy stopped.
enum class TraceEnd : uint8_t {
  kPrimary,         // a stratum-1 server (or a local reference clock 127.127.x.x): its refid
  kUnreachable,     // the last hop did not answer (or its request could not be sent)
  kLoop,            // the last hop's reference is a server already on the path
  kMaxHops,         // the hop limit was reached
  kUnsynchronized,  // the last hop is not synchronised (stratum 0 or 16)
  kNotIpv4,         // the last hop's reference is not an IPv4 address (IPv6 hash): not followed
  kLocal,           // this host has no system peer: only its own line
};

struct TraceReport {
  std::vector<TraceHop> hops;  // from the system peer upwards
  TraceEnd end = TraceEnd::kLocal;
  int max_hops = 16;
};

// `display ntp trace` (vrp-ntp-cli.md section 7.4, ntptrace's format): this host, one line per
// server queried on the way up, then the primary source's refid or why the walk stopped.
std::string render_ntp_trace(const SystemReport& system, const TraceReport& trace);

// The path as far as wiretime sees it without querying other hosts: this host, its system
// peer as the last reply showed it, and that peer's reference ID (the daemon uses
// render_ntp_trace with real queries; this serves a service without a live loop).
std::string render_ntp_trace(const SystemReport& system,
                             const std::vector<SessionReport>& sessions);

}  // namespace wiretime::display

// `display ntp trace` on the live daemon: walks the synchronisation hierarchy upwards as
// ntptrace does, one mode-3 query per hop through the control loop's one-shot query path (so
// through the daemon's own transport: the socket, or the DPDK dataplane), starting at the
// system peer and following each answer's refid while it names an IPv4 server of stratum > 1.
// Bounded: at most `max_hops` queries, each given `hop_timeout_s`.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "config/display/ntp_trace_display.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

struct TraceOptions {
  int max_hops = 16;
  double hop_timeout_s = 1.0;
};

// What to do after `hop` answered, given the servers already on the path: the IPv4 address
// to query next, or nullopt with `end` set. Pure, for the tests.
std::optional<wire::Ipv4Address> next_trace_hop(const display::TraceReport& report,
                                                const std::vector<wire::IpAddress>& visited,
                                                display::TraceEnd& end);

// Starts the walk at `first` (the system peer, with its VRF and interface); `done` runs once
// with the report, from inside the loop's on_reply / on_not_sent / run_due (or at once when
// the first request cannot be sent). Later hops are queried in the same VRF on port 123.
void start_ntp_trace(runtime::ControlLoop& loop, const runtime::Peer& first,
                     const TraceOptions& options,
                     std::function<void(const display::TraceReport&)> done);

}  // namespace wiretime::daemon

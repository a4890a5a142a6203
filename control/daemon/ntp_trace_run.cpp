#include "control/daemon/ntp_trace_run.hpp"

#include <algorithm>
#include <utility>

#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::daemon {

std::optional<wire::Ipv4Address> next_trace_hop(const display::TraceReport& report,
                                                const std::vector<wire::IpAddress>& visited,
                                                display::TraceEnd& end) {
  using display::TraceEnd;
  const display::TraceHop& hop = report.hops.back();
  if (hop.result != display::TraceHop::Result::kAnswered) {
    end = TraceEnd::kUnreachable;
    return std::nullopt;
  }
  if (hop.stratum == 0 || hop.stratum >= 16) {
    end = TraceEnd::kUnsynchronized;
    return std::nullopt;
  }
  // ntpd names a local reference clock 127.127.t.u even above stratum 1 (refclock-master).
  if (hop.stratum == 1 || (hop.reference_id >> 16) == 0x7F7F) {
    end = TraceEnd::kPrimary;
    return std::nullopt;
  }
  if (visited.back().version != wire::IpVersion::kV4) {
    end = TraceEnd::kNotIpv4;  // an IPv6 server's refid is a hash of its peer's address
    return std::nullopt;
  }
  const wire::Ipv4Address next = wire::Ipv4Address::from_host_order(hop.reference_id);
  const wire::IpAddress next_ip = wire::IpAddress::from(next);
  if (std::find(visited.begin(), visited.end(), next_ip) != visited.end()) {
    end = TraceEnd::kLoop;
    return std::nullopt;
  }
  if (static_cast<int>(report.hops.size()) >= report.max_hops) {
    end = TraceEnd::kMaxHops;
    return std::nullopt;
  }
  return next;
}

namespace {

struct TraceState : std::enable_shared_from_this<TraceState> {
  runtime::ControlLoop& loop;
  TraceOptions options;
  uint16_t vrf = 0;
  std::function<void(const display::TraceReport&)> done;
  display::TraceReport report;
  std::vector<wire::IpAddress> visited;

  TraceState(runtime::ControlLoop& l, TraceOptions o, uint16_t v,
             std::function<void(const display::TraceReport&)> d)
      : loop(l), options(o), vrf(v), done(std::move(d)) {}

  void send(const runtime::Peer& peer) {
    visited.push_back(peer.address);
    display::TraceHop hop;
    hop.address = l3::to_string(peer.address);
    report.hops.push_back(hop);
    auto self = shared_from_this();
    if (!loop.query(peer, options.hop_timeout_s,
                    [self](const runtime::QueryResult& r) { self->answered(r); })) {
      report.hops.back().result = display::TraceHop::Result::kNotSent;
      report.end = display::TraceEnd::kUnreachable;
      done(report);
    }
  }

  void answered(const runtime::QueryResult& r) {
    display::TraceHop& hop = report.hops.back();
    switch (r.outcome) {
      case runtime::QueryResult::Outcome::kAnswered:
        hop.result = display::TraceHop::Result::kAnswered;
        hop.stratum = r.header.stratum;
        hop.reference_id = r.header.reference_id;
        hop.offset = r.offset;
        hop.delay = r.delay;
        hop.root_delay = r.header.root_delay.to_seconds();
        hop.root_dispersion = r.header.root_dispersion.to_seconds();
        break;
      case runtime::QueryResult::Outcome::kTimedOut:
        hop.result = display::TraceHop::Result::kTimedOut;
        break;
      case runtime::QueryResult::Outcome::kNotSent:
        hop.result = display::TraceHop::Result::kNotSent;
        break;
    }
    display::TraceEnd end = display::TraceEnd::kPrimary;
    const std::optional<wire::Ipv4Address> next = next_trace_hop(report, visited, end);
    if (!next) {
      report.end = end;
      done(report);
      return;
    }
    runtime::Peer peer;
    peer.address = wire::IpAddress::from(*next);
    peer.vrf = vrf;
    send(peer);
  }
};

}  // namespace

void start_ntp_trace(runtime::ControlLoop& loop, const runtime::Peer& first,
                     const TraceOptions& options,
                     std::function<void(const display::TraceReport&)> done) {
  auto state = std::make_shared<TraceState>(loop, options, first.vrf, std::move(done));
  state->report.max_hops = options.max_hops;
  state->send(first);
}

}  // namespace wiretime::daemon

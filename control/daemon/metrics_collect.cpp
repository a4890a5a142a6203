#include "control/daemon/metrics_collect.hpp"

#include <cmath>

#include "control/daemon/tracking_log.hpp"

namespace wiretime::daemon {

std::string snake_case(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

void collect_metrics(const runtime::RuntimeStatus& status, UnixNanos now, MetricsSnapshot& out) {
  const engine::SystemStatus& sys = status.system;
  ClockMetrics& c = out.clock;
  out.time_unix_seconds = static_cast<double>(now) / 1e9;
  c.synchronized = sys.synchronized;
  c.stratum = sys.stratum;
  c.reference = sys.reference_name;
  c.reference_id = sys.reference_id;
  c.sync_state = to_string(sys.sync_state);  // the tracking log's names
  c.offset_seconds = sys.clock_offset;
  c.frequency_ppm = sys.frequency * 1e6;
  c.jitter_seconds = sys.jitter;
  c.wander_ppm = sys.wander * 1e6;
  c.root_delay_seconds = sys.root_delay;
  c.root_dispersion_seconds = sys.root_dispersion;
  c.last_update_unix_seconds =
      sys.reference_time.raw() == 0
          ? 0.0
          : static_cast<double>(sys.reference_time.to_unix_nanos(now)) / 1e9;
  c.poll_seconds = std::ldexp(1.0, sys.poll);
  c.leap = static_cast<int>(sys.leap);
  c.updates = status.counters.clock_updates;
  c.steps = static_cast<uint64_t>(status.clock.steps);

  out.servers.clear();
  for (const engine::AssociationStatus& a : status.associations) {
    ServerMetrics s;
    s.server = a.source;
    s.id = a.id;
    s.state = std::string(engine::to_string(a.selection));
    s.system_peer = a.selection == engine::SelectionStatus::kSystemPeer;
    s.stratum = a.stratum;
    s.reach = a.reach;
    s.poll_seconds = a.current_poll;
    s.offset_seconds = a.offset;
    s.delay_seconds = a.delay;
    s.dispersion_seconds = a.dispersion;
    s.jitter_seconds = a.jitter;
    s.root_delay_seconds = a.root_delay;
    s.root_dispersion_seconds = a.root_dispersion;
    s.last_sample_age_seconds = a.accepted > 0 ? a.now : -1.0;
    s.sent = a.sent;
    s.received = a.received;
    s.accepted = a.accepted;
    out.servers.push_back(std::move(s));
  }
}

}  // namespace wiretime::daemon

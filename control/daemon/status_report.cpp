#include "control/daemon/status_report.hpp"

namespace wiretime::daemon {

static_assert(display::kFilterStages == engine::kNstage);
static_assert(display::kStratumUnsynchronized == engine::kStratumUnsynchronized);

namespace {

display::ClockState clock_state(engine::ClockState s) {
  switch (s) {
    case engine::ClockState::kNset:
      return display::ClockState::kNset;
    case engine::ClockState::kFset:
      return display::ClockState::kFset;
    case engine::ClockState::kSpik:
      return display::ClockState::kSpik;
    case engine::ClockState::kFreq:
      return display::ClockState::kFreq;
    case engine::ClockState::kSync:
      return display::ClockState::kSync;
  }
  return display::ClockState::kNset;
}

display::TimestampSource timestamp_source(engine::TimestampSource s) {
  switch (s) {
    case engine::TimestampSource::kNicHardware:
      return display::TimestampSource::kNicHardware;
    case engine::TimestampSource::kTsc:
      return display::TimestampSource::kTsc;
    case engine::TimestampSource::kKernel:
      return display::TimestampSource::kKernel;
    case engine::TimestampSource::kSimulated:
      return display::TimestampSource::kSimulated;
    case engine::TimestampSource::kUnknown:
      break;
  }
  return display::TimestampSource::kUnknown;
}

}  // namespace

display::SystemReport system_report(const engine::SystemStatus& s) {
  display::SystemReport r;
  r.synchronized = s.synchronized;
  r.stratum = s.stratum;
  r.reference_id = s.reference_id;
  r.reference_name = s.reference_name;
  r.nominal_frequency_hz = s.nominal_frequency_hz;
  r.actual_frequency_hz = s.actual_frequency_hz;
  r.precision = s.precision;
  r.clock_offset = s.clock_offset;
  r.root_delay = s.root_delay;
  r.root_dispersion = s.root_dispersion;
  r.peer_dispersion = s.peer_dispersion;
  r.reference_time = s.reference_time;
  r.sync_state = clock_state(s.sync_state);
  r.spike_countdown = s.spike_countdown;
  return r;
}

display::SessionReport session_report(const engine::AssociationStatus& s) {
  display::SessionReport r;
  r.source = s.source;
  r.configured = s.configured;
  r.master = s.master;
  r.selected = s.selected;
  r.candidate = s.candidate;
  r.vpn_instance = s.vpn_instance;
  r.sane = s.sane;
  r.valid = s.valid;
  r.unsynced = s.unsynced;
  r.stratum = s.stratum;
  r.reference_id = s.reference_id;
  r.reach = s.reach;
  r.current_poll = s.current_poll;
  r.now = s.now;
  r.offset = s.offset;
  r.delay = s.delay;
  r.dispersion = s.dispersion;
  r.local_poll = s.local_poll;
  r.peer_poll = s.peer_poll;
  r.root_delay = s.root_delay;
  r.root_dispersion = s.root_dispersion;
  r.sync_distance = s.sync_distance;
  r.sync_state = s.sync_state;
  r.precision = s.precision;
  r.version = s.version;
  r.local_mode = s.local_mode;
  r.peer_mode = s.peer_mode;
  r.peer_interface = s.peer_interface;
  r.reftime = s.reftime;
  r.orgtime = s.orgtime;
  r.rcvtime = s.rcvtime;
  r.xmttime = s.xmttime;
  r.filter_delay = s.filter_delay;
  r.filter_offset = s.filter_offset;
  r.filter_dispersion = s.filter_dispersion;
  r.timestamp_source = timestamp_source(s.provenance.source);
  return r;
}

std::vector<display::SessionReport> session_reports(
    const std::vector<engine::AssociationStatus>& sessions) {
  std::vector<display::SessionReport> out;
  out.reserve(sessions.size());
  for (const engine::AssociationStatus& s : sessions) out.push_back(session_report(s));
  return out;
}

display::PacketStatistics peer_packet_statistics(const engine::AssociationStatus& a) {
  display::PacketStatistics p;
  p.sent = a.sent;
  // Replies beyond `ntp offset-limit` are in their own row, as in the family block.
  p.offset_limit = std::min(a.offset_limited, a.accepted);
  p.processed = a.accepted - p.offset_limit;
  for (size_t r = 0; r < a.on_wire.size(); ++r) {
    if (r != static_cast<size_t>(engine::OnWireReason::kOk))
      p.validity_test_failures += a.on_wire[r];
  }
  p.authentication_failures = a.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)];
  const uint64_t dropped = a.received - std::min(a.received, a.accepted);
  p.others = dropped - std::min(dropped, p.validity_test_failures);
  p.dropped = p.validity_test_failures + p.offset_limit + p.others;
  p.received = p.processed + p.dropped;
  return p;
}

}  // namespace wiretime::daemon

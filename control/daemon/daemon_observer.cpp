#include "control/daemon/daemon_observer.hpp"

#include <cstdio>

#include "control/daemon/measurement_log.hpp"
#include "control/daemon/tracking_log.hpp"

namespace wiretime::daemon {

std::string DaemonObserver::open_measurements(const std::string& path) {
  return measurements_.open(path, kMeasurementLogHeader);
}

std::string DaemonObserver::open_logs(const std::string& measurements,
                                      const std::string& tracking) {
  if (!measurements.empty()) {
    if (std::string e = open_measurements(measurements); !e.empty()) return e;
  }
  return tracking.empty() ? std::string() : open_tracking(tracking);
}

std::string DaemonObserver::open_tracking(const std::string& path) {
  return tracking_.open(path, kTrackingLogHeader);
}

void DaemonObserver::on_measurement(const runtime::MeasurementRecord& m) {
  // The first one is what an operator needs to see (wrong key); the rest are counted.
  if (m.reason == engine::OnWireReason::kAuthentication && !authentication_warned_) {
    authentication_warned_ = true;
    log_.warning("reply from " + runtime::to_string(m.peer) +
                 " failed authentication (further failures: see the status counters)");
  }
  if (m.reason != engine::OnWireReason::kOk && log_.enabled(config::LogLevel::kDebug)) {
    log_.debug("reply from " + runtime::to_string(m.peer) +
               " rejected: " + std::string(engine::to_string(m.reason)));
  }
  if (measurements_.is_open()) measurements_.write_line(format_measurement(m, test_error_()));
}

void DaemonObserver::on_tracking(const runtime::TrackingRecord& t) {
  if (tracking_.is_open()) tracking_.write_line(format_tracking(t, test_error_()));
  if (t.kind == runtime::ClockUpdateKind::kStep) {
    log_.info("clock stepped by " + std::to_string(t.correction) + " s");
  } else if (t.kind == runtime::ClockUpdateKind::kLeap) {
    log_.info("leap second " + std::string(t.clock.leaps > 0 ? "applied" : "scheduled"));
  }
}

void DaemonObserver::on_source_status(const engine::AssociationStatus& s,
                                      std::optional<engine::SelectionStatus> previous) {
  std::string text = "source " + s.source + ": " + std::string(engine::to_string(s.selection));
  if (previous) text += " (was " + std::string(engine::to_string(*previous)) + ")";
  // Rejections are what an operator must see; routine transitions are debug.
  const bool rejection = s.selection == engine::SelectionStatus::kFalseticker ||
                         s.selection == engine::SelectionStatus::kNoMajority ||
                         s.selection == engine::SelectionStatus::kDistance ||
                         s.selection == engine::SelectionStatus::kKissDenied ||
                         s.selection == engine::SelectionStatus::kAuthentication;
  const bool notable = rejection || s.selection == engine::SelectionStatus::kSystemPeer ||
                       (previous && *previous == engine::SelectionStatus::kSystemPeer);
  if (rejection) {
    log_.warning(text);
  } else if (notable) {
    log_.info(text);
  } else {
    log_.debug(text);
  }
}

void DaemonObserver::on_synchronization(bool synchronized, const engine::SystemStatus& s) {
  if (synchronized) {
    log_.info("synchronized to " + s.reference_name + " at stratum " + std::to_string(s.stratum));
  } else {
    log_.warning("unsynchronized");
  }
}

void DaemonObserver::on_panic(double offset) {
  log_.error("offset " + std::to_string(offset) +
             " s is above the panic threshold: clock left alone, operator action needed");
}

void DaemonObserver::on_send_failure(const runtime::Peer& peer) {
  log_.debug("request to " + runtime::to_string(peer) + " not sent");
}

std::string format_status(const runtime::RuntimeStatus& status) {
  const engine::SystemStatus& s = status.system;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "status: %s, reference %s, stratum %u, state %s, offset %.3e s, frequency %.4f "
                "ppm, jitter %.3e s, poll %d, clock updates %llu, steps %d, authentication "
                "failures %llu\n",
                s.synchronized ? "synchronized" : "unsynchronized", s.reference_name.c_str(),
                s.stratum, to_string(s.sync_state), s.clock_offset, status.clock.frequency * 1e6,
                s.jitter, s.poll, static_cast<unsigned long long>(status.counters.clock_updates),
                status.clock.steps,
                static_cast<unsigned long long>(status.counters.authentication_failures));
  std::string out = buf;
  for (const engine::AssociationStatus& a : status.associations) {
    std::snprintf(buf, sizeof buf,
                  "  source %s: %s, reach %03o, stratum %u, offset %.3e s, delay %.3e s, "
                  "sent %llu, received %llu, accepted %llu, interleaved %llu\n",
                  a.source.c_str(), std::string(engine::to_string(a.selection)).c_str(), a.reach,
                  a.stratum, a.offset, a.delay, static_cast<unsigned long long>(a.sent),
                  static_cast<unsigned long long>(a.received),
                  static_cast<unsigned long long>(a.accepted),
                  static_cast<unsigned long long>(a.interleaved));
    out += buf;
  }
  return out;
}

}  // namespace wiretime::daemon

#include "control/daemon/tracking_log.hpp"

#include <cstdio>

#include "control/daemon/log_file.hpp"

namespace wiretime::daemon {

const char* const kTrackingLogHeader =
    "# wiretime tracking log: one line per clock update (docs/operations.md, Logs)\n"
    "# date       time(UTC)          reference           st state kind      correction"
    "      offset_s  freq_ppm  rate_ppm     jitter_s root_delay_s root_disp_s poll sync"
    "   test_error_ns\n";

const char* to_string(engine::ClockState state) {
  switch (state) {
    case engine::ClockState::kNset:
      return "NSET";
    case engine::ClockState::kFset:
      return "FSET";
    case engine::ClockState::kSpik:
      return "SPIK";
    case engine::ClockState::kFreq:
      return "FREQ";
    case engine::ClockState::kSync:
      return "SYNC";
  }
  return "?";
}

std::string format_tracking(const runtime::TrackingRecord& t,
                            std::optional<int64_t> test_error_ns) {
  const std::string error = test_error_ns ? std::to_string(*test_error_ns) : "-";
  const engine::SystemStatus& s = t.system;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s %-19s %2u %-5s %-9s %11.4e %13.6e %9.4f %9.4f %12.6e %12.6e %11.6e %4d %4d "
                "%15s",
                format_utc_columns(t.time).c_str(), s.reference_name.c_str(), s.stratum,
                to_string(s.sync_state), runtime::to_string(t.kind), t.correction, s.clock_offset,
                t.clock.frequency * 1e6, t.clock.rate * 1e6, s.jitter, s.root_delay,
                s.root_dispersion, s.poll, s.synchronized ? 1 : 0, error.c_str());
  return buf;
}

}  // namespace wiretime::daemon

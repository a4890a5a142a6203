// The tracking log: one line per clock update (step, slew with its frequency, frequency alone,
// leap), in whitespace-separated columns like chrony's tracking.log (docs/operations.md, Logs):
//   date time reference stratum state kind correction offset freq_ppm rate_ppm jitter
//   root_delay root_dispersion poll sync test_error_ns
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

extern const char* const kTrackingLogHeader;

const char* to_string(engine::ClockState state);

std::string format_tracking(const runtime::TrackingRecord& t, std::optional<int64_t> test_error_ns);

}  // namespace wiretime::daemon

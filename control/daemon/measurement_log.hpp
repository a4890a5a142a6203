// The measurements log: one line per reply from a configured source, in whitespace-separated
// columns like chrony's measurements.log (documented in docs/operations.md, "Logs"):
//   date time source stratum leap poll reason offset delay dispersion stamp test_error_ns
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

extern const char* const kMeasurementLogHeader;

// `test_error_ns`: the clock's error against the host CLOCK_REALTIME when the record was
// written (test instrumentation, "-" when not measured).
std::string format_measurement(const runtime::MeasurementRecord& m,
                               std::optional<int64_t> test_error_ns);

const char* to_string(engine::TimestampSource source);

}  // namespace wiretime::daemon

#include "control/daemon/measurement_log.hpp"

#include <cstdio>

#include "control/daemon/log_file.hpp"

namespace wiretime::daemon {

const char* const kMeasurementLogHeader =
    "# wiretime measurements log: one line per reply (docs/operations.md, Logs)\n"
    "# date       time(UTC)          source              st li poll reason"
    "            offset_s      delay_s  dispersion_s stamp    test_error_ns\n";

const char* to_string(engine::TimestampSource source) {
  switch (source) {
    case engine::TimestampSource::kNicHardware:
      return "nic";
    case engine::TimestampSource::kTsc:
      return "tsc";
    case engine::TimestampSource::kKernel:
      return "kernel";
    case engine::TimestampSource::kSimulated:
      return "sim";
    case engine::TimestampSource::kUnknown:
      break;
  }
  return "unknown";
}

std::string format_measurement(const runtime::MeasurementRecord& m,
                               std::optional<int64_t> test_error_ns) {
  // Reasons become one column: spaces to '-'.
  std::string reason(engine::to_string(m.reason));
  for (char& c : reason) {
    if (c == ' ') c = '-';
  }
  const std::string error = test_error_ns ? std::to_string(*test_error_ns) : "-";
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s %-19s %2u %2u %4d %-14s %13.6e %12.6e %13.6e %-6s %15s",
                format_utc_columns(m.time).c_str(), runtime::to_string(m.peer).c_str(),
                m.header.stratum, static_cast<unsigned>(m.header.leap), m.header.poll,
                reason.c_str(), m.offset, m.delay, m.dispersion, to_string(m.provenance),
                error.c_str());
  return buf;
}

}  // namespace wiretime::daemon

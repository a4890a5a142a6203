// The kernel's clocks, as the socket backend may touch them: reads only through
// clock_gettime(CLOCK_REALTIME / CLOCK_MONOTONIC), control only through clock_adjtime, so the
// daemon runs unmodified under syscall-interposing clock simulators.
#pragma once

#include <cstdint>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::socket {

int64_t monotonic_ns();
UnixNanos realtime_ns();

// CLOCK_REALTIME minus CLOCK_MONOTONIC, from the tightest of a few bracketed reads.
int64_t realtime_minus_monotonic_ns();

// Kernel frequency limit for ADJ_FREQUENCY (MAXFREQ): 500 ppm.
inline constexpr double kKernelMaxFrequency = 500e-6;

// Steps CLOCK_REALTIME by `seconds` (ADJ_SETOFFSET). Empty string on success, else the reason.
std::string step_realtime(double seconds);
// Sets CLOCK_REALTIME's frequency correction (ADJ_FREQUENCY), clamped to the kernel's limit;
// positive makes the clock faster. Empty string on success, else the reason.
std::string set_realtime_frequency(double frequency);
// The current frequency correction, s/s (0 when it cannot be read).
double realtime_frequency();

}  // namespace wiretime::socket

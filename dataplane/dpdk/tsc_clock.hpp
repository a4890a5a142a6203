// The time-stamp counter as the dataplane's tick source, and its calibration against the
// system's UTC clock at start-up (the edge where the virtual clock model gets its origin).
#pragma once

#include <chrono>
#include <cstdint>

#include <rte_cycles.h>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::dpdk {

inline uint64_t read_tsc() {
  return rte_rdtsc();
}

struct TscCalibration {
  uint64_t tick0 = 0;  // a TSC value ...
  UnixNanos utc0 = 0;  // ... and CLOCK_REALTIME at the same instant
  double ticks_per_second = 0;
  double nominal_ticks_per_second = 0;  // rte_get_tsc_hz(), for the log
  int64_t pairing_uncertainty_ns = 0;   // half the TSC bracket around the clock read
};

// Pairs (TSC, CLOCK_REALTIME) at the start and after `span`, each from the tightest of a few
// bracketed reads. rte_get_tsc_hz() alone is not good enough for a clock: where the CPU does
// not report the TSC rate, DPDK estimates it and rounds to 10 MHz (hundreds of ppm).
TscCalibration calibrate_tsc(std::chrono::nanoseconds span);

}  // namespace wiretime::dpdk

#include "dataplane/socket/kernel_clock.hpp"

#include <sys/timex.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace wiretime::socket {
namespace {

int64_t read(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace

int64_t monotonic_ns() {
  return read(CLOCK_MONOTONIC);
}
UnixNanos realtime_ns() {
  return read(CLOCK_REALTIME);
}

int64_t realtime_minus_monotonic_ns() {
  int64_t best_span = INT64_MAX;
  int64_t best = 0;
  for (int i = 0; i < 5; ++i) {
    const int64_t m0 = monotonic_ns();
    const int64_t r = realtime_ns();
    const int64_t m1 = monotonic_ns();
    if (m1 - m0 < best_span) {
      best_span = m1 - m0;
      best = r - (m0 + (m1 - m0) / 2);
    }
  }
  return best;
}

std::string step_realtime(double seconds) {
  timex tx{};
  tx.modes = ADJ_SETOFFSET | ADJ_NANO;
  const auto ns = static_cast<int64_t>(std::llround(seconds * 1e9));
  // tv_usec carries nanoseconds with ADJ_NANO and must be in [0, 1e9).
  int64_t sec = ns / 1'000'000'000;
  int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --sec;
  }
  tx.time.tv_sec = static_cast<time_t>(sec);
  tx.time.tv_usec = static_cast<suseconds_t>(frac);
  if (clock_adjtime(CLOCK_REALTIME, &tx) < 0) {
    return std::string("clock_adjtime(ADJ_SETOFFSET): ") + std::strerror(errno);
  }
  return "";
}

std::string set_realtime_frequency(double frequency) {
  timex tx{};
  tx.modes = ADJ_FREQUENCY;
  const double ppm = std::clamp(frequency, -kKernelMaxFrequency, kKernelMaxFrequency) * 1e6;
  // The kernel's unit is ppm with a 16-bit binary fraction.
  tx.freq = static_cast<long>(std::llround(ppm * 65536.0));
  if (clock_adjtime(CLOCK_REALTIME, &tx) < 0) {
    return std::string("clock_adjtime(ADJ_FREQUENCY): ") + std::strerror(errno);
  }
  return "";
}

double realtime_frequency() {
  timex tx{};
  if (clock_adjtime(CLOCK_REALTIME, &tx) < 0) return 0.0;
  return static_cast<double>(tx.freq) / 65536.0 * 1e-6;
}

}  // namespace wiretime::socket

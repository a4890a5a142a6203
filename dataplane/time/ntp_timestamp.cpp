#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kEraSeconds = int64_t{1} << 32;

// Floor division that also works for instants before 1970.
constexpr int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

NtpTimestamp NtpTimestamp::from_unix_nanos(UnixNanos ns) {
  int64_t unix_seconds = floor_div(ns, kNanosPerSecond);
  const int64_t rem = ns - unix_seconds * kNanosPerSecond;  // 0 <= rem < 1e9
  uint64_t fraction = (static_cast<uint64_t>(rem) * (uint64_t{1} << 32) + 500'000'000) /
                      static_cast<uint64_t>(kNanosPerSecond);
  if (fraction == (uint64_t{1} << 32)) {  // rounding carried into the next second
    fraction = 0;
    ++unix_seconds;
  }
  const uint64_t ntp_seconds =
      static_cast<uint64_t>(unix_seconds + kNtpUnixEpochOffsetSeconds) & 0xffffffffu;
  return NtpTimestamp((ntp_seconds << 32) | fraction);
}

UnixNanos NtpTimestamp::to_unix_nanos(UnixNanos pivot) const {
  // Work in whole seconds since 1900 so the era arithmetic is exact.
  const int64_t pivot_ntp_seconds = floor_div(pivot, kNanosPerSecond) + kNtpUnixEpochOffsetSeconds;
  const int64_t pivot_era = floor_div(pivot_ntp_seconds, kEraSeconds);
  int64_t best = 0;
  int64_t best_distance = -1;
  for (int64_t era = pivot_era - 1; era <= pivot_era + 1; ++era) {
    const int64_t candidate = era * kEraSeconds + seconds();
    const int64_t distance = candidate > pivot_ntp_seconds ? candidate - pivot_ntp_seconds
                                                           : pivot_ntp_seconds - candidate;
    if (best_distance < 0 || distance < best_distance) {  // strict: ties keep the earlier era
      best = candidate;
      best_distance = distance;
    }
  }
  const int64_t nanos =
      static_cast<int64_t>((uint64_t{fraction()} * kNanosPerSecond + (uint64_t{1} << 31)) >> 32);
  return (best - kNtpUnixEpochOffsetSeconds) * kNanosPerSecond + nanos;
}

UnixNanos NtpTimestamp::to_unix_nanos_rfc4330() const {
  // With the pivot at the start of era 1, the nearest-era rule is exactly RFC 4330's MSB rule;
  // the tie (seconds == 2^31) resolves to era 0 as RFC 4330 says.
  return to_unix_nanos(kNtpEra1StartUnixNanos);
}

}  // namespace wiretime

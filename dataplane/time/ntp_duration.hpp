// Signed time span in NTP units (2^-32 s), as RFC 5905 section 6 uses for offsets and delays.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

namespace wiretime {

// 32.32 signed fixed point: exact for differences of NTP timestamps within +-68 years, and
// fine enough (233 ps) that no rounding is visible at the accuracy we target.
class NtpDuration {
 public:
  static constexpr int64_t kUnitsPerSecond = int64_t{1} << 32;

  constexpr NtpDuration() = default;
  static constexpr NtpDuration from_raw(int64_t raw) { return NtpDuration(raw); }
  static constexpr NtpDuration from_seconds(int64_t s) { return NtpDuration(s * kUnitsPerSecond); }
  // Rounds to the nearest unit; saturates outside +-2^31 s.
  static NtpDuration from_seconds(double s) {
    const double units = std::round(s * static_cast<double>(kUnitsPerSecond));
    if (!(units < 9.2e18)) return max();
    if (!(units > -9.2e18)) return min();
    return NtpDuration(static_cast<int64_t>(units));
  }
  // Rounds to the nearest unit, half away from zero.
  static constexpr NtpDuration from_nanos(int64_t ns) {
    const int64_t s = ns / 1'000'000'000;
    const int64_t r = ns % 1'000'000'000;  // |r| < 1e9, so r * 2^32 fits in 63 bits
    const int64_t half = r >= 0 ? 500'000'000 : -500'000'000;
    return NtpDuration(s * kUnitsPerSecond + (r * kUnitsPerSecond + half) / 1'000'000'000);
  }
  static constexpr NtpDuration zero() { return NtpDuration(0); }
  static constexpr NtpDuration max() { return NtpDuration(std::numeric_limits<int64_t>::max()); }
  static constexpr NtpDuration min() { return NtpDuration(std::numeric_limits<int64_t>::min()); }

  constexpr int64_t raw() const { return raw_; }
  constexpr double to_seconds() const {
    return static_cast<double>(raw_) / static_cast<double>(kUnitsPerSecond);
  }
  // Rounds to the nearest nanosecond, half away from zero.
  constexpr int64_t to_nanos() const {
    const int64_t s = raw_ / kUnitsPerSecond;
    const int64_t r = raw_ % kUnitsPerSecond;  // |r| < 2^32, so r * 1e9 fits in 63 bits
    const int64_t half = r >= 0 ? kUnitsPerSecond / 2 : -kUnitsPerSecond / 2;
    return s * 1'000'000'000 + (r * 1'000'000'000 + half) / kUnitsPerSecond;
  }

  constexpr NtpDuration abs() const { return NtpDuration(raw_ < 0 ? -raw_ : raw_); }
  constexpr NtpDuration operator-() const { return NtpDuration(-raw_); }
  constexpr NtpDuration operator+(NtpDuration o) const { return NtpDuration(raw_ + o.raw_); }
  constexpr NtpDuration operator-(NtpDuration o) const { return NtpDuration(raw_ - o.raw_); }
  constexpr NtpDuration& operator+=(NtpDuration o) {
    raw_ += o.raw_;
    return *this;
  }
  constexpr NtpDuration& operator-=(NtpDuration o) {
    raw_ -= o.raw_;
    return *this;
  }
  // Halving as used by the offset formula; arithmetic shift rounds toward -infinity, which
  // keeps (a + b) / 2 exact to one unit without overflow concerns in the callers.
  constexpr NtpDuration half() const { return NtpDuration(raw_ >> 1); }
  constexpr auto operator<=>(const NtpDuration&) const = default;

 private:
  constexpr explicit NtpDuration(int64_t raw) : raw_(raw) {}
  int64_t raw_ = 0;
};

}  // namespace wiretime

// NTP short format (RFC 5905 section 6): unsigned 16.16 seconds, used for root delay and
// root dispersion.
#pragma once

#include <cstdint>

#include "dataplane/time/ntp_duration.hpp"

namespace wiretime {

class NtpShort {
 public:
  constexpr NtpShort() = default;
  static constexpr NtpShort from_raw(uint32_t raw) { return NtpShort(raw); }
  // Negative spans become zero and spans above 65535.99998 s saturate: a root distance can
  // only be over-reported, never wrap to a small value.
  static constexpr NtpShort from_duration(NtpDuration d) {
    if (d.raw() <= 0) return NtpShort(0);
    const int64_t units = (d.raw() + (1 << 15)) >> 16;
    return NtpShort(units > 0xffffffff ? 0xffffffffu : static_cast<uint32_t>(units));
  }

  constexpr uint32_t raw() const { return raw_; }
  constexpr NtpDuration to_duration() const {
    return NtpDuration::from_raw(static_cast<int64_t>(raw_) << 16);
  }
  constexpr double to_seconds() const { return static_cast<double>(raw_) / 65536.0; }
  constexpr bool operator==(const NtpShort&) const = default;

 private:
  constexpr explicit NtpShort(uint32_t raw) : raw_(raw) {}
  uint32_t raw_ = 0;
};

}  // namespace wiretime

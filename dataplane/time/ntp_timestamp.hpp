// NTP 64-bit timestamp (RFC 5905 section 6): 32 bits of seconds since the start of the
// current era and 32 bits of fraction. Carries no era; conversions to absolute time take a
// pivot, so the 2036 rollover is handled by choosing the era nearest the pivot.
#pragma once

#include <compare>
#include <cstdint>

#include "dataplane/time/ntp_duration.hpp"

namespace wiretime {

// Seconds from 1900-01-01 (NTP prime epoch) to 1970-01-01 (Unix epoch).
inline constexpr int64_t kNtpUnixEpochOffsetSeconds = 2'208'988'800;

// Unix time in nanoseconds; int64 covers 1678..2262, enough for eras 0 and 1.
using UnixNanos = int64_t;

class NtpTimestamp {
 public:
  constexpr NtpTimestamp() = default;
  static constexpr NtpTimestamp from_raw(uint64_t raw) { return NtpTimestamp(raw); }
  static constexpr NtpTimestamp from_parts(uint32_t seconds, uint32_t fraction) {
    return NtpTimestamp((uint64_t{seconds} << 32) | fraction);
  }
  // Rounds to the nearest 2^-32 s. Any era maps onto the 32-bit seconds modulo 2^32.
  static NtpTimestamp from_unix_nanos(UnixNanos ns);

  constexpr uint64_t raw() const { return raw_; }
  constexpr uint32_t seconds() const { return static_cast<uint32_t>(raw_ >> 32); }
  constexpr uint32_t fraction() const { return static_cast<uint32_t>(raw_); }
  // RFC 5905 treats an all-zero timestamp as "unknown / not set".
  constexpr bool is_zero() const { return raw_ == 0; }

  // The instant congruent to this timestamp modulo 2^32 s that lies nearest to `pivot`
  // (ties go to the earlier instant). Rounded to the nearest nanosecond.
  UnixNanos to_unix_nanos(UnixNanos pivot) const;
  // The RFC 4330 section 3 rule that Wireshark also uses: seconds with the top bit set are in
  // era 0 (1968-2036), the others in era 1 (2036-2104).
  UnixNanos to_unix_nanos_rfc4330() const;

  // Differences are taken modulo 2^64 and read as signed (RFC 5905 section 6), so they are
  // exact across an era boundary as long as the two instants are within 68 years.
  constexpr NtpDuration operator-(NtpTimestamp o) const {
    return NtpDuration::from_raw(static_cast<int64_t>(raw_ - o.raw_));
  }
  constexpr NtpTimestamp operator+(NtpDuration d) const {
    return NtpTimestamp(raw_ + static_cast<uint64_t>(d.raw()));
  }
  constexpr NtpTimestamp operator-(NtpDuration d) const {
    return NtpTimestamp(raw_ - static_cast<uint64_t>(d.raw()));
  }
  constexpr bool operator==(const NtpTimestamp&) const = default;

 private:
  constexpr explicit NtpTimestamp(uint64_t raw) : raw_(raw) {}
  uint64_t raw_ = 0;
};

// Start of NTP era 1 (2036-02-07T06:28:16Z) as Unix nanoseconds.
inline constexpr UnixNanos kNtpEra1StartUnixNanos =
    ((int64_t{1} << 32) - kNtpUnixEpochOffsetSeconds) * 1'000'000'000;

}  // namespace wiretime

#include "dataplane/clock/clock_model.hpp"

#include <cmath>

namespace wiretime::clock {
namespace {

__extension__ using U128 = unsigned __int128;

constexpr Fixed kNtpEpochOffset = Fixed{kNtpUnixEpochOffsetSeconds} << 64;

// Signed tick difference times the rate; correct for counters that wrapped between the two.
Fixed scale(uint64_t from, uint64_t to, uint64_t mult, uint32_t shift) {
  const uint64_t forward = to - from;
  if (forward <= (uint64_t{1} << 63)) {
    return static_cast<Fixed>((U128{forward} * mult) >> shift);
  }
  return -static_cast<Fixed>((U128{from - to} * mult) >> shift);
}

}  // namespace

ClockModel ClockModel::from_rate(uint64_t tick0, UnixNanos utc0, double ticks_per_second) {
  ClockModel m;
  m.tick0_ = tick0;
  m.utc0_ = (Fixed{utc0} << 64) / 1'000'000'000;
  const double units_per_tick = std::ldexp(1.0, 64) / ticks_per_second;
  // Pick the shift that puts mult in [2^62, 2^63).
  int exponent = 0;
  std::frexp(units_per_tick, &exponent);  // units_per_tick = f * 2^exponent, f in [0.5, 1)
  m.shift_ = static_cast<uint32_t>(63 - exponent);
  m.nominal_mult_ = static_cast<uint64_t>(std::ldexp(units_per_tick, 63 - exponent));
  m.mult_ = m.nominal_mult_;
  return m;
}

Fixed ClockModel::utc_fixed(uint64_t ticks) const {
  return utc0_ + scale(tick0_, ticks, mult_, shift_);
}

UnixNanos ClockModel::utc_nanos(uint64_t ticks) const {
  // Arithmetic shift floors, so rounding is symmetric for instants before 1970 too.
  return static_cast<UnixNanos>((utc_fixed(ticks) * 1'000'000'000 + (Fixed{1} << 63)) >> 64);
}

NtpTimestamp ClockModel::ntp(uint64_t ticks) const {
  const Fixed since_1900 = utc_fixed(ticks) + kNtpEpochOffset + (Fixed{1} << 31);
  return NtpTimestamp::from_raw(static_cast<uint64_t>(since_1900 >> 32));
}

NtpDuration ClockModel::elapsed(uint64_t from_ticks, uint64_t to_ticks) const {
  const Fixed d = scale(from_ticks, to_ticks, mult_, shift_) + (Fixed{1} << 31);
  return NtpDuration::from_raw(static_cast<int64_t>(d >> 32));
}

ClockModel ClockModel::stepped(uint64_t at_tick, NtpDuration offset) const {
  ClockModel m = *this;
  m.utc0_ = utc_fixed(at_tick) + (Fixed{offset.raw()} << 32);
  m.tick0_ = at_tick;
  return m;
}

ClockModel ClockModel::with_frequency(uint64_t at_tick, double ppb) const {
  ClockModel m = *this;
  m.utc0_ = utc_fixed(at_tick);
  m.tick0_ = at_tick;
  // A faster clock maps each tick to more UTC time. nominal_mult_ < 2^63 and |ppb| is bounded
  // by the discipline, so this fits in 64 bits.
  m.mult_ =
      static_cast<uint64_t>(std::round(static_cast<double>(nominal_mult_) * (1.0 + ppb * 1e-9)));
  m.frequency_ppb_ = ppb;
  return m;
}

double ClockModel::nominal_ticks_per_second() const {
  return std::ldexp(1.0, 64) /
         std::ldexp(static_cast<double>(nominal_mult_), -static_cast<int>(shift_));
}

}  // namespace wiretime::clock

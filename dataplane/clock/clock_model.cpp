#include "dataplane/clock/clock_model.hpp"

#include <cmath>

namespace wiretime::clock {
namespace {

__extension__ using U128 = unsigned __int128;

constexpr Fns kFnsPerSecond = kFnsPerNano * 1'000'000'000;
constexpr int64_t kNtpUnixOffsetNanos = kNtpUnixEpochOffsetSeconds * 1'000'000'000;

// Signed tick difference times the rate; correct for counters that wrapped between the two.
Fns scale(uint64_t from, uint64_t to, uint64_t mult, uint32_t shift) {
  const uint64_t forward = to - from;
  if (forward <= (uint64_t{1} << 63)) {
    return static_cast<Fns>((U128{forward} * mult) >> shift);
  }
  return -static_cast<Fns>((U128{from - to} * mult) >> shift);
}

}  // namespace

ClockModel ClockModel::from_rate(uint64_t tick0, UnixNanos utc0, double ticks_per_second) {
  ClockModel m;
  m.tick0_ = tick0;
  m.utc0_ = Fns{utc0} * kFnsPerNano;
  const double fns_per_tick = static_cast<double>(kFnsPerSecond) / ticks_per_second;
  // Pick the shift that puts mult in [2^62, 2^63).
  int exponent = 0;
  std::frexp(fns_per_tick, &exponent);  // fns_per_tick = f * 2^exponent, f in [0.5, 1)
  const int shift = 63 - exponent;
  m.shift_ = static_cast<uint32_t>(shift);
  m.nominal_mult_ = static_cast<uint64_t>(std::ldexp(fns_per_tick, shift));
  m.mult_ = m.nominal_mult_;
  return m;
}

Fns ClockModel::utc_fns(uint64_t ticks) const {
  return utc0_ + scale(tick0_, ticks, mult_, shift_);
}

UnixNanos ClockModel::utc_nanos(uint64_t ticks) const {
  const Fns f = utc_fns(ticks) + kFnsPerNano / 2;
  // Floor division by 2^32 keeps rounding symmetric for instants before 1970.
  return static_cast<UnixNanos>(f >> 32);
}

NtpTimestamp ClockModel::ntp(uint64_t ticks) const {
  // One NTP fraction unit (2^-32 s) is exactly 1e9 fns.
  const Fns since_1900 = utc_fns(ticks) + Fns{kNtpUnixOffsetNanos} * kFnsPerNano;
  const Fns units = (since_1900 + 500'000'000) / 1'000'000'000;
  return NtpTimestamp::from_raw(static_cast<uint64_t>(units));
}

NtpDuration ClockModel::elapsed(uint64_t from_ticks, uint64_t to_ticks) const {
  const Fns d = scale(from_ticks, to_ticks, mult_, shift_);
  return NtpDuration::from_raw(static_cast<int64_t>(d / 1'000'000'000));
}

ClockModel ClockModel::stepped(uint64_t at_tick, NtpDuration offset) const {
  ClockModel m = *this;
  m.utc0_ = utc_fns(at_tick) + Fns{offset.raw()} * 1'000'000'000;
  m.tick0_ = at_tick;
  return m;
}

ClockModel ClockModel::with_frequency(uint64_t at_tick, double ppb) const {
  ClockModel m = *this;
  m.utc0_ = utc_fns(at_tick);
  m.tick0_ = at_tick;
  // A faster clock maps each tick to more UTC time.
  // nominal_mult_ < 2^63 and |ppb| is bounded by the discipline, so this fits in 64 bits.
  m.mult_ =
      static_cast<uint64_t>(std::round(static_cast<double>(nominal_mult_) * (1.0 + ppb * 1e-9)));
  m.frequency_ppb_ = ppb;
  return m;
}

double ClockModel::nominal_ticks_per_second() const {
  return static_cast<double>(kFnsPerSecond) /
         std::ldexp(static_cast<double>(nominal_mult_), -static_cast<int>(shift_));
}

}  // namespace wiretime::clock

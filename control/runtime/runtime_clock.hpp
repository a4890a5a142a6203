// The clock the control loop disciplines, as the loop sees it: a tick source, the reading of
// any tick (T1/T4 were recorded as ticks by the dataplane), and the clock actions. The virtual
// clock (virtual_clock.hpp) implements it over a published ClockModel; the socket backend's
// system clock implements it over clock_adjtime.
#pragma once

#include <cstdint>
#include <optional>

#include "control/engine/actions.hpp"
#include "control/engine/slew_capability.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::runtime {

struct ClockInfo {
  double frequency = 0.0;       // discipline correction, s/s
  double rate = 0.0;            // total rate against nominal (oscillator + corrections), s/s
  double slew_remaining = 0.0;  // s
  bool smearing = false;
  int steps = 0;
  int leaps = 0;
};

class RuntimeClock {
 public:
  virtual ~RuntimeClock() = default;
  virtual uint64_t now_ticks() const = 0;
  virtual double ticks_per_second() const = 0;
  virtual NtpTimestamp to_ntp(uint64_t ticks) const = 0;
  virtual UnixNanos to_utc(uint64_t ticks) const = 0;
  // Carries out StepClock, SlewClock, SetFrequency and ScheduleLeap; ignores the rest.
  virtual void apply(const engine::Action& action) = 0;
  // Ends slews and smears, applies leaps that are due; true when the clock changed.
  virtual bool advance() = 0;
  // Tick at which advance() has work next.
  virtual std::optional<uint64_t> next_event() const = 0;
  virtual ClockInfo info() const = 0;
  // How the driver slews; the control loop hands it to the engine.
  virtual engine::SlewCapability slew_capability() const = 0;
};

}  // namespace wiretime::runtime

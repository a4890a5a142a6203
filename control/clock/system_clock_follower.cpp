#include <algorithm>
#include <cmath>

#include "control/clock/system_clock_steering.hpp"

namespace wiretime::clock {

SystemClockFollower::SystemClockFollower(SystemClockSteering& steering)
    : steering_(steering), integral_(steering.frequency()) {}

void SystemClockFollower::update(const FollowerInput& in) {
  if (steps_ < 0) steps_ = in.steps;
  if (in.steps != steps_) {
    // The disciplined clock stepped: the host clock follows with the same jump, measured.
    steps_ = in.steps;
    steering_.step(-in.offset);
    ++host_steps_;
    steering_.set_status(in.bound, in.error_estimate, in.synchronized);
    return;
  }
  const double dt = std::clamp(in.interval, 0.1, 10.0);
  // Host ahead (offset > 0): run it slower until the offset is gone.
  integral_ = std::clamp(integral_ - kKi * in.offset / dt, -kMaxFrequency, kMaxFrequency);
  const double f = std::clamp(integral_ - kKp * in.offset / dt, -kMaxFrequency, kMaxFrequency);
  steering_.set_frequency(f);
  steering_.set_status(in.bound + std::abs(in.offset), in.error_estimate + std::abs(in.offset),
                       in.synchronized);
}

}  // namespace wiretime::clock

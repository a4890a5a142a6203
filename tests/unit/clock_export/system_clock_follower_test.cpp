// CLOCK_REALTIME following the disciplined clock, against a fake host clock: the host
// oscillator has its own rate error, the follower only sees offsets and only acts through the
// steering interface.
#include <gtest/gtest.h>

#include <cmath>

#include "control/clock/system_clock_steering.hpp"

namespace wiretime::clock {
namespace {

// A host clock: runs at (1 + oscillator + frequency) against true time.
class FakeHostClock final : public SystemClockSteering {
 public:
  double oscillator = 30e-6;
  double freq = 0.0;
  double offset = 0.0;  // host minus true time, s
  int steps = 0;
  double max_error = -1, est_error = -1;
  bool synchronized = false;

  double frequency() const override { return freq; }
  void set_frequency(double f) override { freq = f; }
  void step(double s) override {
    offset += s;
    ++steps;
  }
  void set_status(double m, double e, bool sync) override {
    max_error = m;
    est_error = e;
    synchronized = sync;
  }
  void run(double seconds) { offset += (oscillator + freq) * seconds; }
};

TEST(SystemClockFollower, SlewsTheHostOntoTheDisciplinedClockWithoutStepping) {
  FakeHostClock host;
  host.offset = 200e-6;  // the host is 200 us ahead, its oscillator 30 ppm fast
  SystemClockFollower follower(host);
  double worst_late = 0;
  for (int s = 0; s < 120; ++s) {
    FollowerInput in;
    in.offset = host.offset;  // the disciplined clock is true time here
    in.steps = 0;
    in.synchronized = true;
    in.bound = 10e-6;
    in.error_estimate = 1e-6;
    follower.update(in);
    EXPECT_NEAR(host.max_error, 10e-6 + std::abs(in.offset), 1e-12);
    EXPECT_TRUE(host.synchronized);
    host.run(1.0);
    if (s >= 60) worst_late = std::max(worst_late, std::abs(host.offset));
  }
  EXPECT_EQ(host.steps, 0);
  EXPECT_LT(worst_late, 1e-7);
  // It learned the host oscillator's error.
  EXPECT_NEAR(follower.integral(), -30e-6, 0.1e-6);
}

TEST(SystemClockFollower, CopiesAStepOfTheDisciplinedClockAndOnlyThen) {
  FakeHostClock host;
  SystemClockFollower follower(host);
  double disciplined = 0.0;  // the disciplined clock's error against true time
  for (int s = 0; s < 40; ++s) {
    if (s == 20) disciplined += 0.5;  // the engine steps the model
    FollowerInput in;
    in.offset = host.offset - disciplined;
    in.steps = s >= 20 ? 1 : 0;
    in.synchronized = s < 30;
    in.bound = 1e-3;
    follower.update(in);
    if (s == 20) {
      EXPECT_EQ(host.steps, 1);
      EXPECT_NEAR(host.offset, disciplined, 1e-6);
    }
    host.run(1.0);
  }
  EXPECT_EQ(host.steps, 1);
  EXPECT_EQ(follower.host_steps(), 1);
  EXPECT_FALSE(host.synchronized);  // STA_UNSYNC once the engine lost its sources
}

TEST(SystemClockFollower, FrequencyStaysWithinTheKernelLimit) {
  FakeHostClock host;
  host.offset = -5.0;  // far behind: slewed at the limit, never stepped
  SystemClockFollower follower(host);
  FollowerInput in;
  in.offset = host.offset;
  follower.update(in);
  EXPECT_DOUBLE_EQ(host.freq, SystemClockFollower::kMaxFrequency);
  EXPECT_EQ(host.steps, 0);
}

}  // namespace
}  // namespace wiretime::clock

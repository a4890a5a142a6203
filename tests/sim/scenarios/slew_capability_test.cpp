// Issue 13 item 2: the system driver's kernel clamps frequency + slew at 500 ppm. With the
// clock's -50 ppm correction a negative slew gets only 450 ppm; the engine must know, or its
// slews land short. A -50 ppm-corrected clock slews large negative and positive offsets and
// must land within microseconds in both directions.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

struct Landing {
  double worst_after = 0.0;  // |error| from `settle` s on, s
  int steps = 0;
};

Landing slew_from(double initial_offset, bool engine_knows_limit, double settle) {
  Scenario s;
  s.name = "slew";
  s.seed = 4;
  s.oscillator = OscillatorModel{50e-6, 0.0};
  s.engine.initial_frequency = -50e-6;  // the kernel's (drift) correction, as the system driver
  s.clock.slew.total_limit = 500e-6;    // the kernel's ADJ_FREQUENCY clamp
  s.initial_offset = initial_offset;
  s.association.min_poll = 4;
  s.association.max_poll = 4;
  s.association.iburst = true;
  ServerSpec srv;
  srv.precision = -24;
  srv.up.jitter_mean = 0.1e-6;
  srv.down.jitter_mean = 0.1e-6;
  s.servers.push_back(srv);
  s.duration = 1500.0;
  s.warmup = 0.0;
  Landing out;
  s.observer = [&](double t, double error) {
    if (t >= settle) out.worst_after = std::max(out.worst_after, std::abs(error));
  };
  // Otherwise the clock still clamps; only the engine is told the bare 500 ppm slew rate.
  if (!engine_knows_limit) s.engine_slew_override = engine::SlewCapability{};
  const auto r = run(s);
  out.steps = r.steps;
  return out;
}

TEST(SimSlewCapability, SlewsLandExactlyInBothDirections) {
  // 100 ms at 450 ppm (the direction the -50 ppm correction already uses) takes 222 s; the
  // other way the slew limit, 500 ppm, holds: 200 s. Measured from 260 s on.
  for (double offset : {0.1, -0.1, 0.06, -0.06}) {
    SCOPED_TRACE(offset);
    const Landing l = slew_from(offset, true, 260.0);
    EXPECT_EQ(l.steps, 0);  // below the 128 ms step threshold: slewed
    EXPECT_LT(l.worst_after, 20e-6);
    std::printf("offset %+.2f s: worst |error| after 260 s %.2f us\n", offset, l.worst_after * 1e6);
  }
}

TEST(SimSlewCapability, EngineAssumingFullRateLandsShort) {
  // The simulator's clock models the kernel clamp: an engine that assumes the full 500 ppm
  // toward the -50 ppm correction believes the slew done 22 s early, 10 ms short.
  const Landing l = slew_from(0.1, false, 205.0);
  EXPECT_GT(l.worst_after, 1e-3);
  std::printf("mis-told engine: worst |error| after 205 s %.2f us\n", l.worst_after * 1e6);
}

}  // namespace
}  // namespace wiretime::sim

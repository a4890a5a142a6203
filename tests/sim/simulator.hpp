// Discrete-event simulator: the daemon's own control loop (runtime::ControlLoop, with the
// engine inside it) driving a simulated clock through a RuntimeClock, talking through a
// transport that only moves bytes over simulated paths to simulated servers, with real encoded
// NTP packets. Everything between a packet and a clock command is the daemon's code: what the
// tests see is what the daemon does. Deterministic per seed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/engine/client_engine.hpp"
#include "control/runtime/control_loop.hpp"
#include "tests/sim/sim_clock.hpp"
#include "tests/sim/sim_server.hpp"

namespace wiretime::sim {

struct Scenario {
  std::string name;
  uint64_t seed = 1;
  double duration = 86400.0;                        // s of simulated time
  double warmup = 3600.0;                           // s excluded from the accuracy statistics
  UnixNanos utc_start = 1'782'777'600'000'000'000;  // 2026-06-30T00:00:00Z
  OscillatorModel oscillator;
  double initial_offset = 0.0;  // client clock minus true UTC at start, s
  engine::EngineConfig engine;
  // The clock driver: slew rate and total limit (the system driver's kernel clamps frequency +
  // slew at 500 ppm). The engine is told the same capability, as runtime::ControlLoop does.
  clock::DisciplinedClockConfig clock;
  // Test knob: tell the engine this instead of the clock's capability (a mis-told engine).
  std::optional<engine::SlewCapability> engine_slew_override;
  engine::AssociationConfig association;  // template; address and per-server fields filled in
  std::vector<ServerSpec> servers;
  std::vector<bool> preferred;   // optional, per server
  double leap_insert_at = -1.0;  // true time of an inserted leap second (servers' UTC follows)
  // Called once per simulated second with the true time and the clock error.
  std::function<void(double t, double error)> observer;
};

// The published error bound (include/wiretime/clock_segment.h) sampled once a simulated second,
// with the parameters the daemon would publish at each clock update.
struct BoundStats {
  uint64_t seconds = 0;  // samples, one per simulated second from the start
  uint64_t bounded = 0;  // ... whose status offered an interval (not unknown)
  uint64_t covered = 0;  // ... whose interval contained true time
  uint64_t free_running = 0;
  double sum_half_width = 0.0;  // s, over bounded samples
  double sum_error2 = 0.0;      // s^2, over bounded samples
  double sum_root_distance =
      0.0;  // s: root delay / 2 + root dispersion (chrony's), bounded samples
  // The same after the scenario's warm-up (the steady state of the accuracy tables).
  uint64_t steady_bounded = 0;
  double steady_sum_half_width = 0.0;
  double steady_sum_error2 = 0.0;
  double steady_sum_root_dispersion = 0.0;
  double worst_ratio = 0.0;  // max |error| / half-width
  double worst_t = -1.0;     // when
  double mean_half_width() const {
    return bounded ? sum_half_width / static_cast<double>(bounded) : 0.0;
  }
  double rms_error() const;
  double mean_root_distance() const {
    return bounded ? sum_root_distance / static_cast<double>(bounded) : 0.0;
  }
  double steady_mean_half_width() const {
    return steady_bounded ? steady_sum_half_width / static_cast<double>(steady_bounded) : 0.0;
  }
  double steady_rms_error() const;
  double steady_mean_root_dispersion() const {
    return steady_bounded ? steady_sum_root_dispersion / static_cast<double>(steady_bounded) : 0.0;
  }
  double coverage() const {
    return bounded ? static_cast<double>(covered) / static_cast<double>(bounded) : 0.0;
  }
};

struct PollTrace {
  std::vector<double> request_times;  // true times of every request sent
};

struct SimResult {
  double rms = 0.0;              // s, after warm-up
  double max_abs = 0.0;          // s, after warm-up
  double mean = 0.0;             // s, after warm-up (bias)
  double freq_rms = 0.0;         // s/s, after warm-up
  double converge_1ms = -1.0;    // s: from here on the error stays within 1 ms (-1: never)
  double converge_100us = -1.0;  // s: from here on the error stays within 100 us (-1: never)
  int steps = 0;                 // discipline steps
  int leaps = 0;                 // leap seconds applied by the clock
  int panics = 0;
  uint64_t evaluations = 0;
  std::vector<PollTrace> polls;           // per server
  std::vector<double> selected_fraction;  // per server, after warm-up
  std::vector<uint64_t> server_requests;
  std::vector<uint64_t> server_kisses;
  engine::SystemStatus system;
  std::vector<engine::AssociationStatus> associations;
  runtime::RuntimeCounters counters;  // the control loop's, as the daemon reports them
  BoundStats bound;
};

SimResult run(const Scenario& scenario);

}  // namespace wiretime::sim

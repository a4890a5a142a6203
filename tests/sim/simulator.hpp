// Discrete-event simulator: one client engine driving a simulated clock, talking through
// simulated paths to simulated servers with real encoded NTP packets. Deterministic per seed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/engine/client_engine.hpp"
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

struct PollTrace {
  std::vector<double> request_times;  // true times of every request sent
};

struct SimResult {
  double rms = 0.0;            // s, after warm-up
  double max_abs = 0.0;        // s, after warm-up
  double mean = 0.0;           // s, after warm-up (bias)
  double freq_rms = 0.0;       // s/s, after warm-up
  double converge_1ms = -1.0;  // s: from here on the error stays within 1 ms (-1: never)
  int steps = 0;               // discipline steps
  int leaps = 0;               // leap seconds applied by the clock
  int panics = 0;
  uint64_t evaluations = 0;
  std::vector<PollTrace> polls;           // per server
  std::vector<double> selected_fraction;  // per server, after warm-up
  std::vector<uint64_t> server_requests;
  std::vector<uint64_t> server_kisses;
  engine::SystemStatus system;
  std::vector<engine::AssociationStatus> associations;
};

SimResult run(const Scenario& scenario);

}  // namespace wiretime::sim

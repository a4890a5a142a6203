#include "tests/sim/anchor_scenarios.hpp"

namespace wiretime::sim {
namespace {

PathModel path(double base, double jitter_mean) {
  PathModel p;
  p.base = base;
  p.jitter_mean = jitter_mean;
  return p;
}

PathModel lan() {
  return path(100e-6, 10e-6);
}

// A chronyd-like stratum-1 server: kernel timestamps put T3 next to T2 (zero processing), and
// the bits of both below its precision (2^-24 s, 60 ns, what chronyd measures on a current
// x86 host) are random (ServerSpec::fuzz_below_precision).
ServerSpec server(const PathModel& up, const PathModel& down) {
  ServerSpec s;
  s.up = up;
  s.down = down;
  s.precision = -24;
  s.processing = 0.0;
  s.fuzz_below_precision = true;
  return s;
}

Scenario base(const std::string& name, AnchorPoll poll, uint64_t seed, double steady_state) {
  Scenario s;
  s.name = name;
  s.seed = seed;
  s.oscillator = OscillatorModel{50e-6, 1e-9};
  if (poll == AnchorPoll::k16s) {
    s.association.min_poll = 4;
    s.association.max_poll = 4;
    s.warmup = 4000.0;
  } else {
    s.association.min_poll = 6;
    s.association.max_poll = 10;
    s.warmup = 20000.0;
  }
  s.duration = s.warmup + steady_state;
  return s;
}

}  // namespace

double requests_per_day(const Scenario& s, const SimResult& r, size_t server) {
  size_t sent = 0;
  for (double t : r.polls.at(server).request_times)
    if (t >= s.warmup) ++sent;
  const double measured = s.duration - s.warmup;
  return measured > 0 ? static_cast<double>(sent) * 86400.0 / measured : 0.0;
}

std::string to_string(AnchorPoll p) {
  return p == AnchorPoll::k16s ? "4" : "default";
}

Scenario anchor_s1_lan(AnchorPoll poll, uint64_t seed, double steady_state) {
  Scenario s = base("S1", poll, seed, steady_state);
  s.servers.push_back(server(lan(), lan()));
  return s;
}

Scenario anchor_s2_wan(AnchorPoll poll, uint64_t seed, double steady_state) {
  Scenario s = base("S2", poll, seed, steady_state);
  const PathModel wan = path(10e-3, 1e-3);
  s.servers.push_back(server(wan, wan));
  return s;
}

Scenario anchor_s3_asymmetric(AnchorPoll poll, uint64_t seed, double steady_state) {
  Scenario s = base("S3", poll, seed, steady_state);
  s.servers.push_back(server(path(100e-6, 100e-6), path(100e-6, 1e-6)));
  return s;
}

Scenario anchor_s4_falseticker(AnchorPoll poll, uint64_t seed, double steady_state) {
  Scenario s = base("S4", poll, seed, steady_state);
  for (int i = 0; i < 3; ++i) {
    ServerSpec srv = server(lan(), lan());
    if (i == 2) srv.offset = 10e-3;
    s.servers.push_back(srv);
  }
  return s;
}

Scenario anchor_s5_startup(uint64_t seed, double duration) {
  Scenario s = base("S5", AnchorPoll::kDefault, seed, 0.0);
  s.initial_offset = 0.5;
  s.association.iburst = true;
  // Statistics from 11 s on: the anchors' start-up bar is "within 1 ms after 11 s and stays".
  s.warmup = 11.0;
  s.duration = duration;
  s.servers.push_back(server(lan(), lan()));
  return s;
}

}  // namespace wiretime::sim

// Accuracy benchmark: the anchors.md section 1 scenarios, three seeds each, printed beside the
// chrony and ntpd reference figures, plus one machine-readable line per run.
//   accuracy_bench [--steady SECONDS] [--seeds N] [--mode regression|rfc] [--only S1]
//                  [--wander PRIOR]  (engine's assumed oscillator wander, s/s per sqrt(s))
//                  [--poll-target N] (EngineConfig::poll_target) [--maxpoll E] (default rows)
//                  [--trace S] (the first S seconds of each run: error every 5 s and whenever
//                  it is 1 ms or more, and the requests sent)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tests/sim/anchor_scenarios.hpp"

namespace {

using wiretime::sim::AnchorPoll;
using wiretime::sim::Scenario;

struct Row {
  const char* name;
  AnchorPoll poll;
  const char* chrony;
  const char* ntpd;
};

constexpr Row kRows[] = {
    {"S1", AnchorPoll::k16s, "2.65 us (max 12.8)", "2.50 us"},
    {"S1", AnchorPoll::kDefault, "21 us", "200 us"},
    {"S2", AnchorPoll::kDefault, "498 us", "423 us"},
    {"S3", AnchorPoll::k16s, "2.0 us (bias 0.8)", "10 us (bias 8.3)"},
    {"S3", AnchorPoll::kDefault, "4.7 us", "210 us"},
    {"S4", AnchorPoll::k16s, "rej 100%, 2.5 us", "rej 100%, 2.5 us"},
    {"S4", AnchorPoll::kDefault, "rej 100%, 25 us", "not rejected, ~4.4 ms"},
    {"S5", AnchorPoll::kDefault, "<1 ms after 11 s", "<1 ms at 7 s, stays ~400 s"},
};

Scenario make(const Row& row, uint64_t seed, double steady) {
  const std::string n = row.name;
  if (n == "S1") return wiretime::sim::anchor_s1_lan(row.poll, seed, steady);
  if (n == "S2") return wiretime::sim::anchor_s2_wan(row.poll, seed, steady);
  if (n == "S3") return wiretime::sim::anchor_s3_asymmetric(row.poll, seed, steady);
  if (n == "S4") return wiretime::sim::anchor_s4_falseticker(row.poll, seed, steady);
  return wiretime::sim::anchor_s5_startup(seed, 20000.0);
}

}  // namespace

int main(int argc, char** argv) {
  double steady = 200000.0;
  int seeds = 3;
  std::string only;
  double wander = -1.0;
  int target = 0;
  int maxpoll = 0;  // default-poll rows: maxpoll exponent instead of 10
  double trace = 0.0;
  auto mode = wiretime::engine::DisciplineMode::kRegression;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--steady") && i + 1 < argc)
      steady = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--seeds") && i + 1 < argc)
      seeds = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--wander") && i + 1 < argc)
      wander = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--maxpoll") && i + 1 < argc)
      maxpoll = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--poll-target") && i + 1 < argc)
      target = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--trace") && i + 1 < argc)
      trace = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else if (!std::strcmp(argv[i], "--mode") && i + 1 < argc)
      mode = std::strcmp(argv[++i], "rfc") == 0 ? wiretime::engine::DisciplineMode::kRfcPllFll
                                                : wiretime::engine::DisciplineMode::kRegression;
    else {
      std::fprintf(stderr,
                   "usage: %s [--steady S] [--seeds N] [--mode regression|rfc] [--only S1] "
                   "[--wander W] [--poll-target N] [--maxpoll E] [--trace S]\n",
                   argv[0]);
      return 2;
    }
  }
  std::printf("discipline: %s, steady state %.0f s, seeds 1..%d\n\n",
              mode == wiretime::engine::DisciplineMode::kRegression ? "regression" : "rfc", steady,
              seeds);
  std::printf("%-4s %-8s %10s %10s %10s %12s %12s %8s %8s %7s %10s  %-22s %s\n", "scen", "poll",
              "rms_us", "max_us", "bias_us", "freq_rms_ppb", "converge_s", "pkts/day", "mean_s",
              "drop%", "extra", "chrony", "ntpd");
  std::vector<std::string> lines;
  for (const Row& row : kRows) {
    if (!only.empty() && only != row.name) continue;
    double rms = 0, max = 0, bias = 0, freq = 0, conv = 0, extra = 0, per_day = 0, drop = 0;
    for (int seed = 1; seed <= seeds; ++seed) {
      Scenario s = make(row, static_cast<uint64_t>(seed), steady);
      s.engine.mode = mode;
      if (wander >= 0.0) s.engine.oscillator_wander = wander;
      if (target > 0) s.engine.poll_target = target;
      if (maxpoll > 0 && row.poll == AnchorPoll::kDefault) s.association.max_poll = maxpoll;
      if (trace > 0.0) {
        s.observer = [&, seed](double t, double error) {
          if (t <= trace && (std::fmod(t, 5.0) == 0.0 || std::abs(error) >= 1e-3))
            std::printf("trace %s %s seed=%d t=%.0f error_us=%.1f\n", row.name,
                        wiretime::sim::to_string(row.poll).c_str(), seed, t, error * 1e6);
        };
      }
      const auto r = wiretime::sim::run(s);
      if (trace > 0.0) {
        for (size_t k = 0; k < r.polls.size(); ++k)
          for (double t : r.polls[k].request_times)
            if (t <= trace)
              std::printf("trace %s %s seed=%d request server=%zu t=%.1f\n", row.name,
                          wiretime::sim::to_string(row.poll).c_str(), seed, k, t);
      }
      const double rejected =
          r.selected_fraction.size() >= 3 ? 100.0 * (1.0 - r.selected_fraction[2]) : 0.0;
      rms += r.rms / seeds;
      max += r.max_abs / seeds;
      bias += r.mean / seeds;
      freq += r.freq_rms / seeds;
      conv += r.converge_1ms / seeds;
      extra += rejected / seeds;
      // Packets the client sent in the measured interval (all servers), per day, and replies
      // the engine refused for invalid timestamps, over the whole run.
      uint64_t sent = 0;
      for (const auto& p : r.polls)
        for (double t : p.request_times)
          if (t >= s.warmup) ++sent;
      const double measured = s.duration - s.warmup;
      const double sent_per_day =
          measured > 0 ? static_cast<double>(sent) * 86400.0 / measured : 0.0;
      uint64_t received = 0, invalid = 0;
      for (const auto& a : r.associations) {
        received += a.received;
        invalid +=
            a.on_wire[static_cast<size_t>(wiretime::engine::OnWireReason::kInvalidTimestamps)];
      }
      const double drop_pct =
          received > 0 ? 100.0 * static_cast<double>(invalid) / static_cast<double>(received) : 0.0;
      per_day += sent_per_day / seeds;
      drop += drop_pct / seeds;
      char line[320];
      std::snprintf(line, sizeof line,
                    "scenario=%s poll=%s seed=%d rms_us=%.2f max_us=%.1f freq_rms_ppb=%.0f "
                    "converge_1ms_s=%.1f converge_100us_s=%.1f bias_us=%.2f packets_per_day=%.0f "
                    "invalid_pct=%.1f%s",
                    row.name, wiretime::sim::to_string(row.poll).c_str(), seed, r.rms * 1e6,
                    r.max_abs * 1e6, r.freq_rms * 1e9, r.converge_1ms, r.converge_100us,
                    r.mean * 1e6, sent_per_day, drop_pct,
                    std::string(row.name) == "S4"
                        ? (" falseticker_rejected_pct=" + std::to_string(rejected)).c_str()
                        : "");
      lines.emplace_back(line);
    }
    char extra_text[32] = "";
    if (std::string(row.name) == "S4")
      std::snprintf(extra_text, sizeof extra_text, "rej %.1f%%", extra);
    const size_t servers = std::string(row.name) == "S4" ? 3 : 1;
    std::printf("%-4s %-8s %10.2f %10.1f %10.2f %12.0f %12.1f %8.0f %8.0f %7.1f %10s  %-22s %s\n",
                row.name, wiretime::sim::to_string(row.poll).c_str(), rms * 1e6, max * 1e6,
                bias * 1e6, freq * 1e9, conv, per_day,
                per_day > 0 ? 86400.0 * static_cast<double>(servers) / per_day : 0.0, drop,
                extra_text, row.chrony, row.ntpd);
    std::fflush(stdout);
  }
  std::printf("\n");
  for (const auto& l : lines) std::printf("%s\n", l.c_str());
  return 0;
}

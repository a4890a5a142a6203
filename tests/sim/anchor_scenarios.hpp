// The scenarios of ../shared/docs/anchors.md section 1: perfect stratum-1 servers, client
// oscillator +50 ppm with a 1 ppb/sqrt(s) frequency random walk, per-direction delays, servers
// that answer like chronyd (zero processing time, random bits below their precision).
#pragma once

#include <cstdint>
#include <string>

#include "tests/sim/simulator.hpp"

namespace wiretime::sim {

enum class AnchorPoll : uint8_t { k16s, kDefault };

std::string to_string(AnchorPoll p);

// `steady_state` seconds are measured after a warm-up chosen per polling mode.
Scenario anchor_s1_lan(AnchorPoll poll, uint64_t seed, double steady_state);
Scenario anchor_s2_wan(AnchorPoll poll, uint64_t seed, double steady_state);
Scenario anchor_s3_asymmetric(AnchorPoll poll, uint64_t seed, double steady_state);
Scenario anchor_s4_falseticker(AnchorPoll poll, uint64_t seed, double steady_state);
// Requests the client sent to server `server` per day of the scenario's steady state.
double requests_per_day(const Scenario& s, const SimResult& r, size_t server);

// Client starts +0.5 s off with iburst and default polling.
Scenario anchor_s5_startup(uint64_t seed, double duration);

}  // namespace wiretime::sim

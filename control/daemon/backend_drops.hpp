// NTP packets only a backend sees (before the control loop), for `display ntp statistics
// packet`: its drops and the NTP server's requests per outcome.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dataplane/server/ntp_server_stage.hpp"

namespace wiretime::daemon {

// The NTP server's requests per outcome, indexed by server::ServeOutcome.
using ServeCounts = std::array<uint64_t, server::kServeOutcomeCount>;

struct BackendDrops {
  uint64_t invalid = 0;           // undecodable NTP, control modes, unexpected modes
  uint64_t processing_delay = 0;  // replies lost because control did not keep up
  ServeCounts server{};           // the NTP server's requests, each in exactly one outcome
};

// One interface's server requests per family ([0] IPv4, [1] IPv6).
struct InterfaceServeCounts {
  std::string interface;
  std::array<ServeCounts, 2> family{};
};

// Monotonic counts per IP family ([0] IPv4, [1] IPv6) and per interface.
struct BackendCounters {
  std::array<BackendDrops, 2> family{};
  std::vector<InterfaceServeCounts> interfaces;
};
using BackendDropCounters = std::function<BackendCounters()>;
// The name of a backend interface index (runtime::Peer::interface) a reply arrived on; "" when
// unknown.
using InterfaceNameOf = std::function<std::string(uint16_t)>;

}  // namespace wiretime::daemon

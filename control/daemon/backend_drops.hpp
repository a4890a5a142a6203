// NTP packets only a backend sees dropped (before the control loop), for `display ntp
// statistics packet`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

namespace wiretime::daemon {

struct BackendDrops {
  uint64_t invalid = 0;             // undecodable NTP, control modes, unexpected modes
  uint64_t server_disabled = 0;     // client requests: wiretimed serves no time
  uint64_t processing_delay = 0;    // replies lost because control did not keep up
  uint64_t access_denied = 0;       // server: `ntp access` denied (no reply, or a DENY KoD)
  uint64_t rate_limited = 0;        // server: over `ntp discard` (RATE KoD, or dropped)
  uint64_t server_auth_failed = 0;  // client requests refused by server authentication
};

// Monotonic counts per IP family ([0] IPv4, [1] IPv6).
using BackendDropCounters = std::function<std::array<BackendDrops, 2>()>;
// The name of a backend interface index (runtime::Peer::interface) a reply arrived on; "" when
// unknown.
using InterfaceNameOf = std::function<std::string(uint16_t)>;

}  // namespace wiretime::daemon

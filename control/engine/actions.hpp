// What the engine asks its environment to do. The engine never sends, resolves or touches a
// clock itself; the runtime (or the simulator) carries these out in order.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::engine {

using AssociationId = uint32_t;

// Build and send a mode-3 request whose transmit timestamp is `cookie`; report the true T1
// back through ClientEngine::on_sent. In interleaved mode the origin field carries the server's
// receive timestamp of the last exchange and the receive field a nonce the server echoes
// (both zero in basic mode).
struct SendRequest {
  AssociationId association = 0;
  NtpTimestamp cookie;
  uint8_t version = 4;
  int8_t poll = 6;
  NtpTimestamp origin;
  NtpTimestamp receive;
};

// Resolve (or re-resolve) the `domain` name of an association (its AssociationConfig
// address); answer with ClientEngine::on_resolved.
struct ResolveName {
  AssociationId association = 0;
};

struct StepClock {
  double offset = 0.0;  // s, add to the clock at once
};
struct SlewClock {
  double offset = 0.0;  // s, add gradually at a bounded rate (kMaxSlewRate)
};
struct SetFrequency {
  double frequency = 0.0;  // absolute correction, s/s; positive makes the clock faster
};

enum class LeapKind : uint8_t { kNone, kInsert, kDelete };
// Apply a leap second at `at_utc` (the end of the UTC day), by step or by smear as configured.
struct ScheduleLeap {
  LeapKind kind = LeapKind::kNone;  // kNone cancels a scheduled leap
  UnixNanos at_utc = 0;
  bool smear = false;
};

// The discipline saw an offset above the panic threshold and did nothing: operator action.
struct Panic {
  double offset = 0.0;
};

using Action =
    std::variant<SendRequest, ResolveName, StepClock, SlewClock, SetFrequency, ScheduleLeap, Panic>;
using Actions = std::vector<Action>;

}  // namespace wiretime::engine

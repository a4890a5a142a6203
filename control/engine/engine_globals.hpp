// The engine's system-wide settings that a committed configuration may change while the
// associations run (`ntp max-distance`, `ntp unsync max-poll-interval`,
// `ntp authentication enable`). The rest of EngineConfig is fixed for the engine's life.
#pragma once

#include "control/engine/ntp_constants.hpp"
#include "control/engine/poll_update.hpp"

namespace wiretime::engine {

struct EngineGlobals {
  double max_distance = kMaxDistDefault;  // s
  UnsyncPollConfig unsync;
  bool authentication_enabled = false;
};

}  // namespace wiretime::engine

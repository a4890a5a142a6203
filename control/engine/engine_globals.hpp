// The engine's system-wide settings that a committed configuration may change while the
// associations run (`ntp max-distance`, `ntp unsync max-poll-interval`,
// `ntp authentication enable`, `ntp offset-limit`, `ntp sync-interval`). The rest of
// EngineConfig is fixed for the engine's life.
#pragma once

#include "control/engine/ntp_constants.hpp"
#include "control/engine/poll_update.hpp"

namespace wiretime::engine {

struct EngineGlobals {
  double max_distance = kMaxDistDefault;  // s
  UnsyncPollConfig unsync;
  bool authentication_enabled = false;
  // `ntp offset-limit`: a source whose offset exceeds this is not used to synchronise (0: no
  // limit), s.
  double offset_limit = 0.0;
  // `ntp sync-interval`: the longest interval between two polls of a server, so the clock
  // follows a changed server within it (0: not set; minpoll/maxpoll alone decide), s.
  double sync_interval = 0.0;
};

}  // namespace wiretime::engine

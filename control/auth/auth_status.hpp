// What the engine is told about a reply's MAC (engine::AuthStatus), from the verdict.
#pragma once

#include "control/auth/ntp_mac.hpp"
#include "control/engine/on_wire.hpp"

namespace wiretime::auth {

// `key_configured`: the association has an authentication-keyid (then a MAC is required).
inline engine::AuthStatus auth_status_of(MacVerdict verdict, bool key_configured) {
  if (!key_configured) return engine::AuthStatus::kNotRequired;
  if (verdict == MacVerdict::kOk) return engine::AuthStatus::kOk;
  if (verdict == MacVerdict::kMissing) return engine::AuthStatus::kMissing;
  return engine::AuthStatus::kFailed;
}

}  // namespace wiretime::auth

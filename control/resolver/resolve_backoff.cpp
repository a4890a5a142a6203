#include "control/resolver/resolve_backoff.hpp"

#include <algorithm>

namespace wiretime::resolver {

engine::SteadyNanos backoff_delay(const BackoffPolicy& policy, uint32_t failures) {
  engine::SteadyNanos delay = std::max<engine::SteadyNanos>(policy.initial, 0);
  const engine::SteadyNanos cap = std::max(policy.maximum, delay);
  const auto factor = static_cast<engine::SteadyNanos>(std::max<uint32_t>(policy.factor, 1));
  for (uint32_t i = 1; i < failures && delay < cap; ++i)
    delay = delay > cap / factor ? cap : delay * factor;  // no overflow
  return std::min(delay, cap);
}

}  // namespace wiretime::resolver

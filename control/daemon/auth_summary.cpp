#include "control/daemon/auth_summary.hpp"

namespace wiretime::daemon {

std::string format_auth_summary(const std::function<uint64_t(auth::MacVerdict)>& replies,
                                uint64_t failures, uint64_t unsigned_requests) {
  std::string verdicts;
  for (size_t v = 0; v < static_cast<size_t>(auth::MacVerdict::kCount); ++v) {
    const auto verdict = static_cast<auth::MacVerdict>(v);
    const uint64_t n = replies(verdict);
    if (n == 0) continue;
    verdicts += (verdicts.empty() ? "" : ", ") + std::string(auth::to_string(verdict)) + " " +
                std::to_string(n);
  }
  return "authentication: replies " + (verdicts.empty() ? std::string("none") : verdicts) +
         "; failures " + std::to_string(failures) + "; unsigned requests " +
         std::to_string(unsigned_requests);
}

}  // namespace wiretime::daemon

#include "dataplane/server/server_counters.hpp"

namespace wiretime::server {

std::string summary(const ServerCounters& counters) {
  std::string s = "server:";
  for (size_t i = 0; i < kServeOutcomeCount; ++i) {
    const uint64_t n = counters.total(static_cast<ServeOutcome>(i));
    if (n != 0)
      s += " " + std::string(to_string(static_cast<ServeOutcome>(i))) + " " + std::to_string(n) +
           ";";
  }
  if (const uint64_t a = counters.total_authenticated(); a != 0) {
    s += " of which authenticated " + std::to_string(a) + ";";
  }
  return s == "server:" ? "server: no requests" : s;
}

}  // namespace wiretime::server

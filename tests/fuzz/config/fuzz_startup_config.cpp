// Fuzzes what a start-up file goes through before wiretimed runs anything: the daemon's own
// keys (load_daemon_config_text), the start-up schema (config/startup) and the `ntp:` section
// (config/ntp_config), i.e. exactly what `wiretimed --check-config` runs. Invariants: no crash,
// leak or UB, and a refusal names a place in the file (bad input gets a clear error).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "control/daemon/daemon_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = wiretime::daemon::load_daemon_config_text(text, "fuzz.yaml");
  if (!loaded && loaded.error().to_string().empty()) std::abort();
  return 0;
}

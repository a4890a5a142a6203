// Fuzzes the VRP shell: the input is a script of lines typed into a session (views, edits,
// questions, displays), plus `?` help and Tab completion on every line. Invariants checked:
// a refused line leaves the candidate as it was, and the candidate's YAML decodes back to the
// same configuration.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "config/cli/session.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace {

class MemoryBackend : public wiretime::cli::ConfigBackend {
 public:
  wiretime::config::NtpConfig stored;
  wiretime::config::InterfaceInventory interfaces{{"GE1/0/1", "100GE1/0/1", "Vlanif100"}};

  wiretime::config::NtpConfig running() override { return stored; }
  wiretime::config::InterfaceInventory inventory() override { return interfaces; }
  CommitResult commit(const wiretime::config::NtpConfig& candidate) override {
    if (auto e = wiretime::config::validate_ntp_config(candidate, interfaces)) {
      return {false, e->message};
    }
    stored = candidate;
    return {true, {}};
  }
  std::optional<std::string> display(std::string_view) override { return std::nullopt; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  MemoryBackend backend;
  wiretime::cli::Session session(backend);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t start = 0;
  int lines = 0;
  while (start <= text.size() && lines++ < 64 && !session.finished()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;

    (void)session.help(line);
    (void)session.complete(line);
    const bool asking = session.question_pending();
    const wiretime::config::NtpConfig before = session.candidate();
    const wiretime::cli::LineResult result = session.execute(line);
    if (result.failed && !asking && !(session.candidate() == before)) std::abort();

    auto decoded = wiretime::config::ntp_config_from_yaml_text(
        wiretime::config::ntp_config_to_yaml_text(session.candidate()));
    auto* config = std::get_if<wiretime::config::NtpConfig>(&decoded);
    if (config == nullptr) std::abort();
    // Interfaces entries are normalised on commit/display, not in the candidate itself.
    config->interfaces = session.candidate().interfaces;
    if (!(*config == session.candidate())) std::abort();
  }
  return 0;
}

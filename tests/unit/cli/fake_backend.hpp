#pragma once

#include <optional>
#include <string>

#include "config/cli/config_backend.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"

namespace wiretime::cli::test {

// In-memory backend: validates like the real ones, counts commits, can be told to fail.
class FakeBackend : public ConfigBackend {
 public:
  config::NtpConfig stored;
  config::InterfaceInventory interfaces{{"GE1/0/1", "GE1/0/2", "100GE1/0/1", "Vlanif100"}};
  int commits = 0;
  std::optional<std::string> fail_next;

  config::NtpConfig running() override { return stored; }
  config::InterfaceInventory inventory() override { return interfaces; }
  CommitResult commit(const config::NtpConfig& candidate) override {
    if (fail_next) {
      std::string message = *fail_next;
      fail_next.reset();
      return {false, message};
    }
    if (auto e = config::validate_ntp_config(candidate, interfaces)) return {false, e->to_string()};
    stored = candidate;
    ++commits;
    return {true, {}};
  }
  std::optional<std::string> display(std::string_view) override { return std::nullopt; }
};

}  // namespace wiretime::cli::test

#pragma once

#include <memory>
#include <string>
#include <variant>

#include "config/cli/config_backend.hpp"
#include "config/config_error.hpp"

namespace YAML {
class Node;
}

namespace wiretime::cli {

// `wiretime-cli --offline FILE.yaml`: running is the file's `ntp:` section, the inventory its
// `interfaces:` section. Commit validates the candidate (validate_ntp_config) and writes the
// file atomically with only `ntp:` replaced; the other sections are kept as loaded.
class OfflineFileBackend : public ConfigBackend {
 public:
  // Loads the file (a missing file starts empty and is created on commit). Errors carry
  // file:line:column and key path.
  static std::variant<std::unique_ptr<OfflineFileBackend>, config::ConfigError> open(
      const std::string& path);
  ~OfflineFileBackend() override;

  config::NtpConfig running() override;
  config::InterfaceInventory inventory() override;
  CommitResult commit(const config::NtpConfig& candidate) override;
  std::optional<std::string> display(std::string_view what) override;

 private:
  OfflineFileBackend() = default;
  std::string path_;
  std::unique_ptr<YAML::Node> document_;
  config::NtpConfig running_;
  config::InterfaceInventory inventory_;
};

}  // namespace wiretime::cli

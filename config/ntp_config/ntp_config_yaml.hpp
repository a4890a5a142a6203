#pragma once

#include <optional>
#include <string>
#include <variant>

#include "config/config_error.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace YAML {
class Node;
}

namespace wiretime::config {

// yaml-cpp codec of the `ntp:` section (schema: docs/configuration.md). Decoding checks shapes,
// types and ranges and rejects unknown keys; errors carry the key path and line:column.
// Cross-references (VPNs, interfaces, limits) are for validate_ntp_config.
std::variant<NtpConfig, ConfigError> decode_ntp_config(const YAML::Node& ntp_section);

// The section as a YAML node, defaults omitted, keys as ciphers.
YAML::Node encode_ntp_config(const NtpConfig& config);

// Convenience for tests and tools: the text of a whole document `ntp: ...`.
std::string ntp_config_to_yaml_text(const NtpConfig& config);
std::variant<NtpConfig, ConfigError> ntp_config_from_yaml_text(const std::string& text);

}  // namespace wiretime::config

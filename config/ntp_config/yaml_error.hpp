// A configuration error at a YAML position: every YAML reader (start-up file, `ntp:` section,
// ACLs) reports file:line:column the same way.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>

#include "config/config_error.hpp"

namespace wiretime::config {

// yaml-cpp counts lines and columns from 0 and marks a node without a position as null.
inline ConfigError yaml_error(const YAML::Mark& mark, std::string path, std::string message,
                              std::string file = {}) {
  const bool known = !mark.is_null();
  return ConfigError{std::move(file), known ? mark.line + 1 : 0, known ? mark.column + 1 : 0,
                     std::move(path), std::move(message)};
}

}  // namespace wiretime::config

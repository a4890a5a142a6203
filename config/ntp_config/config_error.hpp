#pragma once

#include <string>

namespace wiretime::config {

// A configuration error with where it was found: a key path ("ntp.unicast-servers[2].port")
// and, when the configuration came from a file, the 1-based line and column.
struct ConfigError {
  std::string path;
  std::string message;
  int line = 0;
  int column = 0;

  // "file:line:column: path: message" with the parts that are known.
  std::string to_string(const std::string& file = {}) const {
    std::string out;
    if (!file.empty()) out += file + ":";
    if (line > 0) out += std::to_string(line) + ":" + std::to_string(column) + ":";
    if (!out.empty()) out += " ";
    if (!path.empty()) out += path + ": ";
    return out + message;
  }
};

}  // namespace wiretime::config

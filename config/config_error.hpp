// A configuration error with the position it refers to, and the result type loaders return:
// bad input is reported, never thrown out of the config layer. One type for every
// configuration source (start-up YAML, the `ntp:` section, CLI commits).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace wiretime::config {

struct ConfigError {
  std::string file{};  // empty when the text did not come from a file (or the caller adds it)
  int line = 0;        // 1-based; 0 when the error has no position (e.g. the file is unreadable)
  int column = 0;      // 1-based; 0 when unknown
  std::string path{};  // key path such as "interfaces[0].ipv4"; empty for document-level errors
  std::string message{};

  // "file:line:column: path: message", omitting the parts that are not known.
  std::string to_string() const { return to_string(file); }
  // The same, naming `file_name` (for errors found in text that was read from that file).
  std::string to_string(const std::string& file_name) const {
    std::string out = file_name;
    if (line > 0) {
      if (!out.empty()) out += ":";
      out += std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    if (!out.empty()) out += ": ";
    if (!path.empty()) out += path + ": ";
    return out + message;
  }
};

// Either a value or the one error that stopped the load.
template <typename T>
class ConfigResult {
 public:
  ConfigResult(T value) : state_(std::move(value)) {}            // NOLINT: implicit on purpose
  ConfigResult(ConfigError error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<T>(state_); }
  T& value() { return std::get<T>(state_); }
  const ConfigError& error() const { return std::get<ConfigError>(state_); }

 private:
  std::variant<T, ConfigError> state_;
};

}  // namespace wiretime::config

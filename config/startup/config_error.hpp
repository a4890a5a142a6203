// A configuration error with the position it refers to, and the result type the loader
// returns: bad input is reported, never thrown out of the config layer.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wiretime::config {

struct ConfigError {
  std::string file;
  int line = 0;      // 1-based; 0 when the error has no position (e.g. the file is unreadable)
  int column = 0;    // 1-based; 0 when unknown
  std::string path;  // key path such as "interfaces[0].ipv4"; empty for document-level errors
  std::string message;

  // "file:line:column: path: message", omitting the parts that are not known.
  std::string to_string() const;
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

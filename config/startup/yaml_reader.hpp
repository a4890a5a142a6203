// Strict, position-aware reading of a yaml-cpp document: every accessor knows the key path
// and the place in the file it came from, so that any problem becomes one ConfigError that
// names file, line, column and path. Unknown and duplicate keys are errors, because a
// misspelt optional key would otherwise be silently ignored.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/config_error.hpp"
#include "config/ntp_config/yaml_error.hpp"

namespace wiretime::config {

// Thrown only inside the loader and caught at its boundary (load_startup_config_*): unwinding
// is the simplest way to stop at the first error deep inside nested sections.
struct YamlReadFailure {
  ConfigError error;
};

// One value in the document: the node, its key path, and the position errors about it point
// at (the key for mapping values, as an operator looks for the key; the item for sequences).
class YamlField {
 public:
  YamlField(const std::string* file, YAML::Node node, std::string path, YAML::Mark mark)
      : file_(file), node_(std::move(node)), path_(std::move(path)), mark_(mark) {}

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  const YAML::Mark& mark() const { return mark_; }
  const std::string& file() const { return *file_; }
  bool is_null() const { return node_.IsNull(); }

  [[noreturn]] void fail(std::string message) const;

  std::string as_string() const;
  int64_t as_int(int64_t min, int64_t max) const;
  double as_double(double min, double max) const;
  bool as_bool() const;  // `true` or `false`
  std::vector<YamlField> as_sequence() const;

 private:
  const std::string* file_;
  YAML::Node node_;
  std::string path_;
  YAML::Mark mark_;
};

// A mapping with a fixed set of allowed keys. Unknown keys are reported on construction, before
// any "missing key" error, so that a misspelt key is named as such.
class YamlMap {
 public:
  YamlMap(const YamlField& field, std::initializer_list<std::string_view> allowed_keys)
      : YamlMap(field,
                std::span<const std::string_view>(allowed_keys.begin(), allowed_keys.size())) {}
  YamlMap(const YamlField& field, std::span<const std::string_view> allowed_keys);

  std::optional<YamlField> optional(std::string_view key) const;
  YamlField required(std::string_view key) const;
  const YamlField& field() const { return field_; }

 private:
  struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
  };
  YamlField field_;
  std::vector<Entry> entries_;
};

}  // namespace wiretime::config

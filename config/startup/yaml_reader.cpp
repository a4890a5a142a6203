#include "config/startup/yaml_reader.hpp"

#include <charconv>
#include <cmath>

namespace wiretime::config {
namespace {

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

const char* kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "an undefined value";
  }
}

}  // namespace

void YamlField::fail(std::string message) const {
  throw YamlReadFailure{yaml_error(mark_, path_, std::move(message), *file_)};
}

std::string YamlField::as_string() const {
  if (!node_.IsScalar()) fail(std::string("expected a string, found ") + kind_name(node_));
  return node_.Scalar();
}

int64_t YamlField::as_int(int64_t min, int64_t max) const {
  if (!node_.IsScalar()) fail(std::string("expected an integer, found ") + kind_name(node_));
  const std::string& text = node_.Scalar();
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc() && ptr == end && (value < min || value > max))) {
    fail("'" + text + "' is out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  if (ec != std::errc() || ptr != end) fail("'" + text + "' is not an integer");
  return value;
}

bool YamlField::as_bool() const {
  if (!node_.IsScalar()) fail(std::string("expected true or false, found ") + kind_name(node_));
  const std::string& text = node_.Scalar();
  if (text == "true") return true;
  if (text == "false") return false;
  fail("'" + text + "' is not true or false");
}

double YamlField::as_double(double min, double max) const {
  if (!node_.IsScalar()) fail(std::string("expected a number, found ") + kind_name(node_));
  const std::string& text = node_.Scalar();
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    fail("'" + text + "' is not a number");
  }
  if (value < min || value > max) {
    fail("'" + text + "' is out of range " + std::to_string(min) + ".." + std::to_string(max));
  }
  return value;
}

std::vector<YamlField> YamlField::as_sequence() const {
  if (!node_.IsSequence()) fail(std::string("expected a sequence, found ") + kind_name(node_));
  std::vector<YamlField> items;
  size_t i = 0;
  for (const YAML::Node& item : node_) {
    items.emplace_back(file_, item, path_ + "[" + std::to_string(i) + "]", item.Mark());
    ++i;
  }
  return items;
}

YamlMap::YamlMap(const YamlField& field, std::span<const std::string_view> allowed_keys)
    : field_(field) {
  const YAML::Node& node = field.node();
  if (!node.IsMap()) field.fail(std::string("expected a mapping, found ") + kind_name(node));
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      throw YamlReadFailure{
          yaml_error(key.Mark(), field.path(), "keys must be plain strings", field.file())};
    }
    Entry entry{key.Scalar(), key.Mark(), it->second};
    bool allowed = false;
    for (std::string_view name : allowed_keys) allowed = allowed || name == entry.key;
    if (!allowed) {
      std::string expected;
      for (std::string_view name : allowed_keys) {
        expected += (expected.empty() ? "" : ", ") + std::string(name);
      }
      throw YamlReadFailure{yaml_error(entry.key_mark, child_path(field.path(), entry.key),
                                       "unknown key (expected one of: " + expected + ")",
                                       field.file())};
    }
    for (const Entry& seen : entries_) {
      if (seen.key == entry.key) {
        throw YamlReadFailure{yaml_error(entry.key_mark, child_path(field.path(), entry.key),
                                         "duplicate key", field.file())};
      }
    }
    entries_.push_back(std::move(entry));
  }
}

std::optional<YamlField> YamlMap::optional(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) {
      return YamlField(&field_.file(), entry.value, child_path(field_.path(), key), entry.key_mark);
    }
  }
  return std::nullopt;
}

YamlField YamlMap::required(std::string_view key) const {
  auto found = optional(key);
  if (!found) field_.fail("missing required key '" + std::string(key) + "'");
  return *found;
}

}  // namespace wiretime::config

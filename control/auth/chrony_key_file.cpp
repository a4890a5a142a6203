#include "control/auth/chrony_key_file.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "control/auth/key_table.hpp"

namespace wiretime::auth {
namespace {

struct Word {
  std::string_view text;
  int column = 0;
};

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<Word> split_words(std::string_view line) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !is_blank(line[i])) ++i;
    if (i > start) words.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return words;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::vector<uint8_t>> decode_secret(std::string_view text) {
  if (text.starts_with("HEX:")) {
    text.remove_prefix(4);
    if (text.empty() || text.size() % 2 != 0) return std::nullopt;
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < text.size(); i += 2) {
      const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      bytes.push_back(static_cast<uint8_t>(hi * 16 + lo));
    }
    return bytes;
  }
  if (text.starts_with("ASCII:")) text.remove_prefix(6);
  if (text.empty()) return std::nullopt;
  return std::vector<uint8_t>(text.begin(), text.end());
}

}  // namespace

std::string KeyFileDiagnostic::to_string(std::string_view file) const {
  std::string out(file);
  out += ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  return out;
}

KeyFileResult parse_chrony_key_file(std::string_view text) {
  KeyFileResult result;
  std::set<uint32_t> seen;
  int line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;

    const auto words = split_words(line);
    if (words.empty() || std::strchr("!;#%", words[0].text[0]) != nullptr) continue;
    auto diagnose = [&](const Word& at, std::string message) {
      result.diagnostics.push_back({line_number, at.column, std::move(message)});
    };
    if (words.size() < 2 || words.size() > 3) {
      diagnose(words[0], "expected 'ID [TYPE] KEY'");
      continue;
    }
    SymmetricKey key;
    const Word& id = words[0];
    const auto [ptr, ec] = std::from_chars(id.text.data(), id.text.data() + id.text.size(), key.id);
    if (ec != std::errc() || ptr != id.text.data() + id.text.size()) {
      diagnose(id, "key id '" + std::string(id.text) + "' is not a number 1..4294967295");
      continue;
    }
    const Word& secret = words.back();
    if (words.size() == 3) {
      const auto algorithm = mac_algorithm_from_name(words[1].text);
      if (!algorithm || *algorithm == MacAlgorithm::kHmacSha256) {
        diagnose(words[1], "unknown or unsupported key type '" + std::string(words[1].text) + "'");
        continue;
      }
      key.algorithm = *algorithm;
    }
    auto bytes = decode_secret(secret.text);
    if (!bytes) {
      diagnose(secret,
               "cannot decode the key (ASCII text, or HEX: and an even number of hex "
               "digits)");
      continue;
    }
    key.secret = std::move(*bytes);
    if (auto why = validate_key(key); !why.empty()) {
      diagnose(why.starts_with("key id") ? id : secret, why);
      continue;
    }
    if (!seen.insert(key.id).second) {
      diagnose(id, "duplicate key id " + std::to_string(key.id) + " (the first one is used)");
      continue;
    }
    result.keys.push_back(std::move(key));
  }
  return result;
}

KeyFileResult load_chrony_key_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    KeyFileResult r;
    r.diagnostics.push_back({0, 0, std::string("cannot read: ") + std::strerror(errno)});
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_chrony_key_file(text.str());
}

std::string format_chrony_key(const SymmetricKey& key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = std::to_string(key.id) + " " + std::string(to_string(key.algorithm)) + " HEX:";
  for (uint8_t b : key.secret) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace wiretime::auth

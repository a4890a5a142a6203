#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cli/lexer.hpp"

namespace wiretime::cli {

// The five parser errors of VRP (spec section 8.4), each shown under a caret.
enum class ParseErrorKind : uint8_t {
  kUnrecognized,
  kIncomplete,
  kAmbiguous,
  kWrongParameter,
  kTooManyParameters,
};
const char* parse_error_text(ParseErrorKind kind);

struct ParseError {
  ParseErrorKind kind = ParseErrorKind::kUnrecognized;
  int column = 0;  // 0-based column in the command line
};

// How a parameter judges one word: not its shape at all (e.g. not an interface type), its
// shape but a bad value (-> Wrong parameter), or valid with a canonical value.
struct ValueCheck {
  enum class Status : uint8_t { kNoShape, kInvalid, kValid };
  Status status = Status::kInvalid;
  std::string value;
  static ValueCheck valid(std::string v) { return {Status::kValid, std::move(v)}; }
  static ValueCheck invalid() { return {Status::kInvalid, {}}; }
  static ValueCheck no_shape() { return {Status::kNoShape, {}}; }
};
using ValueMatcher = std::function<ValueCheck(std::string_view)>;

// A grammar node. Notation of the spec: keyword, <param>, sequence, { a | b } (choice),
// [ x ] (optional), [ a | b ] * and { a | b } * (option set, each at most once, any order).
struct Syntax {
  enum class Kind : uint8_t { kKeyword, kParam, kSeq, kChoice, kOptional, kOptionSet };
  Kind kind = Kind::kSeq;
  std::string text;  // keyword text, or the parameter's help name (e.g. "INTEGER<1-4>")
  std::string help;
  std::string key;  // capture key; empty: not captured
  ValueMatcher matcher;
  bool at_least_one = false;  // option set written with braces
  std::vector<Syntax> children;
};

Syntax kw(std::string text, std::string help, std::string key = {});
Syntax param(std::string name, std::string help, std::string key, ValueMatcher matcher);
Syntax seq(std::vector<Syntax> children);
Syntax choice(std::vector<Syntax> children);
Syntax opt(Syntax child);
Syntax any_of(std::vector<Syntax> children, bool at_least_one = false);

// A value taken from the line, with where it was, so semantic checks can point a caret.
struct Capture {
  std::string key;
  std::string value;
  int column = 0;
};

struct Match {
  size_t command = 0;
  std::vector<Capture> captures;

  bool has(std::string_view key) const { return find(key) != nullptr; }
  const Capture* find(std::string_view key) const;
  std::string get(std::string_view key, std::string fallback = {}) const;
  int column(std::string_view key) const;
};

struct ParseOutcome {
  std::optional<Match> match;
  ParseError error;
};

struct HelpItem {
  std::string word;  // keyword, parameter name, or "<cr>"
  std::string help;
};

struct HelpOutcome {
  std::vector<HelpItem> items;
  std::optional<ParseError> error;
};

// The commands of one view. Matching runs all commands at once, word by word (keywords by
// case-insensitive unique prefix), and reports the first word at which every reading fails.
class Grammar {
 public:
  size_t add(Syntax syntax);
  size_t size() const { return commands_.size(); }

  ParseOutcome parse(std::string_view line) const;
  // What may follow at the end of `line` (a trailing partial word filters keywords).
  HelpOutcome help(std::string_view line) const;
  // Keywords completing the trailing partial word of `line`.
  std::vector<std::string> complete(std::string_view line) const;

 private:
  std::vector<Syntax> commands_;
};

}  // namespace wiretime::cli

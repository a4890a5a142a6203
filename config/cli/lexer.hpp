#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wiretime::cli {

// One word of a command line: its text (quotes removed) and its 0-based column in the line,
// which is where a caret points.
struct Token {
  std::string text;
  int column = 0;
  bool quoted = false;
  bool unterminated = false;  // opening '"' without a closing one
};

// Splits on blanks; "double quoted" words may hold blanks (VPN names, passwords).
std::vector<Token> tokenize(std::string_view line);

// Column just after the last non-blank character (where a missing word would be expected).
int end_column(std::string_view line);

}  // namespace wiretime::cli

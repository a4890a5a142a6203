#include "config/cli/lexer.hpp"

namespace wiretime::cli {
namespace {
bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
}  // namespace

std::vector<Token> tokenize(std::string_view line) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && blank(line[i])) ++i;
    if (i >= line.size()) break;
    Token token;
    token.column = static_cast<int>(i);
    if (line[i] == '"') {
      token.quoted = true;
      const size_t close = line.find('"', i + 1);
      if (close == std::string_view::npos) {
        token.unterminated = true;
        token.text = std::string(line.substr(i + 1));
        i = line.size();
      } else {
        token.text = std::string(line.substr(i + 1, close - i - 1));
        i = close + 1;
      }
    } else {
      const size_t start = i;
      while (i < line.size() && !blank(line[i])) ++i;
      token.text = std::string(line.substr(start, i - start));
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

int end_column(std::string_view line) {
  size_t end = line.size();
  while (end > 0 && blank(line[end - 1])) --end;
  return static_cast<int>(end);
}

}  // namespace wiretime::cli

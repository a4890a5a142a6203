#include "config/cli/grammar.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace wiretime::cli {

const char* parse_error_text(ParseErrorKind kind) {
  switch (kind) {
    case ParseErrorKind::kUnrecognized:
      return "Error: Unrecognized command found at '^' position.";
    case ParseErrorKind::kIncomplete:
      return "Error: Incomplete command found at '^' position.";
    case ParseErrorKind::kAmbiguous:
      return "Error: Ambiguous command found at '^' position.";
    case ParseErrorKind::kWrongParameter:
      return "Error: Wrong parameter found at '^' position.";
    case ParseErrorKind::kTooManyParameters:
      return "Error: Too many parameters found at '^' position.";
  }
  return "Error: Unrecognized command found at '^' position.";
}

Syntax kw(std::string text, std::string help, std::string key) {
  Syntax s;
  s.kind = Syntax::Kind::kKeyword;
  s.text = std::move(text);
  s.help = std::move(help);
  s.key = std::move(key);
  return s;
}

Syntax param(std::string name, std::string help, std::string key, ValueMatcher matcher) {
  Syntax s;
  s.kind = Syntax::Kind::kParam;
  s.text = std::move(name);
  s.help = std::move(help);
  s.key = std::move(key);
  s.matcher = std::move(matcher);
  return s;
}

Syntax seq(std::vector<Syntax> children) {
  Syntax s;
  s.kind = Syntax::Kind::kSeq;
  s.children = std::move(children);
  return s;
}

Syntax choice(std::vector<Syntax> children) {
  Syntax s;
  s.kind = Syntax::Kind::kChoice;
  s.children = std::move(children);
  return s;
}

Syntax opt(Syntax child) {
  Syntax s;
  s.kind = Syntax::Kind::kOptional;
  s.children.push_back(std::move(child));
  return s;
}

Syntax any_of(std::vector<Syntax> children, bool at_least_one) {
  Syntax s;
  s.kind = Syntax::Kind::kOptionSet;
  s.children = std::move(children);
  s.at_least_one = at_least_one;
  return s;
}

const Capture* Match::find(std::string_view key) const {
  for (const Capture& c : captures) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

std::string Match::get(std::string_view key, std::string fallback) const {
  const Capture* c = find(key);
  return c ? c->value : fallback;
}

int Match::column(std::string_view key) const {
  const Capture* c = find(key);
  return c ? c->column : 0;
}

namespace {

struct Pending {
  const Syntax* node;
  uint64_t used;  // option sets: alternatives already taken
};

struct Thread {
  size_t command = 0;
  std::vector<Pending> stack;  // back() is matched next
  std::vector<Capture> captures;
};

struct Leaf {
  const Syntax* node;
  Thread rest;
  bool duplicate;  // an option-set alternative already used on this line
};

void expand(Thread thread, std::vector<Leaf>& leaves, bool& can_end, bool duplicate) {
  if (thread.stack.empty()) {
    if (!duplicate) can_end = true;
    return;
  }
  const Pending top = thread.stack.back();
  thread.stack.pop_back();
  const Syntax& node = *top.node;
  switch (node.kind) {
    case Syntax::Kind::kKeyword:
    case Syntax::Kind::kParam:
      leaves.push_back({&node, std::move(thread), duplicate});
      return;
    case Syntax::Kind::kSeq:
      for (auto it = node.children.rbegin(); it != node.children.rend(); ++it) {
        thread.stack.push_back({&*it, 0});
      }
      expand(std::move(thread), leaves, can_end, duplicate);
      return;
    case Syntax::Kind::kChoice:
      for (const Syntax& child : node.children) {
        Thread branch = thread;
        branch.stack.push_back({&child, 0});
        expand(std::move(branch), leaves, can_end, duplicate);
      }
      return;
    case Syntax::Kind::kOptional: {
      Thread with = thread;
      with.stack.push_back({&node.children.front(), 0});
      expand(std::move(with), leaves, can_end, duplicate);
      expand(std::move(thread), leaves, can_end, duplicate);
      return;
    }
    case Syntax::Kind::kOptionSet: {
      for (size_t i = 0; i < node.children.size(); ++i) {
        const uint64_t bit = uint64_t{1} << i;
        Thread branch = thread;
        const bool again = (top.used & bit) != 0;
        branch.stack.push_back({&node, top.used | bit});
        branch.stack.push_back({&node.children[i], 0});
        bool ignored = false;
        expand(std::move(branch), leaves, again ? ignored : can_end, duplicate || again);
      }
      if (!node.at_least_one || top.used != 0)
        expand(std::move(thread), leaves, can_end, duplicate);
      return;
    }
  }
}

bool iprefix(std::string_view word, std::string_view keyword) {
  if (word.empty() || word.size() > keyword.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(word[i])) !=
        std::tolower(static_cast<unsigned char>(keyword[i]))) {
      return false;
    }
  }
  return true;
}

// Advances all threads over one word. Returns nullopt on success (threads replaced).
std::optional<ParseErrorKind> step(std::vector<Thread>& threads, const Token& token) {
  std::vector<Leaf> leaves;
  bool can_end = false;
  for (Thread& t : threads) expand(std::move(t), leaves, can_end, false);
  std::vector<Thread> next;

  if (token.unterminated) return ParseErrorKind::kWrongParameter;

  // Keywords first: an exact match beats prefixes; one distinct keyword or ambiguity.
  std::set<std::string> matched;
  bool exact = false;
  if (!token.quoted) {
    for (const Leaf& leaf : leaves) {
      if (leaf.node->kind != Syntax::Kind::kKeyword || !iprefix(token.text, leaf.node->text)) {
        continue;
      }
      if (leaf.node->text.size() == token.text.size()) exact = true;
      matched.insert(leaf.node->text);
    }
  }
  if (exact) {
    std::erase_if(matched, [&](const std::string& k) { return k.size() != token.text.size(); });
  }
  if (matched.size() > 1) return ParseErrorKind::kAmbiguous;
  if (matched.size() == 1) {
    const std::string& keyword = *matched.begin();
    for (Leaf& leaf : leaves) {
      if (leaf.node->kind != Syntax::Kind::kKeyword || leaf.node->text != keyword ||
          leaf.duplicate) {
        continue;
      }
      if (!leaf.node->key.empty()) {
        leaf.rest.captures.push_back({leaf.node->key, keyword, token.column});
      }
      next.push_back(std::move(leaf.rest));
    }
    if (next.empty()) return ParseErrorKind::kWrongParameter;  // repeated option (Q10)
    threads = std::move(next);
    return std::nullopt;
  }

  bool shaped = false;
  bool any_leaf = false;
  for (Leaf& leaf : leaves) {
    if (leaf.duplicate) continue;
    any_leaf = true;
    if (leaf.node->kind != Syntax::Kind::kParam) continue;
    ValueCheck check = leaf.node->matcher(token.text);
    if (check.status == ValueCheck::Status::kNoShape) continue;
    shaped = true;
    if (check.status != ValueCheck::Status::kValid) continue;
    if (!leaf.node->key.empty()) {
      leaf.rest.captures.push_back({leaf.node->key, std::move(check.value), token.column});
    }
    next.push_back(std::move(leaf.rest));
  }
  if (!next.empty()) {
    threads = std::move(next);
    return std::nullopt;
  }
  if (shaped) return ParseErrorKind::kWrongParameter;
  if (any_leaf) return ParseErrorKind::kUnrecognized;
  return can_end ? ParseErrorKind::kTooManyParameters : ParseErrorKind::kUnrecognized;
}

std::vector<Thread> start(const std::vector<Syntax>& commands) {
  std::vector<Thread> threads;
  for (size_t i = 0; i < commands.size(); ++i) {
    Thread t;
    t.command = i;
    t.stack.push_back({&commands[i], 0});
    threads.push_back(std::move(t));
  }
  return threads;
}

}  // namespace

size_t Grammar::add(Syntax syntax) {
  commands_.push_back(std::move(syntax));
  return commands_.size() - 1;
}

ParseOutcome Grammar::parse(std::string_view line) const {
  ParseOutcome outcome;
  const std::vector<Token> tokens = tokenize(line);
  std::vector<Thread> threads = start(commands_);
  for (const Token& token : tokens) {
    if (auto kind = step(threads, token)) {
      outcome.error = {*kind, token.column};
      return outcome;
    }
  }
  // The first command (table order) whose reading is complete.
  std::optional<Thread> done;
  for (Thread& t : threads) {
    std::vector<Leaf> leaves;
    bool can_end = false;
    const size_t command = t.command;
    std::vector<Capture> captures = t.captures;
    expand(std::move(t), leaves, can_end, false);
    if (can_end && (!done || command < done->command)) {
      done = Thread{command, {}, std::move(captures)};
    }
  }
  if (!done) {
    const int end = end_column(line);
    outcome.error = {ParseErrorKind::kIncomplete, tokens.empty() ? 0 : end + 1};
    return outcome;
  }
  outcome.match = Match{done->command, std::move(done->captures)};
  return outcome;
}

HelpOutcome Grammar::help(std::string_view line) const {
  HelpOutcome outcome;
  std::vector<Token> tokens = tokenize(line);
  std::string partial;
  const bool trailing_blank = line.empty() || line.back() == ' ' || line.back() == '\t';
  if (!trailing_blank && !tokens.empty()) {
    partial = tokens.back().text;
    tokens.pop_back();
  }
  std::vector<Thread> threads = start(commands_);
  for (const Token& token : tokens) {
    if (auto kind = step(threads, token)) {
      outcome.error = ParseError{*kind, token.column};
      return outcome;
    }
  }
  std::vector<Leaf> leaves;
  bool can_end = false;
  for (Thread& t : threads) expand(std::move(t), leaves, can_end, false);
  std::map<std::string, std::string> keywords;
  std::map<std::string, std::string> params;
  for (const Leaf& leaf : leaves) {
    if (leaf.duplicate) continue;
    if (leaf.node->kind == Syntax::Kind::kKeyword) {
      if (partial.empty() || iprefix(partial, leaf.node->text)) {
        keywords.emplace(leaf.node->text, leaf.node->help);
      }
    } else if (partial.empty()) {
      params.emplace(leaf.node->text, leaf.node->help);
    }
  }
  for (auto& [word, text] : keywords) outcome.items.push_back({word, text});
  for (auto& [word, text] : params) outcome.items.push_back({word, text});
  if (partial.empty() && can_end) outcome.items.push_back({"<cr>", ""});
  return outcome;
}

std::vector<std::string> Grammar::complete(std::string_view line) const {
  std::vector<std::string> words;
  if (line.empty() || line.back() == ' ' || line.back() == '\t') return words;
  // With a partial word, help lists only the keywords it prefixes.
  for (HelpItem& item : help(line).items) words.push_back(std::move(item.word));
  return words;
}

}  // namespace wiretime::cli

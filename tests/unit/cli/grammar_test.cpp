// The grammar engine itself: keyword abbreviation, the five errors and their caret columns,
// option sets, help and completion.
#include "config/cli/grammar.hpp"

#include <gtest/gtest.h>

#include "config/cli/lexer.hpp"

namespace wiretime::cli {
namespace {

ValueMatcher digits() {
  return [](std::string_view w) {
    for (char c : w) {
      if (c < '0' || c > '9') return ValueCheck::invalid();
    }
    return w.size() <= 2 ? ValueCheck::valid(std::string(w)) : ValueCheck::invalid();
  };
}

Grammar sample() {
  Grammar g;
  g.add(seq({kw("show", "Show"),
             choice({kw("status", "Status", "what"), kw("statistics", "Stats", "what")})}));
  g.add(
      seq({kw("set", "Set"), param("INTEGER<0-99>", "Value", "n", digits()),
           any_of({kw("fast", "Fast", "fast"),
                   seq({kw("port", "Port"), param("INTEGER<0-99>", "Port", "port", digits())})})}));
  g.add(seq({kw("need", "Need one"), any_of({kw("a", "A", "a"), kw("b", "B", "b")}, true)}));
  return g;
}

TEST(Lexer, ColumnsAndQuotes) {
  auto t = tokenize("  ab  \"c d\" e");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].column, 2);
  EXPECT_EQ(t[1].text, "c d");
  EXPECT_TRUE(t[1].quoted);
  EXPECT_EQ(t[1].column, 6);
  EXPECT_EQ(t[2].column, 12);
  EXPECT_TRUE(tokenize("x \"open").back().unterminated);
  EXPECT_EQ(end_column("ab  "), 2);
}

TEST(Grammar, AbbreviationAndCaptures) {
  Grammar g = sample();
  auto r = g.parse("sh stat");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kAmbiguous);
  EXPECT_EQ(r.error.column, 3);
  r = g.parse("SH STATU");
  ASSERT_TRUE(r.match);
  EXPECT_EQ(r.match->get("what"), "status");
  r = g.parse("set 5 p 7 f");
  ASSERT_TRUE(r.match);
  EXPECT_EQ(r.match->get("port"), "7");
  EXPECT_TRUE(r.match->has("fast"));
  EXPECT_EQ(r.match->column("port"), 8);
}

TEST(Grammar, TheFiveErrorsAndTheirCarets) {
  Grammar g = sample();
  auto r = g.parse("shw");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kUnrecognized);
  EXPECT_EQ(r.error.column, 0);
  r = g.parse("set");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kIncomplete);
  EXPECT_EQ(r.error.column, 4);
  r = g.parse("set 100");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kWrongParameter);
  EXPECT_EQ(r.error.column, 4);
  r = g.parse("set 1 fast fast");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kWrongParameter);
  EXPECT_EQ(r.error.column, 11);
  r = g.parse("set 1 bogus");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kUnrecognized);
  EXPECT_EQ(r.error.column, 6);
  r = g.parse("show status extra");
  EXPECT_EQ(r.error.kind, ParseErrorKind::kTooManyParameters);
  EXPECT_EQ(r.error.column, 12);
  r = g.parse("need");  // braces: at least one option
  EXPECT_EQ(r.error.kind, ParseErrorKind::kIncomplete);
  EXPECT_TRUE(g.parse("need b a").match);
}

TEST(Grammar, HelpAndCompletion) {
  Grammar g = sample();
  auto h = g.help("");
  ASSERT_EQ(h.items.size(), 3u);
  EXPECT_EQ(h.items[0].word, "need");
  h = g.help("set 5 ");
  ASSERT_EQ(h.items.size(), 3u);
  EXPECT_EQ(h.items[0].word, "fast");
  EXPECT_EQ(h.items[1].word, "port");
  EXPECT_EQ(h.items[2].word, "<cr>");
  h = g.help("set ");
  ASSERT_EQ(h.items.size(), 1u);
  EXPECT_EQ(h.items[0].word, "INTEGER<0-99>");
  EXPECT_EQ(g.complete("show st"), (std::vector<std::string>{"statistics", "status"}));
  EXPECT_EQ(g.complete("se"), (std::vector<std::string>{"set"}));
  h = g.help("bogus ");
  ASSERT_TRUE(h.error);
  EXPECT_EQ(h.error->kind, ParseErrorKind::kUnrecognized);
}

}  // namespace
}  // namespace wiretime::cli

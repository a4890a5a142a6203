#include "config/startup/ipv4_text.hpp"

#include <gtest/gtest.h>

namespace wiretime::config {
namespace {

TEST(Ipv4Text, ParsesDottedQuad) {
  const auto a = parse_ipv4_address("198.18.0.2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 0xc6120002u);
  EXPECT_EQ(a->to_string(), "198.18.0.2");
  EXPECT_EQ(parse_ipv4_address("0.0.0.0")->value, 0u);
  EXPECT_EQ(parse_ipv4_address("255.255.255.255")->value, 0xffffffffu);
}

TEST(Ipv4Text, RejectsMalformedAddresses) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1..3.4", "1.2.3.4 ",
                          " 1.2.3.4", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24", "1234.1.1.1"}) {
    EXPECT_FALSE(parse_ipv4_address(bad)) << bad;
  }
}

TEST(Ipv4Text, ParsesPrefixAndContains) {
  const auto p = parse_ipv4_prefix("198.18.0.2/24");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->length, 24);
  EXPECT_EQ(p->mask(), 0xffffff00u);
  EXPECT_TRUE(p->contains(*parse_ipv4_address("198.18.0.254")));
  EXPECT_FALSE(p->contains(*parse_ipv4_address("198.18.1.1")));
  EXPECT_EQ(p->to_string(), "198.18.0.2/24");
  EXPECT_EQ(parse_ipv4_prefix("10.0.0.1/0")->mask(), 0u);
  EXPECT_EQ(parse_ipv4_prefix("10.0.0.1/32")->mask(), 0xffffffffu);
}

TEST(Ipv4Text, RejectsMalformedPrefixes) {
  for (const char* bad : {"198.18.0.2", "198.18.0.2/", "198.18.0.2/33", "198.18.0.2/024",
                          "198.18.0.300/24", "198.18.0.2/2 4", "/24"}) {
    EXPECT_FALSE(parse_ipv4_prefix(bad)) << bad;
  }
}

}  // namespace
}  // namespace wiretime::config

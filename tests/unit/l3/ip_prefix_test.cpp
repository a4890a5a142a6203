#include "dataplane/l3/ip_prefix.hpp"

#include <gtest/gtest.h>

#include "dataplane/l3/routing_table.hpp"
#include "tests/unit/l3/l3_test_util.hpp"

namespace wiretime::l3 {
namespace {

using test::prefix;
using test::v4;
using test::v6;

TEST(IpPrefix, ContainsChecksLeadingBitsAndFamily) {
  const IpPrefix p = prefix(v4(198, 18, 0, 2), 23);
  EXPECT_TRUE(p.contains(v4(198, 18, 1, 200)));
  EXPECT_FALSE(p.contains(v4(198, 18, 2, 1)));
  EXPECT_FALSE(p.contains(v6(0, 2)));
  EXPECT_TRUE(prefix(v4(0, 0, 0, 0), 0).contains(v4(9, 9, 9, 9)));
  EXPECT_TRUE(prefix(v6(1, 0), 64).contains(v6(1, 77)));
  EXPECT_FALSE(prefix(v6(1, 0), 64).contains(v6(2, 77)));
  EXPECT_FALSE(prefix(v4(1, 2, 3, 4), 33).valid());
  EXPECT_FALSE(prefix(v4(1, 2, 3, 4), 33).contains(v4(1, 2, 3, 4)));
}

TEST(IpPrefix, NetworkClearsHostBits) {
  EXPECT_EQ(network_of(prefix(v4(198, 18, 1, 77), 23)), prefix(v4(198, 18, 0, 0), 23));
  EXPECT_EQ(network_of(prefix(v6(1, 5), 64)), prefix(v6(1, 0), 64));
}

TEST(IpPrefix, TextFollowsRfc5952) {
  EXPECT_EQ(to_string(v4(198, 18, 0, 1)), "198.18.0.1");
  EXPECT_EQ(to_string(v6(0, 2)), "2001:db8::2");
  EXPECT_EQ(to_string(v6(1, 0)), "2001:db8:1::");
  EXPECT_EQ(to_string(wire::IpAddress::from(wire::Ipv6Address{})), "::");
  EXPECT_EQ(to_string(prefix(v6(0, 2), 64)), "2001:db8::2/64");
}

}  // namespace
}  // namespace wiretime::l3

// compile_access(): the committed `ntp access` levels and the ACLs they name, as the server's
// fixed tables (dataplane/server/access_control.hpp) decide on real addresses.
#include <gtest/gtest.h>

#include "control/daemon/server_publisher.hpp"

namespace wiretime::daemon {
namespace {

using server::AccessClass;
using server::classify_access;

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
wire::IpAddress v6(uint8_t second_word_low, uint8_t last) {
  wire::Ipv6Address a{{0x20, 0x01, 0x0d, second_word_low}};
  a.bytes[15] = last;
  return wire::IpAddress::from(a);
}

config::NtpConfig lab() {
  config::NtpConfig c;
  config::Acl a4{false, "2000", false, {}};
  config::put_rule(a4, {5, false, false, "198.18.0.9", "0.0.0.0", 0});
  config::put_rule(a4, {10, true, false, "198.18.0.77", "0.0.0.255", 0});  // host bits ignored
  c.acls.push_back(a4);
  config::Acl a6{true, "lab", true, {}};
  config::put_rule(a6, {5, true, false, "2001:db8::", "", 32});
  c.acls.push_back(a6);
  config::Acl limited{false, "2001", false, {}};
  config::put_rule(limited, {5, true, false, "198.18.0.66", "0.0.0.0", 0});
  c.acls.push_back(limited);
  c.access[config::AccessLevel::kServer] = {"2000", false, "lab", true};
  c.access[config::AccessLevel::kLimited] = {"2001", false, "", false};
  c.kod_enable = true;
  c.discard_min_interval = 2;
  c.discard_avg_interval = 6;
  return c;
}

TEST(CompileAccess, LevelsAclsAndDiscard) {
  std::vector<std::string> problems;
  const server::AccessTables t = compile_access(lab(), &problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(t.kod_enable, 1);
  EXPECT_EQ(t.min_interval, 2);
  EXPECT_EQ(t.avg_interval, 6);
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 1)).access, AccessClass::kGranted);
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 9)).access, AccessClass::kDenied);
  EXPECT_EQ(classify_access(t, v4(198, 18, 1, 1)).access, AccessClass::kDenied);
  EXPECT_EQ(classify_access(t, v6(0xb8, 1)).access, AccessClass::kGranted);
  EXPECT_EQ(classify_access(t, v6(0xb9, 1)).access, AccessClass::kDenied);
  EXPECT_TRUE(classify_access(t, v4(198, 18, 0, 66)).limited);
  EXPECT_FALSE(classify_access(t, v4(198, 18, 0, 1)).limited);
}

TEST(CompileAccess, MissingAclDeniesAndIsReported) {
  config::NtpConfig c = lab();
  c.acls.erase(c.acls.begin());  // ACL 2000 deleted while `ntp access server 2000` names it
  std::vector<std::string> problems;
  const server::AccessTables t = compile_access(c, &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "ntp access server acl 2000: no such ACL, the level denies");
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 1)).access, AccessClass::kDenied);
}

TEST(CompileAccess, NoAccessConfiguredServesEveryone) {
  const server::AccessTables t = compile_access(config::NtpConfig{});
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 1)).access, AccessClass::kUncontrolled);
  EXPECT_EQ(classify_access(t, v6(0xb8, 1)).access, AccessClass::kUncontrolled);
}

}  // namespace
}  // namespace wiretime::daemon

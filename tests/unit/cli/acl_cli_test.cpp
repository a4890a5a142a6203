// The basic-ACL companion commands (vrp-ntp-cli.md section 12): grammar, views and prompts,
// rule ids, `display current-configuration`, the candidate YAML round trip and the commit
// validation.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "config/cli/session.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"
#include "tests/unit/cli/fake_backend.hpp"

namespace wiretime::cli {
namespace {

class AclCli : public ::testing::Test {
 protected:
  LineResult run(const std::string& line) { return session.execute(line); }
  void ok(const std::string& line) {
    const LineResult r = run(line);
    ASSERT_FALSE(r.failed) << line << "\n" << r.error;
  }
  std::string error(const std::string& line) {
    const LineResult r = run(line);
    EXPECT_TRUE(r.failed) << line;
    return r.error;
  }

  test::FakeBackend backend;
  Session session{backend};
};

TEST_F(AclCli, ViewsPromptsAndGoldenConfiguration) {
  ok("system-view");
  ok("acl number 2000");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-acl4-basic-2000]");
  ok("rule permit source 198.18.0.0 0.0.0.255");  // id 5
  ok("rule 2 deny source 198.18.0.9 0");
  ok("rule permit");  // id 10: no source is any
  ok("quit");
  ok("acl 2001");  // `number` is optional
  EXPECT_EQ(session.prompt(), "[*HUAWEI-acl4-basic-2001]");
  ok("quit");
  ok("acl name web basic");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-acl4-basic-web]");
  ok("rule 7 permit source any");
  ok("quit");
  ok("acl ipv6 number 2000");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-acl6-basic-2000]");
  ok("rule permit source 2001:DB8::/32");
  ok("rule deny source 2001:db8::9 128");
  ok("quit");
  ok("acl ipv6 name v6web");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-acl6-basic-v6web]");
  ok("ntp access server 2000 ipv6 2000");
  EXPECT_EQ(session.prompt(), "[*HUAWEI]");  // a system command leaves the ACL view
  ok("ntp access limited acl-name web");
  ok("ntp kod-enable");
  ok("commit");
  const std::string text = run("display current-configuration").output;
  const std::string expected =
      "#\n"
      "acl number 2000\n"
      " rule 2 deny source 198.18.0.9 0\n"
      " rule 5 permit source 198.18.0.0 0.0.0.255\n"
      " rule 10 permit\n"
      "#\n"
      "acl number 2001\n"
      "#\n"
      "acl name web\n"
      " rule 7 permit\n"
      "#\n"
      "acl ipv6 number 2000\n"
      " rule 5 permit source 2001:db8::/32\n"
      " rule 10 deny source 2001:db8::9/128\n"
      "#\n"
      "acl ipv6 name v6web\n"
      "#\n";
  EXPECT_NE(text.find(expected), std::string::npos) << text;
  EXPECT_NE(text.find("ntp access server 2000 ipv6 2000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("ntp kod-enable\n"), std::string::npos) << text;
}

TEST_F(AclCli, UndoRuleAndAclAndRefusals) {
  ok("system-view");
  ok("acl 2000");
  ok("rule 5 permit source 198.18.0.0 0.0.0.255");
  ok("rule 5 deny source 198.18.0.0 0.0.0.255");  // same id: replaced
  ASSERT_EQ(session.candidate().acls.size(), 1u);
  ASSERT_EQ(session.candidate().acls[0].rules.size(), 1u);
  EXPECT_FALSE(session.candidate().acls[0].rules[0].permit);
  EXPECT_EQ(error("undo rule 6"), "Error: The configuration does not exist.\n");
  ok("undo rule 5");
  EXPECT_TRUE(session.candidate().acls[0].rules.empty());
  ok("rule 4294967294 permit");
  EXPECT_EQ(error("rule permit"),
            "Error: No rule ID can be generated automatically; specify the rule ID.\n");
  ok("quit");
  ok("undo acl number 2000");
  EXPECT_TRUE(session.candidate().acls.empty());
  EXPECT_EQ(error("undo acl 2000"), "Error: The configuration does not exist.\n");
}

TEST_F(AclCli, GrammarErrorsPointAtTheWord) {
  ok("system-view");
  EXPECT_EQ(error("acl 1999"),
            std::string(9 + 4, ' ') + "^\nError: Wrong parameter found at '^' position.\n");
  EXPECT_EQ(error("acl name 9lives"),
            std::string(9 + 9, ' ') + "^\nError: Wrong parameter found at '^' position.\n");
  ok("acl 2000");
  const std::string prompt = session.prompt();
  EXPECT_EQ(error("rule permit source 198.18.0.0"),
            std::string(prompt.size() + 30, ' ') +
                "^\nError: Incomplete command found at '^' position.\n");
  EXPECT_EQ(
      error("rule permit source 2001:db8::/32"),
      std::string(prompt.size() + 19, ' ') + "^\nError: Wrong parameter found at '^' position.\n");
  // The word after `rule` is read as a rule id first.
  EXPECT_EQ(error("rule allow"), std::string(prompt.size() + 5, ' ') +
                                     "^\nError: Wrong parameter found at '^' position.\n");
  ok("quit");
  ok("acl ipv6 2000");
  EXPECT_EQ(error("rule permit source 198.18.0.0 0.0.0.255"),
            std::string(session.prompt().size() + 19, ' ') +
                "^\nError: Wrong parameter found at '^' position.\n");
}

TEST_F(AclCli, RuleLimitIsEnforcedAtEditAndCommit) {
  ok("system-view");
  ok("acl 2000");
  for (int i = 0; i < 64; ++i) ok("rule permit source 198.18.0." + std::to_string(i) + " 0");
  EXPECT_EQ(error("rule permit source 198.18.1.1 0"),
            "Error: The number of rules in the ACL reached the upper limit (64).\n");
  ok("rule 5 deny");  // replacing an existing id is fine
  config::NtpConfig c = session.candidate();
  c.acls[0].rules.push_back({9999, true, true, {}, {}, 0});
  const auto e = config::validate_ntp_config(c, backend.interfaces);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->path, "ntp.acls[0]");
}

TEST_F(AclCli, CandidateYamlRoundTrip) {
  ok("system-view");
  ok("acl 2000");
  ok("rule 5 permit source 198.18.0.0 0.0.0.255");
  ok("rule 10 deny source 198.18.7.0 0.0.255.0");
  ok("rule 15 deny");
  ok("quit");
  ok("acl ipv6 name lab");
  ok("rule 1 permit source 2001:db8::/32");
  ok("rule 2 deny source any");
  ok("quit");
  ok("ntp access peer 2000 ipv6 acl6-name lab");
  const std::string yaml = run("display configuration candidate yaml").output;
  EXPECT_NE(yaml.find("acls:"), std::string::npos) << yaml;
  const auto back = config::ntp_config_from_yaml_text(yaml);
  ASSERT_TRUE(std::holds_alternative<config::NtpConfig>(back))
      << std::get<config::ConfigError>(back).to_string();
  EXPECT_EQ(std::get<config::NtpConfig>(back).acls, session.candidate().acls);
  EXPECT_EQ(std::get<config::NtpConfig>(back), session.candidate());
}

TEST(AclYaml, BadInputNamesThePath) {
  auto error_of = [](const std::string& text) {
    const auto r = config::ntp_config_from_yaml_text(text);
    EXPECT_TRUE(std::holds_alternative<config::ConfigError>(r)) << text;
    return std::holds_alternative<config::ConfigError>(r)
               ? std::get<config::ConfigError>(r).to_string()
               : std::string();
  };
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - number: 1999\n"),
            "3:15: ntp.acls[0].number: '1999' is out of range 2000-2999");
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - number: 2000\n      rules:\n        - id: 5\n"
                     "          action: allow\n"),
            "6:19: ntp.acls[0].rules[0].action: expected permit or deny");
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - number: 2000\n      rules:\n        - id: 5\n"
                     "          action: permit\n          source: 198.18.0.300\n"),
            "7:19: ntp.acls[0].rules[0].source: expected an IPv4 address or any");
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - number: 2000\n      ipv6: true\n      rules:\n"
                     "        - {id: 5, action: permit, source: 2001:db8::/129}\n"),
            "6:43: ntp.acls[0].rules[0].source: expected an IPv6 prefix X:X::X/len or any");
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - {number: 2000}\n    - {number: 2000}\n"),
            "4:7: ntp.acls[1]: duplicate ACL");
  EXPECT_EQ(error_of("ntp:\n  acls:\n    - {number: 2000, colour: red}\n"),
            "3:22: ntp.acls[0].colour: unknown key");
}

}  // namespace
}  // namespace wiretime::cli

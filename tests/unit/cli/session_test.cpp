// Views, prompts, the Y/N/C dialog, candidate handling and display of the candidate.
#include "config/cli/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/ntp_config/refusal.hpp"
#include "tests/unit/cli/fake_backend.hpp"

namespace wiretime::cli {
namespace {

class SessionTest : public ::testing::Test {
 protected:
  LineResult run(const std::string& line) { return session.execute(line); }
  void ok(const std::string& line) {
    const LineResult r = run(line);
    ASSERT_FALSE(r.failed) << line << "\n" << r.error;
  }

  test::FakeBackend backend;
  Session session{backend};
};

TEST_F(SessionTest, PromptsFollowViewsAndUncommittedState) {
  EXPECT_EQ(session.prompt(), "<HUAWEI>");
  EXPECT_EQ(run("system-view").output,
            "Enter system view, return user view with return command.\n");
  EXPECT_EQ(session.prompt(), "[~HUAWEI]");
  ok("ip vpn-instance abc");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-vpn-instance-abc]");
  ok("ipv4-family");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-vpn-instance-abc-af-ipv4]");
  ok("quit");
  ok("quit");
  ok("interface ge1/0/1");
  EXPECT_EQ(session.prompt(), "[*HUAWEI-GE1/0/1]");
  ok("quit");
  ok("sysname EDGE");
  EXPECT_EQ(session.prompt(), "[*HUAWEI]");  // the name changes on commit
  ok("commit");
  EXPECT_EQ(session.prompt(), "[~EDGE]");
  ok("quit");
  EXPECT_EQ(session.prompt(), "<EDGE>");
  ok("system-view immediately");
  EXPECT_EQ(session.prompt(), "[EDGE]");
}

TEST_F(SessionTest, ExitDialogYesNoCancelAndReprompt) {
  ok("system-view");
  ok("ntp unicast-server 10.1.1.1");
  ok("quit");
  EXPECT_TRUE(session.question_pending());
  EXPECT_EQ(session.prompt(),
            "Warning: Uncommitted configurations found, commit them before exiting? "
            "[Y(yes)/N(no)/C(cancel)]:");
  EXPECT_EQ(run("maybe").error,
            "Error: Please choose 'YES', 'NO' or 'CANCEL' first before pressing 'Enter'. "
            "[Y/N/C]:\n");
  EXPECT_TRUE(session.question_pending());
  ok("c");
  EXPECT_EQ(session.prompt(), "[*HUAWEI]");
  ok("return");
  ok("N");
  EXPECT_EQ(session.prompt(), "<HUAWEI>");
  EXPECT_EQ(backend.commits, 0);
  EXPECT_TRUE(session.candidate().unicast_servers.empty());

  ok("system-view");
  ok("ntp unicast-server 10.1.1.1");
  session.ctrl_z();
  ok("yes");
  EXPECT_EQ(session.prompt(), "<HUAWEI>");
  EXPECT_EQ(backend.commits, 1);
  EXPECT_EQ(backend.stored.unicast_servers.size(), 1u);
}

TEST_F(SessionTest, NoDialogWithoutChangesAndQuitLeavesSubViewsOneLevel) {
  ok("system-view");
  ok("interface GE1/0/1");
  ok("quit");
  EXPECT_EQ(session.view().kind, ViewKind::kSystem);
  ok("quit");
  EXPECT_FALSE(session.question_pending());
  EXPECT_EQ(session.view().kind, ViewKind::kUser);
  ok("quit");
  EXPECT_TRUE(session.finished());
}

TEST_F(SessionTest, CommitAddsServerDisableLinesOnceAndRemovesThem) {
  ok("system-view");
  ok("ntp unicast-server 10.1.1.1");
  // Q15: not shown before the commit.
  EXPECT_EQ(run("display configuration candidate").output, "#\nntp unicast-server 10.1.1.1\n#\n");
  ok("commit");
  EXPECT_TRUE(backend.stored.server_disable);
  EXPECT_TRUE(backend.stored.ipv6_server_disable);
  EXPECT_EQ(run("display configuration candidate").output, "");
  ok("undo ntp server disable");
  ok("commit");
  EXPECT_FALSE(backend.stored.server_disable);
  ok("undo ntp unicast-server 10.1.1.1");
  ok("commit");
  EXPECT_FALSE(backend.stored.ipv6_server_disable);
  EXPECT_FALSE(backend.stored.has_ntp_settings());
}

TEST_F(SessionTest, ExplicitUndoInTheFirstCommitIsKept) {
  ok("system-view");
  ok("undo ntp ipv6 server disable");
  ok("ntp unicast-server 10.1.1.1");
  ok("commit");
  EXPECT_TRUE(backend.stored.server_disable);
  EXPECT_FALSE(backend.stored.ipv6_server_disable);
}

TEST_F(SessionTest, ReenteringAServerReplacesItsOptions) {
  ok("system-view");
  ok("ntp unicast-server 10.1.1.1 iburst maxpoll 12 version 4");
  ok("ntp unicast-server 10.1.1.1 burst");
  ASSERT_EQ(session.candidate().unicast_servers.size(), 1u);
  const auto& s = session.candidate().unicast_servers[0];
  EXPECT_TRUE(s.burst);
  EXPECT_FALSE(s.iburst);
  EXPECT_EQ(s.maxpoll, 10);
  EXPECT_EQ(s.version, 3);
  ok("ip vpn-instance abc");
  ok("ipv4-family");
  ok("quit");
  ok("quit");
  ok("ntp unicast-server 10.1.1.1 vpn-instance abc");  // same address, other VPN: new entry
  EXPECT_EQ(session.candidate().unicast_servers.size(), 2u);
  ok("undo ntp unicast-server 10.1.1.1 vpn-instance abc");
  EXPECT_EQ(session.candidate().unicast_servers.size(), 1u);
}

TEST_F(SessionTest, ClearCandidateDiscardsAndReturnsToSystemView) {
  ok("system-view");
  ok("ntp max-distance 4");
  ok("interface GE1/0/1");
  ok("clear configuration candidate");
  EXPECT_EQ(session.prompt(), "[~HUAWEI]");
  EXPECT_EQ(session.candidate(), backend.stored);
}

TEST_F(SessionTest, CascadesWhenVpnOrFamilyGoes) {
  ok("system-view");
  ok("ip vpn-instance abc");
  ok("ipv4-family");
  ok("quit");
  ok("ipv6-family");
  ok("quit");
  ok("quit");
  ok("ntp unicast-server 10.1.1.1 vpn-instance abc");
  ok("ntp unicast-server ipv6 2001:db8::1 vpn-instance abc");
  ok("ntp source-interface GE1/0/1 vpn-instance abc");
  ok("ip vpn-instance abc");
  ok("undo ipv6-family");
  ok("quit");
  EXPECT_EQ(session.candidate().unicast_servers.size(), 1u);
  ok("undo ip vpn-instance abc");
  EXPECT_TRUE(session.candidate().unicast_servers.empty());
  EXPECT_TRUE(session.candidate().source_interfaces.empty());
}

TEST_F(SessionTest, InterfaceCommandsAndBindingClearsAddresses) {
  ok("system-view");
  ok("ip vpn-instance abc");
  ok("ipv4-family");
  ok("quit");
  ok("quit");
  ok("interface GE1/0/1.100");
  ok("dot1q termination vid 100");
  ok("ip address 10.1.1.1 255.255.255.0");
  ok("ip address 10.1.2.1 24 sub");
  ok("ipv6 enable");
  ok("ipv6 address 2001:db8::1/64");
  ok("ipv6 address 2001:db8:1::1 64");
  const auto* s = session.candidate().find_interface("GE1/0/1.100");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->ipv4.size(), 2u);
  EXPECT_EQ(s->ipv6.size(), 2u);
  EXPECT_EQ(run("display configuration candidate").output,
            "#\nip vpn-instance abc\n ipv4-family\n#\ninterface GE1/0/1.100\n"
            " dot1q termination vid 100\n ip address 10.1.1.1 255.255.255.0\n"
            " ip address 10.1.2.1 255.255.255.0 sub\n ipv6 enable\n ipv6 address 2001:db8::1/64\n"
            " ipv6 address 2001:db8:1::1/64\n#\n");
  ok("ip binding vpn-instance abc");
  s = session.candidate().find_interface("GE1/0/1.100");
  EXPECT_TRUE(s->ipv4.empty());
  ok("undo ipv6 enable");
  EXPECT_FALSE(session.candidate().find_interface("GE1/0/1.100")->ipv6_enable);
  // A system-view command in a sub-view runs and leaves the sub-view.
  ok("ntp max-distance 2");
  EXPECT_EQ(session.view().kind, ViewKind::kSystem);
  ok("interface GE1/0/2");
  EXPECT_TRUE(run("dot1q termination vid 5").failed);  // not a sub-interface
}

TEST_F(SessionTest, HelpAndCompletion) {
  ok("system-view");
  const std::string help = session.help("ntp unicast-server 10.1.1.1 ver");
  EXPECT_EQ(help, "  version                   NTP version\n");
  EXPECT_NE(session.help("ntp ").find("  unicast-server"), std::string::npos);
  EXPECT_NE(session.help("ntp unicast-server 10.1.1.1 version ").find("INTEGER<1-4>"),
            std::string::npos);
  EXPECT_EQ(session.complete("ntp unic"),
            (std::vector<std::string>{"unicast-peer", "unicast-server"}));
  EXPECT_EQ(session.complete("ntp unicast-s"), (std::vector<std::string>{"unicast-server"}));
  EXPECT_EQ(run("ntp unsync ?").output,
            "  max-poll-interval         Maximum poll interval while unsynchronized\n");
}

TEST_F(SessionTest, ImmediateModeCommitsEveryLine) {
  ok("system-view immediately");
  ok("ntp unicast-server 10.1.1.1");
  EXPECT_EQ(backend.commits, 1);
  EXPECT_EQ(backend.stored.unicast_servers.size(), 1u);
  EXPECT_TRUE(backend.stored.server_disable);
  ok("return");
  EXPECT_FALSE(session.question_pending());
}

TEST_F(SessionTest, FailedCommitKeepsCandidateAndRunning) {
  ok("system-view");
  ok("ntp max-distance 3");
  backend.fail_next = "locked by another session";
  const LineResult r = run("commit");
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error, "Error: Failed to commit the configuration. locked by another session\n");
  EXPECT_EQ(session.candidate().max_distance, 3);
  EXPECT_EQ(backend.stored.max_distance, 1);
  EXPECT_EQ(session.prompt(), "[*HUAWEI]");
}

TEST_F(SessionTest, ListenAllAsksForConfirmation) {
  ok("system-view");
  ok("ntp server source-interface all enable");
  EXPECT_EQ(session.prompt(),
            "Warning: NTP IPv4 server listening all interface will be enabled. Continue? [Y/N]:");
  ok("n");
  EXPECT_FALSE(session.candidate().server_listen_all);
  ok("ntp ipv6 server source-interface all enable");
  EXPECT_NE(session.prompt().find("IPv6"), std::string::npos);
  ok("y");
  EXPECT_TRUE(session.candidate().ipv6_server_listen_all);
}

TEST_F(SessionTest, DisplayCurrentConfigurationFilters) {
  ok("system-view");
  ok("ntp authentication-keyid 42 authentication-mode hmac-sha256 Secret");
  ok("ntp trusted authentication-keyid 42");
  ok("ntp unicast-server 2.2.2.2 authentication-keyid 42");
  ok("ntp authentication enable");
  ok("ntp server source-interface 100ge 1/0/1");
  ok("commit");
  const std::string all = run("display current-configuration").output;
  EXPECT_EQ(all.substr(0, 17), "#\nsysname HUAWEI\n");
  const std::string ntp = run("dis cu | include ntp").output;
  // Fixed order of Q18; key shown as cipher; interface name canonical.
  const std::string expected_tail =
      "ntp trusted authentication-keyid 42\n"
      "ntp unicast-server 2.2.2.2 authentication-keyid 42\n"
      "ntp authentication enable\n"
      "ntp server source-interface 100GE1/0/1\n";
  EXPECT_EQ(ntp.substr(0, 43), "ntp server disable\nntp ipv6 server disable\n");
  EXPECT_NE(ntp.find("ntp authentication-keyid 42 authentication-mode hmac-sha256 cipher %+%#"),
            std::string::npos);
  EXPECT_EQ(ntp.substr(ntp.size() - expected_tail.size()), expected_tail);
  EXPECT_EQ(ntp.find("Secret"), std::string::npos);
  EXPECT_EQ(run("dis cu | exclude ntp").output.find("ntp"), std::string::npos);
}

TEST_F(SessionTest, CipherLineFromDisplayIsAcceptedBack) {
  ok("system-view");
  ok("ntp authentication-keyid 7 authentication-mode md5 pw7");
  ok("commit");
  const std::string ntp = run("dis cu | include authentication-keyid").output;
  const std::string line = ntp.substr(0, ntp.find('\n'));
  ok("undo ntp authentication-keyid 7");
  ok(line);
  EXPECT_EQ(session.candidate().keys.at(7).secret, "pw7");
}

// `reset ntp statistics packet [ ipv6 ]` belongs to the user view and needs a live daemon.
TEST_F(SessionTest, ResetStatisticsIsAUserViewCommandRefusedOffline) {
  const LineResult offline = run("reset ntp statistics packet");
  EXPECT_TRUE(offline.failed);
  EXPECT_EQ(
      offline.error,
      "Error: " + std::string(config::refusal_text(config::Refusal::kNotAvailableOffline)) + "\n");
  struct Resetting : test::FakeBackend {
    std::vector<std::string> resets;
    CommitResult reset(std::string_view what) override {
      resets.emplace_back(what);
      return {true, {}};
    }
  } live;
  Session s(live);
  EXPECT_FALSE(s.execute("reset ntp statistics packet").failed);
  EXPECT_FALSE(s.execute("reset ntp statistics packet ipv6").failed);
  EXPECT_EQ(live.resets, (std::vector<std::string>{"statistics", "statistics ipv6"}));
  s.execute("system-view");
  EXPECT_TRUE(s.execute("reset ntp statistics packet").failed);  // not a system-view command
  EXPECT_EQ(live.resets.size(), 2u);
}

// `display ntp event clock-unsync` asks the live daemon by that name and prints its answer.
TEST_F(SessionTest, ClockUnsyncEventDisplayAsksTheDaemonByName) {
  struct Displaying : test::FakeBackend {
    std::vector<std::string> asked;
    std::optional<std::string> display(std::string_view what) override {
      asked.emplace_back(what);
      return std::string(" No clock unsynchronization event.\n");
    }
  } live;
  Session s(live);
  const LineResult r = s.execute("display ntp event clock-unsync");
  EXPECT_FALSE(r.failed);
  EXPECT_EQ(r.output, " No clock unsynchronization event.\n");
  EXPECT_FALSE(s.execute("dis ntp ev clock-unsync").failed);  // abbreviations as VRP
  EXPECT_EQ(live.asked, (std::vector<std::string>{"event clock-unsync", "event clock-unsync"}));
  EXPECT_TRUE(s.execute("display ntp event").failed);  // incomplete
  EXPECT_EQ(live.asked.size(), 2u);
}

// `display ntp statistics packet` with the command reference's interface and peer forms: the
// daemon is asked with canonical words (render_scoped_packet_statistics reads them).
TEST_F(SessionTest, PacketStatisticsInterfaceAndPeerForms) {
  struct Displaying : test::FakeBackend {
    std::vector<std::string> asked;
    std::optional<std::string> display(std::string_view what) override {
      asked.emplace_back(what);
      return std::string();
    }
  } live;
  Session s(live);
  for (const char* line :
       {"display ntp statistics packet interface GE1/0/1",
        "display ntp statistics packet ipv6 interface 100ge 1/0/1",
        "display ntp statistics packet interface all", "display ntp statistics packet peer",
        "display ntp statistics packet peer 198.18.0.1",
        "display ntp statistics packet peer 198.18.0.1 vpn-instance red",
        "display ntp statistics packet peer ipv6 2001:DB8:0::1",
        "display ntp statistics packet peer ipv6",
        "display ntp statistics packet peer domain ntp.example vpn-instance v"}) {
    EXPECT_FALSE(s.execute(line).failed) << line;
  }
  EXPECT_EQ(live.asked, (std::vector<std::string>{
                            "statistics interface GE1/0/1",
                            "statistics ipv6 interface 100GE1/0/1",
                            "statistics interface all",
                            "statistics peer",
                            "statistics peer 198.18.0.1",
                            "statistics peer 198.18.0.1 vpn-instance red",
                            "statistics peer ipv6 2001:db8::1",
                            "statistics peer ipv6",
                            "statistics peer domain ntp.example vpn-instance v",
                        }));
  // Not the command reference's forms: nothing is asked.
  for (const char* line : {"display ntp statistics packet peer 2001:db8::1",
                           "display ntp statistics packet ipv6 peer 198.18.0.1",
                           "display ntp statistics packet interface",
                           "display ntp statistics packet peer 198.18.0.1 vpn-instance"}) {
    EXPECT_TRUE(s.execute(line).failed) << line;
  }
  EXPECT_EQ(live.asked.size(), 9u);
}

}  // namespace

}  // namespace wiretime::cli

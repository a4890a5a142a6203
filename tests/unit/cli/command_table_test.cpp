// Every command of spec sections 2-6 and 12 typed into a session: accepted forms, range edges,
// each caret error with its column, semantic refusals. A refused line never changes the
// candidate.
#include <gtest/gtest.h>

#include <string>

#include "config/cli/session.hpp"
#include "config/ntp_config/refusal.hpp"
#include "tests/unit/cli/fake_backend.hpp"

namespace wiretime::cli {
namespace {

using config::Refusal;

// Expected reaction. For caret errors, `at` names the word the caret points at (its last
// occurrence in the line); "$" is the position after the line (Incomplete).
struct Row {
  const char* line;
  char kind;  // 0 accepted, 'U','I','A','W','T' caret errors, 'E' refusal
  const char* at = "";
  Refusal refusal = Refusal::kConfigNotExist;
};

std::ostream& operator<<(std::ostream& os, const Row& row) {
  return os << row.line;
}

class CommandTable : public ::testing::TestWithParam<Row> {
 protected:
  void SetUp() override {
    session = std::make_unique<Session>(backend);
    for (const char* line :
         {"system-view",
          "ip vpn-instance abc",
          "ipv4-family",
          "quit",
          "ipv6-family",
          "quit",
          "quit",
          "ip vpn-instance v4only",
          "ipv4-family",
          "quit",
          "quit",
          "interface GE1/0/1",
          "ipv6 enable",
          "ip address 10.0.0.1 24",
          "quit",
          "interface 100GE1/0/1",
          "ip binding vpn-instance abc",
          "ipv6 enable",
          "quit",
          "ntp authentication-keyid 42 authentication-mode hmac-sha256 Secret42"}) {
      const LineResult r = session->execute(line);
      ASSERT_FALSE(r.failed) << line << "\n" << r.error;
    }
    ASSERT_EQ(session->view().kind, ViewKind::kSystem);
  }

  test::FakeBackend backend;
  std::unique_ptr<Session> session;
};

TEST_P(CommandTable, AcceptedOrRefusedExactly) {
  const Row& row = GetParam();
  const std::string line = row.line;
  const config::NtpConfig before = session->candidate();
  const std::string prompt = session->prompt();
  const LineResult r = session->execute(line);
  if (row.kind == 0) {
    EXPECT_FALSE(r.failed) << r.error;
    EXPECT_TRUE(r.error.empty()) << r.error;
    return;
  }
  ASSERT_TRUE(r.failed) << "accepted: " << line;
  EXPECT_EQ(session->candidate(), before) << "a refused line changed the candidate";
  if (row.kind == 'E') {
    EXPECT_EQ(r.error, std::string("Error: ") + config::refusal_text(row.refusal) + "\n");
    return;
  }
  const size_t newline = r.error.find('\n');
  ASSERT_NE(newline, std::string::npos) << r.error;
  const std::string caret_line = r.error.substr(0, newline);
  const std::string message = r.error.substr(newline + 1);
  ASSERT_EQ(caret_line.back(), '^') << r.error;
  const int column = static_cast<int>(caret_line.size() - 1 - prompt.size());
  const std::string at = row.at;
  const int expected =
      at == "$" ? static_cast<int>(line.size()) + 1 : static_cast<int>(line.rfind(at));
  EXPECT_EQ(column, expected) << r.error;
  const char* text = "";
  switch (row.kind) {
    case 'U':
      text = "Error: Unrecognized command found at '^' position.\n";
      break;
    case 'I':
      text = "Error: Incomplete command found at '^' position.\n";
      break;
    case 'A':
      text = "Error: Ambiguous command found at '^' position.\n";
      break;
    case 'W':
      text = "Error: Wrong parameter found at '^' position.\n";
      break;
    case 'T':
      text = "Error: Too many parameters found at '^' position.\n";
      break;
  }
  EXPECT_EQ(message, text);
}

// §2 ntp unsync max-poll-interval
INSTANTIATE_TEST_SUITE_P(
    Unsync, CommandTable,
    ::testing::Values(Row{"ntp unsync max-poll-interval 7 dec-step 6", 0},
                      Row{"ntp unsync max-poll-interval 6 dec-step 1", 0},
                      Row{"ntp unsync max-poll-interval 10 dec-step 6", 0},
                      Row{"ntp unsync max-poll-interval 10 dec-step 5", 'W', "5"},
                      Row{"ntp unsync max-poll-interval 5 dec-step 1", 'W', "5"},
                      Row{"ntp unsync max-poll-interval 11 dec-step 1", 'W', "11"},
                      Row{"ntp unsync max-poll-interval 7 dec-step 0", 'W', "0"},
                      Row{"ntp unsync max-poll-interval 7 dec-step 7", 'W', "7"},
                      Row{"ntp unsync max-poll-interval x dec-step 6", 'W', "x"},
                      Row{"ntp unsync max-poll-interval 7", 'I', "$"},
                      Row{"ntp unsync max-poll-interval 7 dec-step", 'I', "$"},
                      Row{"ntp unsync max-poll-interval 7 dec-step 6 9", 'T', "9"},
                      Row{"undo ntp unsync max-poll-interval", 0},
                      Row{"undo ntp unsync max-poll-interval 7", 'T', "7"},
                      Row{"nt uns max 7 dec 6", 0}));

// §3 ntp [ipv6] source-interface
INSTANTIATE_TEST_SUITE_P(
    SourceInterface, CommandTable,
    ::testing::Values(Row{"ntp source-interface GE1/0/1", 0},
                      Row{"ntp source-interface ge 1/0/1", 0},
                      Row{"ntp source-interface 100ge 1/0/1 vpn-instance abc", 0},
                      Row{"ntp ipv6 source-interface GE1/0/1", 0},
                      Row{"ntp ipv6 source-interface 100GE1/0/1 vpn-instance abc", 0},
                      Row{"ntp source-interface GE9/9/9", 'E', "", Refusal::kInterfaceNotExist},
                      Row{"ntp source-interface GE1/0/1 vpn-instance nope", 'E', "",
                          Refusal::kVpnNotExist},
                      Row{"ntp ipv6 source-interface GE1/0/1 vpn-instance v4only", 'E', "",
                          Refusal::kVpnFamilyNotEnabled},
                      Row{"ntp ipv6 source-interface GE1/0/2", 'E', "", Refusal::kIpv6NotEnabled},
                      Row{"ntp source-interface GE1/0/1 vpn-instance _public_", 'W', "_public_"},
                      Row{"ntp source-interface GE1/0/1 vpn-instance "
                          "a2345678901234567890123456789012",
                          'W', "a2345678901234567890123456789012"},
                      Row{"ntp source-interface", 'I', "$"},
                      Row{"ntp source-interface GE1/0/1 vpn-instance", 'I', "$"},
                      Row{"ntp source-interface GE1/0/1 foo", 'U', "foo"},
                      Row{"undo ntp source-interface", 'E', "", Refusal::kConfigNotExist},
                      Row{"undo ntp source-interface GE1/0/1", 'U', "GE1/0/1"}));

// §4 ntp unicast-server
INSTANTIATE_TEST_SUITE_P(
    UnicastServer, CommandTable,
    ::testing::Values(
        Row{"ntp unicast-server 10.10.1.1 version 3", 0},
        Row{"ntp unicast-server 10.10.1.1 version 3 port 5000", 0},
        Row{"ntp unicast-server 1.1.1.1 burst iburst maxpoll 11 minpoll 4 preempt", 0},
        Row{"ntp unicast-server ipv6 2001:db8::1", 0},
        Row{"ntp unicast-server domain www.example.com", 0},
        Row{"ntp unicast-server www.example.com version 2", 0},  // Q1 bare domain
        Row{"ntp unicast-server 10.10.1.1 vpn-instance abc", 0},
        Row{"ntp unicast-server 10.1.1.1 preempt iburst burst minpoll 3 maxpoll 17 preferred "
            "vpn-instance abc source-interface 100GE1/0/1 port 65535 authentication-keyid "
            "4294967295 version 1",
            0},
        Row{"ntp unicast-server 10.1.1.1 version 1", 0},
        Row{"ntp unicast-server 10.1.1.1 version 4", 0},
        Row{"ntp unicast-server 10.1.1.1 version 0", 'W', "0"},
        Row{"ntp unicast-server 10.1.1.1 version 5", 'W', "5"},
        Row{"ntp unicast-server 10.1.1.1 port 123", 0},
        Row{"ntp unicast-server 10.1.1.1 port 1025", 0},
        Row{"ntp unicast-server 10.1.1.1 port 122", 'W', "122"},
        Row{"ntp unicast-server 10.1.1.1 port 124", 'W', "124"},
        Row{"ntp unicast-server 10.1.1.1 port 1024", 'W', "1024"},
        Row{"ntp unicast-server 10.1.1.1 port 65536", 'W', "65536"},
        Row{"ntp unicast-server 10.1.1.1 maxpoll 10", 0},
        Row{"ntp unicast-server 10.1.1.1 maxpoll 9", 'W', "9"},
        Row{"ntp unicast-server 10.1.1.1 maxpoll 18", 'W', "18"},
        Row{"ntp unicast-server 10.1.1.1 minpoll 6", 0},
        Row{"ntp unicast-server 10.1.1.1 minpoll 2", 'W', "2"},
        Row{"ntp unicast-server 10.1.1.1 minpoll 7", 'W', "7"},
        Row{"ntp unicast-server 10.1.1.1 authentication-keyid 1", 0},
        Row{"ntp unicast-server 10.1.1.1 authentication-keyid 0", 'W', "0"},
        Row{"ntp unicast-server 10.1.1.1 authentication-keyid 4294967296", 'W', "4294967296"},
        Row{"ntp unicast-server 10.1.1.1 version 4 authentication-keyid 65535", 0},
        Row{"ntp unicast-server 10.1.1.1 version 4 authentication-keyid 65536", 'W', "65536"},
        Row{"ntp unicast-server 10.1.1.1 authentication-keyid 65536 version 4", 'W', "4"},
        Row{"ntp unicast-server ipv6 2001:db8::1 authentication-keyid 65535", 0},
        Row{"ntp unicast-server ipv6 2001:db8::1 authentication-keyid 65536", 'W', "65536"},
        Row{"ntp unicast-server ipv6 2001:db8::1 version 4", 'U', "version"},
        Row{"ntp unicast-server 10.1.1.1 version", 'I', "$"},
        Row{"ntp unicast-server 10.1.1.1 port", 'I', "$"}, Row{"ntp unicast-server", 'I', "$"},
        Row{"ntp unicast-server ipv6", 'I', "$"},
        Row{"ntp unicast-server 10.1.1.1 burst burst", 'W', "burst"},
        Row{"ntp unicast-server 10.1.1.1 version 3 version 3", 'W', "version"},
        Row{"ntp unicast-server 10.1.1.1 garbage", 'U', "garbage"},
        Row{"ntp unicast-server 10.1.1.1 p 5000", 'A', "p"},
        Row{"ntp unicast-server 10.1.1.1 po 5000 pree", 0},
        Row{"ntp unicast-server 1.2.3.256", 'W', "1.2.3.256"},
        Row{"ntp unicast-server 224.0.0.1", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server 255.255.255.255", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server 127.127.1.0", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server 0.0.0.0", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server 240.1.1.1", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server 10.0.0.255", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server ipv6 ff02::1", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server ipv6 ::1", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server ipv6 ::", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server ipv6 ::ffff:10.1.1.1", 'E', "", Refusal::kInvalidAddress},
        Row{"ntp unicast-server ipv6 fe80::1", 'E', "", Refusal::kLinkLocalNeedsInterface},
        Row{"ntp unicast-server ipv6 fe80::1 source-interface GE1/0/1", 0},
        Row{"ntp unicast-server ipv6 2001:db8::1 source-interface GE1/0/2", 'E', "",
            Refusal::kIpv6NotEnabled},
        Row{"ntp unicast-server ipv6 zz::1", 'W', "zz::1"},
        Row{"ntp unicast-server 10.1.1.1 vpn-instance nope", 'E', "", Refusal::kVpnNotExist},
        Row{"ntp unicast-server ipv6 2001:db8::1 vpn-instance v4only", 'E', "",
            Refusal::kVpnFamilyNotEnabled},
        Row{"ntp unicast-server 10.1.1.1 source-interface GE9/0/1", 'E', "",
            Refusal::kInterfaceNotExist},
        Row{"ntp unicast-server 10.1.1.1 source-interface GE1/0/1 vpn-instance abc", 'E', "",
            Refusal::kInterfaceNotInVpn},
        Row{"ntp unicast-server 10.1.1.1 authentication-keyid 99", 0},  // Q21
        Row{"ntp unicast-server bad_name!", 'W', "bad_name!"},
        Row{"undo ntp unicast-server 10.1.1.1", 'E', "", Refusal::kConfigNotExist},
        Row{"undo ntp unicast-server 10.1.1.1 version 3", 'U', "version"},
        Row{"undo ntp unicast-server ipv6 2001:db8::1 vpn-instance abc", 'E', "",
            Refusal::kConfigNotExist}));

// §6.12 ntp unicast-peer
INSTANTIATE_TEST_SUITE_P(
    UnicastPeer, CommandTable,
    ::testing::Values(Row{"ntp unicast-peer 10.1.1.9 version 4 maxpoll 12 minpoll 3 preempt", 0},
                      Row{"ntp unicast-peer ipv6 2001:db8::9 preferred", 0},
                      Row{"ntp unicast-peer 10.1.1.9 burst", 'U', "burst"},
                      Row{"ntp unicast-peer 10.1.1.9 iburst", 'U', "iburst"},
                      Row{"ntp unicast-peer 10.1.1.9 port 1000", 'W', "1000"},
                      Row{"undo ntp unicast-peer 10.1.1.9", 'E', "", Refusal::kConfigNotExist}));

// §6.1 - §6.3 authentication
INSTANTIATE_TEST_SUITE_P(
    Authentication, CommandTable,
    ::testing::Values(
        Row{"ntp authentication-keyid 1 authentication-mode md5 abc", 0},
        Row{"ntp authentication-keyid 4294967295 authentication-mode hmac-sha256 x", 0},
        Row{"ntp authentication-keyid 2 authentication-mode hmac-sha256 \"with spaces\"", 0},
        Row{"ntp authentication-keyid 3 authentication-mode aes-128-cmac 0123456789abcdef", 0},
        Row{"ntp authentication-keyid 3 authentication-mode aes-128-cmac 0123456789abcde", 'W',
            "0123456789abcde"},
        Row{"ntp authentication-keyid 4 authentication-mode aes-256-cmac "
            "0123456789abcdef0123456789abcdef",
            0},
        Row{"ntp authentication-keyid 4 authentication-mode aes-256-cmac 0123456789abcdef", 'W',
            "0123456789abcdef"},
        Row{"ntp authentication-keyid 5 authentication-mode md5 cipher %+%#notacipher%+%#zzzz", 'W',
            "%+%#notacipher%+%#zzzz"},
        Row{"ntp authentication-keyid 0 authentication-mode md5 abc", 'W', "0"},
        Row{"ntp authentication-keyid 6 authentication-mode sha1 abc", 'U', "sha1"},
        Row{"ntp authentication-keyid 6 authentication-mode md5", 'I', "$"},
        Row{"ntp authentication-keyid 6 authentication-mode md5 a b", 'T', "b"},
        Row{"ntp authentication-keyid 6 authentication-mode md5 \"unterminated", 'W',
            "\"unterminated"},
        Row{"undo ntp authentication-keyid 42", 0},
        Row{"undo ntp authentication-keyid 43", 'E', "", Refusal::kConfigNotExist},
        Row{"ntp authentication enable", 0}, Row{"undo ntp authentication enable", 0},
        Row{"ntp authentication", 'I', "$"}, Row{"ntp trusted authentication-keyid 42", 0},
        Row{"ntp trusted authentication-keyid 43", 'E', "", Refusal::kKeyNotExist},
        Row{"undo ntp trusted authentication-keyid 42", 'E', "", Refusal::kConfigNotExist}));

// §6.4 - §6.11
INSTANTIATE_TEST_SUITE_P(
    ServerAndKnobs, CommandTable,
    ::testing::Values(
        Row{"ntp server disable", 0}, Row{"ntp ipv6 server disable", 0},
        Row{"undo ntp server disable", 0}, Row{"undo ntp ipv6 server disable", 0},
        Row{"ntp server source-interface GE1/0/1", 0},
        Row{"ntp server source-interface Vlanif 100", 0},
        Row{"ntp server source-interface GE7/0/1", 'E', "", Refusal::kInterfaceNotExist},
        Row{"undo ntp server source-interface GE1/0/1", 'E', "", Refusal::kConfigNotExist},
        Row{"ntp ipv6 server source-address 2001:db8::5 vpn-instance abc", 0},
        Row{"ntp ipv6 server source-address 2001:db8::5 vpn-instance v4only", 'E', "",
            Refusal::kVpnFamilyNotEnabled},
        Row{"ntp server source-interface all disable", 0},
        Row{"undo ntp ipv6 server source-interface all", 0},
        Row{"ntp server source-interface all", 'I', "$"},
        Row{"ntp server physic-isolate source-interface GE1/0/1 source-address 10.0.0.1", 0},
        Row{"ntp ipv6 server physic-isolate source-interface GE1/0/1 source-address 2001:db8::1",
            0},
        Row{"ntp server physic-isolate source-interface GE1/0/1 source-address 2001:db8::1", 'W',
            "2001:db8::1"},
        Row{"ntp refclock-master", 0}, Row{"ntp refclock-master 5", 0},
        Row{"ntp refclock-master 127.127.1.0 15", 0}, Row{"ntp refclock-master 16", 'W', "16"},
        Row{"ntp refclock-master 0", 'W', "0"},
        Row{"ntp refclock-master 127.127.38.0", 'W', "127.127.38.0"},
        Row{"ntp refclock-master 127.127.1.4", 'W', "127.127.1.4"},
        Row{"undo ntp refclock-master", 'E', "", Refusal::kConfigNotExist},
        Row{"ntp max-distance 1", 0}, Row{"ntp max-distance 16", 0},
        Row{"ntp max-distance 0", 'W', "0"}, Row{"ntp max-distance 17", 'W', "17"},
        Row{"undo ntp max-distance", 0}, Row{"ntp discard min-interval 1 avg-interval 8", 0},
        Row{"ntp discard avg-interval 3", 0}, Row{"ntp discard", 'I', "$"},
        Row{"ntp discard min-interval 9", 'W', "9"},
        Row{"ntp discard min-interval 2 min-interval 3", 'W', "min-interval"},
        Row{"undo ntp discard", 0}, Row{"ntp kod-enable", 0}, Row{"undo ntp kod-enable", 0},
        Row{"ntp access limited 2001", 0}, Row{"ntp access peer acl-name mgmt ipv6 2002", 0},
        Row{"ntp access query ipv6 acl6-name v6acl", 0}, Row{"ntp access server 1999", 'W', "1999"},
        Row{"ntp access server 3000", 'W', "3000"}, Row{"ntp access synchronization", 'I', "$"},
        Row{"undo ntp access limited", 'E', "", Refusal::kConfigNotExist},
        Row{"ntp source-port 123", 0}, Row{"ntp source-port 1025", 0},
        Row{"ntp source-port 1024", 'W', "1024"}, Row{"undo ntp source-port", 0},
        Row{"ntp sync-interval 180", 0}, Row{"ntp sync-interval 600", 0},
        Row{"ntp sync-interval 179", 'W', "179"}, Row{"ntp sync-interval 601", 'W', "601"},
        Row{"ntp offset-limit 5", 0}, Row{"ntp offset-limit 7620", 0},
        Row{"ntp offset-limit 4", 'W', "4"}, Row{"ntp offset-limit 7621", 'W', "7621"},
        Row{"ntp max-dynamic-sessions 0", 0}, Row{"ntp max-dynamic-sessions 100", 0},
        Row{"ntp max-dynamic-sessions 101", 'W', "101"}, Row{"ntp disable", 0},
        Row{"ntp ipv6 disable", 0}, Row{"undo ntp disable", 0}, Row{"ntp s", 'A', "s"},
        Row{"ntp bogus", 'U', "bogus"}, Row{"ntp", 'I', "$"}));

// §12 companions and general
INSTANTIATE_TEST_SUITE_P(
    Companions, CommandTable,
    ::testing::Values(
        Row{"ip vpn-instance new", 0}, Row{"ip vpn-instance _public_", 'W', "_public_"},
        Row{"undo ip vpn-instance abc", 0},
        Row{"undo ip vpn-instance nope", 'E', "", Refusal::kVpnNotExist},
        Row{"interface GE1/0/1", 0}, Row{"interface 100ge 1/0/1", 0},
        Row{"interface GE1/0/1.100", 0},
        Row{"interface GE9/0/1", 'E', "", Refusal::kInterfaceNotExist},
        Row{"interface GE9/0/1.5", 'E', "", Refusal::kInterfaceNotExist},
        Row{"undo interface GE1/0/1", 'E', "", Refusal::kNotSubInterface},
        Row{"ip route-static 0.0.0.0 0 10.0.0.254", 0},
        Row{"ip route-static vpn-instance abc 10.9.0.0 255.255.0.0 10.0.0.254", 0},
        Row{"ip route-static 10.9.0.0 255.0.255.0 10.0.0.254", 'W', "255.0.255.0"},
        Row{"ip route-static 10.9.0.0 33 10.0.0.254", 'W', "33"},
        Row{"ipv6 route-static 2001:db8:9:: 48 2001:db8::fe", 0},
        Row{"ipv6 route-static vpn-instance v4only 2001:db8:9:: 48 2001:db8::fe", 'E', "",
            Refusal::kVpnFamilyNotEnabled},
        Row{"undo ip route-static 0.0.0.0 0 10.0.0.254", 'E', "", Refusal::kConfigNotExist},
        Row{"sysname EDGE-1", 0}, Row{"undo sysname", 0}, Row{"sysname", 'I', "$"},
        Row{"system-view", 'U', "system-view"}, Row{"i", 'A', "i"},
        Row{"display ntp status", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display ntp sessions verbose", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display ntp trace", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display ntp statistics packet", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display ntp statistics packet ipv6", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display ntp event clock-unsync", 'E', "", Refusal::kNotAvailableOffline},
        Row{"display interface brief", 'E', "", Refusal::kNotAvailableOffline},
        Row{"dis cu | include ntp", 0}, Row{"display current-configuration | include (", 'W', "("},
        Row{"display configuration candidate", 0}, Row{"display configuration candidate yaml", 0}));

TEST_F(CommandTable, LineLongerThan510IsRefused) {
  const LineResult r = session->execute("ntp unicast-server domain " + std::string(500, 'a'));
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error, std::string("Error: ") + config::refusal_text(Refusal::kLineTooLong) + "\n");
}

TEST_F(CommandTable, ServerLimitIsRefused) {
  for (int i = 0; i < 256; ++i) {
    const std::string line =
        "ntp unicast-server 10.2." + std::to_string(i / 200) + "." + std::to_string(i % 200 + 1);
    ASSERT_FALSE(session->execute(line).failed) << line;
  }
  const LineResult r = session->execute("ntp unicast-peer 10.3.0.1");
  EXPECT_EQ(r.error, std::string("Error: ") + config::refusal_text(Refusal::kServerLimit) + "\n");
  // Re-entering an existing entry is a replacement, not a new one.
  EXPECT_FALSE(session->execute("ntp unicast-server 10.2.0.1 iburst").failed);
}

}  // namespace
}  // namespace wiretime::cli

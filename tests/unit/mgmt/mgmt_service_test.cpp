#include "config/mgmt/mgmt_service.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "config/apply/atomic_file.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"
#include "config/ntp_config/refusal.hpp"
#include "tests/unit/mgmt/fake_daemon.hpp"
#include "tests/unit/mgmt/temp_dir.hpp"

namespace wiretime::mgmt {
namespace {

using test::FakeDaemon;
using test::server;
using test::TempDir;

class MgmtServiceTest : public ::testing::Test {
 protected:
  MgmtServiceTest()
      : file_path_(dir_.file("wiretimed.yaml")),
        service_(daemon_.hooks(), std::get<apply::RunningFile>(open_file())) {}

  std::variant<apply::RunningFile, config::ConfigError> open_file() {
    EXPECT_FALSE(
        apply::write_file_atomically(file_path_, "interfaces:\n  - name: 100GE1/0/1\n    port: 0\n")
            .has_value());
    return apply::RunningFile::open(file_path_);
  }

  config::NtpConfig file_config() const {
    auto read = apply::RunningFile::read_ntp(file_path_);
    EXPECT_TRUE(std::holds_alternative<config::NtpConfig>(read));
    return std::get<config::NtpConfig>(read);
  }

  std::string file_text() const {
    std::string text;
    EXPECT_FALSE(apply::read_file(file_path_, text).has_value());
    return text;
  }

  TempDir dir_;
  std::string file_path_;
  FakeDaemon daemon_;
  MgmtService service_;
};

config::NtpConfig two_servers() {
  config::NtpConfig c;
  c.unicast_servers = {server("10.1.1.1"), server("10.1.1.2")};
  return c;
}

TEST_F(MgmtServiceTest, CommitWritesTheFileThenAppliesThePlan) {
  const CommitOutcome outcome = service_.commit(two_servers(), config::NtpConfig{});
  ASSERT_TRUE(outcome.ok) << outcome.message;
  EXPECT_EQ(outcome.plan.count(apply::AssociationAction::kAdd), 2u);
  EXPECT_EQ(daemon_.running, two_servers());
  EXPECT_EQ(daemon_.applies, 1);
  EXPECT_EQ(file_config(), two_servers());
  EXPECT_NE(file_text().find("100GE1/0/1"), std::string::npos) << "other sections kept";
  EXPECT_EQ(service_.commits(), 1u);
}

TEST_F(MgmtServiceTest, UnchangedAssociationsKeepTheirStateAcrossCommits) {
  ASSERT_TRUE(service_.commit(two_servers()).ok);
  daemon_.tick();
  daemon_.tick();
  config::NtpConfig next = two_servers();
  next.unicast_servers[0].preferred = true;            // modify in place
  next.unicast_servers.push_back(server("10.1.1.3"));  // add
  next.max_distance = 2;                               // global
  const CommitOutcome outcome = service_.commit(next, two_servers());
  ASSERT_TRUE(outcome.ok) << outcome.message;
  const auto& first = daemon_.associations.at(
      FakeDaemon::key_of(config::AssociationMode::kServer, next.unicast_servers[0]));
  EXPECT_EQ(first.samples, 2);          // kept its state...
  EXPECT_TRUE(first.config.preferred);  // ...and took the new option
  EXPECT_EQ(daemon_.associations
                .at(FakeDaemon::key_of(config::AssociationMode::kServer, next.unicast_servers[1]))
                .samples,
            2);
  EXPECT_EQ(daemon_.associations
                .at(FakeDaemon::key_of(config::AssociationMode::kServer, next.unicast_servers[2]))
                .samples,
            0);
  EXPECT_TRUE(outcome.plan.has_global(apply::GlobalSetting::kMaxDistance));

  // A port change re-creates the association: its old samples are of another path.
  config::NtpConfig moved = next;
  moved.unicast_servers[1].port = 5000;
  ASSERT_TRUE(service_.commit(moved, next).ok);
  EXPECT_EQ(daemon_.associations
                .at(FakeDaemon::key_of(config::AssociationMode::kServer, moved.unicast_servers[1]))
                .samples,
            0);
  EXPECT_EQ(daemon_.associations
                .at(FakeDaemon::key_of(config::AssociationMode::kServer, moved.unicast_servers[0]))
                .samples,
            2);
}

TEST_F(MgmtServiceTest, RefusalsLeaveRunningAndFileUntouched) {
  ASSERT_TRUE(service_.commit(two_servers()).ok);
  const std::string before = file_text();
  struct Case {
    const char* name;
    void (*edit)(config::NtpConfig&);
    std::string expected;
  };
  const Case cases[] = {
      {"unknown interface",
       [](config::NtpConfig& c) { c.unicast_servers[0].source_interface = "100GE9/9/9"; },
       config::refusal_text(config::Refusal::kInterfaceNotExist)},
      {"multicast server", [](config::NtpConfig& c) { c.unicast_servers[1].address = "224.0.0.1"; },
       config::refusal_text(config::Refusal::kInvalidAddress)},
      {"missing VPN", [](config::NtpConfig& c) { c.unicast_servers[0].vpn_instance = "red"; },
       config::refusal_text(config::Refusal::kVpnNotExist)},
      {"257 associations",
       [](config::NtpConfig& c) {
         for (int i = 0; i < 255; ++i) {
           c.unicast_servers.push_back(
               server("10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)));
         }
       },
       config::refusal_text(config::Refusal::kServerLimit)},
      {"1025 keys",
       [](config::NtpConfig& c) {
         for (uint32_t id = 1; id <= 1025; ++id) {
           c.keys[id] = {config::KeyMode::kHmacSha256, "secret"};
         }
       },
       config::refusal_text(config::Refusal::kKeyLimit)},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    config::NtpConfig candidate = two_servers();
    test.edit(candidate);
    const CommitOutcome outcome = service_.commit(candidate, two_servers());
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.message.find(test.expected), std::string::npos) << outcome.message;
    EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << "one line";
    EXPECT_EQ(daemon_.running, two_servers());
    EXPECT_EQ(daemon_.applies, 1);
    EXPECT_EQ(file_text(), before);
  }
  // At the limits exactly: accepted.
  config::NtpConfig full = two_servers();
  for (int i = 0; i < 254; ++i) {
    full.unicast_servers.push_back(
        server("10.3." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1)));
  }
  for (uint32_t id = 1; id <= 1024; ++id) full.keys[id] = {config::KeyMode::kHmacSha256, "k"};
  const CommitOutcome outcome = service_.commit(full, two_servers());
  EXPECT_TRUE(outcome.ok) << outcome.message;
  EXPECT_EQ(file_config(), full);
}

TEST_F(MgmtServiceTest, CommitOverAnOutdatedBaseIsRefused) {
  ASSERT_TRUE(service_.commit(two_servers(), config::NtpConfig{}).ok);
  // Another session edited the empty configuration and commits after this one.
  config::NtpConfig other;
  other.unicast_servers = {server("10.9.9.9")};
  CommitOutcome outcome = service_.commit(other, config::NtpConfig{});
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.message, kRunningChangedText);
  EXPECT_EQ(daemon_.running, two_servers());
  EXPECT_EQ(file_config(), two_servers());
  // Nothing to change is no conflict.
  EXPECT_TRUE(service_.commit(two_servers(), config::NtpConfig{}).ok);
  EXPECT_EQ(daemon_.applies, 1);
  // No base: last writer wins (the protocol's unconditional form).
  EXPECT_TRUE(service_.commit(other).ok);
  EXPECT_EQ(daemon_.running, other);
}

TEST_F(MgmtServiceTest, ApplyFailureRestoresTheFile) {
  ASSERT_TRUE(service_.commit(two_servers()).ok);
  const std::string before = file_text();
  daemon_.fail_next_apply = "no RX queue left for 100GE1/0/1";
  config::NtpConfig next = two_servers();
  next.unicast_servers.push_back(server("10.1.1.3"));
  const CommitOutcome outcome = service_.commit(next, two_servers());
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.message,
            "wiretimed could not apply the configuration: no RX queue left for 100GE1/0/1");
  EXPECT_EQ(daemon_.running, two_servers());
  EXPECT_EQ(file_text(), before);
}

TEST_F(MgmtServiceTest, RequestsThroughHandle) {
  ASSERT_TRUE(service_.commit(two_servers()).ok);
  Request running;
  running.kind = RequestKind::kRunning;
  Response r = service_.handle(running);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(std::get<config::NtpConfig>(config::ntp_config_from_yaml_text(r.body)), two_servers());

  Request inventory;
  inventory.kind = RequestKind::kInventory;
  EXPECT_EQ(service_.handle(inventory).body, "100GE1/0/1\n100GE1/0/2\n");

  Request display;
  display.kind = RequestKind::kDisplay;
  display.what = "status";
  daemon_.snapshot.system.stratum = 4;
  r = service_.handle(display);
  ASSERT_TRUE(r.ok);
  EXPECT_NE(r.body.find(" clock stratum: 4\n"), std::string::npos) << r.body;
  display.what = "bogus";
  r = service_.handle(display);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.body, "The display 'bogus' is not available.");

  Request commit;
  commit.kind = RequestKind::kCommit;
  commit.candidate = two_servers();
  commit.candidate.unicast_servers[0].source_interface = "nope";
  r = service_.handle(commit);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.body.find("ntp.unicast-servers[0]"), std::string::npos) << r.body;
}

TEST_F(MgmtServiceTest, ConcurrentCommittersLoseNothing) {
  // Two sessions add servers as fast as they can, each retrying after a refused commit by
  // starting from the new running configuration; every server must be there at the end.
  constexpr int kPerSession = 40;
  std::mutex daemon_mutex;  // the fake daemon's running() is read outside the service lock
  DaemonHooks hooks = daemon_.hooks();
  DaemonHooks locked = hooks;
  locked.running = [&] {
    std::lock_guard lock(daemon_mutex);
    return daemon_.running;
  };
  locked.apply = [&](const apply::ApplyPlan& plan, const config::NtpConfig& candidate) {
    std::lock_guard lock(daemon_mutex);
    return daemon_.apply(plan, candidate);
  };
  MgmtService service(locked, std::get<apply::RunningFile>(apply::RunningFile::open(file_path_)));
  std::atomic<int> refused{0};
  auto session = [&](int subnet) {
    for (int i = 1; i <= kPerSession; ++i) {
      for (;;) {
        const config::NtpConfig base = locked.running();
        config::NtpConfig candidate = base;
        candidate.unicast_servers.push_back(
            server("10." + std::to_string(subnet) + ".0." + std::to_string(i)));
        if (service.commit(candidate, base).ok) break;
        ++refused;
      }
    }
  };
  std::thread a(session, 1);
  std::thread b(session, 2);
  a.join();
  b.join();
  ASSERT_EQ(daemon_.running.unicast_servers.size(), 2u * kPerSession);
  EXPECT_EQ(file_config(), daemon_.running);
  EXPECT_EQ(service.commits(), 2u * kPerSession);
  std::cout << "commits refused for an outdated base and retried: " << refused << "\n";
}

TEST_F(MgmtServiceTest, DisplayWithoutStatusHook) {
  daemon_.with_status = false;
  MgmtService service(daemon_.hooks(),
                      std::get<apply::RunningFile>(apply::RunningFile::open(file_path_)));
  EXPECT_FALSE(service.display("status").has_value());
}

}  // namespace
}  // namespace wiretime::mgmt

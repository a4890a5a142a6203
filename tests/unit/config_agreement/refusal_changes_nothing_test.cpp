// Issue 10 item 7, "bad input changes nothing": a commit the daemon refuses (stale base,
// failed validation, failed apply), sent the way wiretime-cli sends it (DaemonSocketBackend
// over the management socket to MgmtServer/MgmtService), and a start-up file the daemon
// refuses, leave the running configuration and the file on disk byte-identical.
#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "config/apply/atomic_file.hpp"
#include "config/mgmt/daemon_socket_backend.hpp"
#include "config/mgmt/mgmt_server.hpp"
#include "config/mgmt/mgmt_service.hpp"
#include "control/daemon/daemon_config.hpp"
#include "tests/unit/mgmt/fake_daemon.hpp"
#include "tests/unit/mgmt/temp_dir.hpp"

namespace wiretime {
namespace {

using mgmt::test::FakeDaemon;
using mgmt::test::TempDir;

// Written by hand (comments, flow lists, odd spacing): a rewrite would not reproduce it.
constexpr const char* kFile =
    "# lab daemon\n"
    "dataplane:\n"
    "  eal: [\"--no-huge\",   \"--no-pci\"]   # keep\n"
    "interfaces:\n"
    "  - name: 100GE1/0/1\n"
    "    devargs: net_null0\n"
    "    ipv4: 198.18.0.2/24\n"
    "    gateway: 198.18.0.254\n"
    "ntp:\n"
    "  unicast-servers:\n"
    "    - {address: 10.1.1.1, iburst: true}   # the lab server\n";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

size_t files_in(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

class ServerLoop {
 public:
  explicit ServerLoop(mgmt::MgmtServer& server) : server_(server), thread_([this] { run(); }) {}
  ~ServerLoop() {
    stop_ = true;
    thread_.join();
  }

 private:
  void run() {
    while (!stop_) {
      std::vector<pollfd> fds;
      server_.fill_pollfds(fds);
      if (::poll(fds.data(), fds.size(), 20) > 0) server_.service(fds.data(), fds.size());
    }
  }
  mgmt::MgmtServer& server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class RefusedCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = dir_.file("wiretimed.yaml");
    ASSERT_FALSE(apply::write_file_atomically(file_, kFile).has_value());
    auto running = apply::RunningFile::read_ntp(file_);
    ASSERT_TRUE(std::holds_alternative<config::NtpConfig>(running));
    daemon_.running = std::get<config::NtpConfig>(running);
    auto opened = apply::RunningFile::open(file_);
    ASSERT_TRUE(std::holds_alternative<apply::RunningFile>(opened));
    service_ = std::make_unique<mgmt::MgmtService>(daemon_.hooks(),
                                                   std::get<apply::RunningFile>(std::move(opened)));
    auto listening = mgmt::MgmtServer::listen(
        dir_.file("wiretimed.sock"), [this](const mgmt::Request& r) { return service_->handle(r); },
        {});
    ASSERT_TRUE(std::holds_alternative<std::unique_ptr<mgmt::MgmtServer>>(listening));
    server_ = std::move(std::get<std::unique_ptr<mgmt::MgmtServer>>(listening));
    loop_ = std::make_unique<ServerLoop>(*server_);
    running_before_ = daemon_.running;
    files_before_ = files_in(dir_.file(""));
  }
  void TearDown() override { loop_.reset(); }

  std::unique_ptr<mgmt::DaemonSocketBackend> connect() {
    auto connected = mgmt::DaemonSocketBackend::connect(dir_.file("wiretimed.sock"));
    EXPECT_TRUE(std::holds_alternative<std::unique_ptr<mgmt::DaemonSocketBackend>>(connected));
    return std::move(std::get<std::unique_ptr<mgmt::DaemonSocketBackend>>(connected));
  }

  void expect_nothing_changed() {
    EXPECT_EQ(read_text(file_), kFile);
    EXPECT_EQ(daemon_.running, running_before_);
    EXPECT_EQ(files_in(dir_.file("")), files_before_);  // no temporary left behind
  }

  TempDir dir_;
  std::string file_;
  FakeDaemon daemon_;
  std::unique_ptr<mgmt::MgmtService> service_;
  std::unique_ptr<mgmt::MgmtServer> server_;
  std::unique_ptr<ServerLoop> loop_;
  config::NtpConfig running_before_;
  size_t files_before_ = 0;
};

TEST_F(RefusedCommitTest, ValidationRefusalChangesNothing) {
  auto backend = connect();
  config::NtpConfig candidate = backend->running();
  candidate.unicast_servers.push_back(mgmt::test::server("10.1.1.2"));
  candidate.unicast_servers.back().source_interface = "100GE9/0/9";  // not in the inventory
  const auto result = backend->commit(candidate);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.message.find("interface does not exist"), std::string::npos) << result.message;
  expect_nothing_changed();
}

TEST_F(RefusedCommitTest, StaleBaseRefusalChangesNothing) {
  auto backend = connect();
  config::NtpConfig stale = backend->running();
  stale.unicast_servers.clear();  // this session edited a configuration that never ran
  config::NtpConfig candidate = stale;
  candidate.unicast_servers.push_back(mgmt::test::server("10.1.1.3"));
  const auto result = backend->commit_from(stale, candidate);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message, mgmt::kRunningChangedText);
  expect_nothing_changed();
}

TEST_F(RefusedCommitTest, FailedApplyRestoresTheFileByteForByte) {
  auto backend = connect();
  config::NtpConfig candidate = backend->running();
  candidate.unicast_servers.push_back(mgmt::test::server("10.1.1.4"));
  daemon_.fail_next_apply = "no room for another association";
  const auto result = backend->commit(candidate);
  EXPECT_FALSE(result.ok);
  expect_nothing_changed();
}

TEST(RefusedStartupFile, LeavesTheFileByteIdentical) {
  TempDir dir;
  const std::string file = dir.file("wiretimed.yaml");
  // A commit-valid `ntp:` section next to a start-up error (an unknown clock driver).
  const std::string text = std::string(kFile) + "clock:\n  driver: sundial\n";
  ASSERT_FALSE(apply::write_file_atomically(file, text).has_value());
  const size_t before = files_in(dir.file(""));
  const auto loaded = daemon::load_daemon_config_file(file);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().to_string().find("driver"), std::string::npos)
      << loaded.error().to_string();
  EXPECT_EQ(read_text(file), text);
  EXPECT_EQ(files_in(dir.file("")), before);
}

}  // namespace
}  // namespace wiretime

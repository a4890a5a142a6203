// Crash safety of the running file: a process that commits in a loop is killed with SIGKILL
// at random instants; the file must then hold exactly the old or the new configuration.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <thread>

#include "config/apply/running_file.hpp"
#include "config/mgmt/mgmt_client.hpp"
#include "config/mgmt/mgmt_server.hpp"
#include "config/mgmt/mgmt_service.hpp"
#include "tests/unit/mgmt/fake_daemon.hpp"
#include "tests/unit/mgmt/temp_dir.hpp"

namespace wiretime::mgmt {
namespace {

using test::FakeDaemon;
using test::server;
using test::TempDir;

config::NtpConfig config_a() {
  config::NtpConfig c;
  c.unicast_servers = {server("10.1.1.1"), server("10.1.1.2")};
  return c;
}

// Bigger than A, so that a torn write could not pass for either.
config::NtpConfig config_b() {
  config::NtpConfig c = config_a();
  for (int i = 1; i <= 200; ++i) c.unicast_servers.push_back(server("10.2.0." + std::to_string(i)));
  for (uint32_t id = 1; id <= 300; ++id) c.keys[id] = {config::KeyMode::kHmacSha256, "secret"};
  c.max_distance = 4;
  return c;
}

config::NtpConfig read_back(const std::string& path, int round) {
  auto read = apply::RunningFile::read_ntp(path);
  if (auto* error = std::get_if<config::ConfigError>(&read)) {
    ADD_FAILURE() << "round " << round << ": the file does not parse: " << error->to_string();
    return {};
  }
  return std::get<config::NtpConfig>(read);
}

void write_initial(const std::string& path) {
  auto file = apply::RunningFile::open(path);
  ASSERT_FALSE(std::get<apply::RunningFile>(file).write(config_a()).has_value());
}

// The child: a daemon whose only activity is committing A and B alternately, reporting each
// finished commit with one byte on `progress`.
[[noreturn]] void commit_forever(const std::string& path, int progress) {
  FakeDaemon daemon;
  auto loaded = apply::RunningFile::read_ntp(path);
  if (!std::holds_alternative<config::NtpConfig>(loaded)) ::_exit(3);
  daemon.running = std::get<config::NtpConfig>(loaded);
  auto file = apply::RunningFile::open(path);
  if (!std::holds_alternative<apply::RunningFile>(file)) ::_exit(4);
  MgmtService service(daemon.hooks(), std::get<apply::RunningFile>(std::move(file)));
  const config::NtpConfig a = config_a();
  const config::NtpConfig b = config_b();
  for (;;) {
    const config::NtpConfig next = daemon.running == a ? b : a;
    if (!service.commit(next, daemon.running).ok) ::_exit(5);
    const char byte = 1;
    if (::write(progress, &byte, 1) != 1) ::_exit(6);
  }
}

TEST(CommitCrash, KilledCommitterLeavesOldOrNewFile) {
  TempDir dir;
  const std::string path = dir.file("wiretimed.yaml");
  write_initial(path);
  const unsigned seed = std::random_device{}();
  std::cout << "seed " << seed << "\n";
  std::mt19937 random(seed);
  int saw_a = 0;
  int saw_b = 0;
  for (int round = 0; round < 30; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(pipe_fds[0]);
      commit_forever(path, pipe_fds[1]);
    }
    ::close(pipe_fds[1]);
    // Let a random number of commits finish, then kill at a random instant of the next one.
    const int commits = static_cast<int>(random() % 4);
    for (int i = 0; i < commits; ++i) {
      char byte;
      ASSERT_EQ(::read(pipe_fds[0], &byte, 1), 1) << "the committer died on its own";
    }
    ::usleep(static_cast<useconds_t>(random() % 8000));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
    ::close(pipe_fds[0]);

    const config::NtpConfig found = read_back(path, round);
    const bool is_a = found == config_a();
    const bool is_b = found == config_b();
    EXPECT_TRUE(is_a || is_b) << "round " << round << ": neither the old nor the new config";
    saw_a += is_a ? 1 : 0;
    saw_b += is_b ? 1 : 0;
  }
  std::cout << "file held A " << saw_a << " times, B " << saw_b << " times\n";
  EXPECT_GT(saw_a, 0);
  EXPECT_GT(saw_b, 0);
}

// The same through the socket: a daemon process (server + service in a poll() loop) is killed
// while a client commits to it in a loop.
[[noreturn]] void serve_forever(const std::string& path, const std::string& socket_path) {
  FakeDaemon daemon;
  auto loaded = apply::RunningFile::read_ntp(path);
  if (!std::holds_alternative<config::NtpConfig>(loaded)) ::_exit(3);
  daemon.running = std::get<config::NtpConfig>(loaded);
  MgmtService service(daemon.hooks(), std::get<apply::RunningFile>(apply::RunningFile::open(path)));
  auto listening =
      MgmtServer::listen(socket_path, [&service](const Request& r) { return service.handle(r); });
  if (!std::holds_alternative<std::unique_ptr<MgmtServer>>(listening)) ::_exit(4);
  MgmtServer& server = *std::get<std::unique_ptr<MgmtServer>>(listening);
  for (;;) {
    std::vector<pollfd> fds;
    server.fill_pollfds(fds);
    if (::poll(fds.data(), fds.size(), 1000) > 0) server.service(fds.data(), fds.size());
  }
}

TEST(CommitCrash, KilledDaemonLeavesOldOrNewFile) {
  TempDir dir;
  const std::string path = dir.file("wiretimed.yaml");
  const std::string socket_path = dir.file("wiretimed.sock");
  write_initial(path);
  const unsigned seed = std::random_device{}();
  std::cout << "seed " << seed << "\n";
  std::mt19937 random(seed);
  int saw_b = 0;
  for (int round = 0; round < 10; ++round) {
    const pid_t daemon = ::fork();
    ASSERT_GE(daemon, 0);
    if (daemon == 0) serve_forever(path, socket_path);

    std::atomic<int> committed{0};
    std::thread committer([&] {
      Request running;
      running.kind = RequestKind::kRunning;
      // Wait for the daemon to listen.
      for (int i = 0; i < 500; ++i) {
        if (std::holds_alternative<Response>(call_daemon(socket_path, running))) break;
        ::usleep(2000);
      }
      bool next_b = true;
      for (;;) {
        Request commit;
        commit.kind = RequestKind::kCommit;
        commit.candidate = next_b ? config_b() : config_a();
        auto answer = call_daemon(socket_path, commit, 5000);
        if (!std::holds_alternative<Response>(answer)) return;  // the daemon is gone
        if (std::get<Response>(answer).ok) ++committed;
        next_b = !next_b;
      }
    });
    const int wait_for = static_cast<int>(random() % 3);
    for (int i = 0; i < 2000 && committed < wait_for; ++i) ::usleep(1000);
    ::usleep(static_cast<useconds_t>(random() % 8000));
    ::kill(daemon, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(daemon, &status, 0), daemon);
    committer.join();
    EXPECT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);

    const config::NtpConfig found = read_back(path, round);
    EXPECT_TRUE(found == config_a() || found == config_b())
        << "round " << round << ": neither the old nor the new config";
    saw_b += found == config_b() ? 1 : 0;
  }
  std::cout << "file held B after " << saw_b << " of 10 kills\n";
}

}  // namespace
}  // namespace wiretime::mgmt

#include "config/mgmt/mgmt_server.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "config/apply/atomic_file.hpp"
#include "config/cli/session.hpp"
#include "config/display/ntp_sessions_display.hpp"
#include "config/mgmt/daemon_socket_backend.hpp"
#include "config/mgmt/mgmt_client.hpp"
#include "config/mgmt/mgmt_service.hpp"
#include "tests/unit/mgmt/fake_daemon.hpp"
#include "tests/unit/mgmt/temp_dir.hpp"

namespace wiretime::mgmt {
namespace {

using test::FakeDaemon;
using test::TempDir;

// The daemon's loop in miniature: poll() on the server's one descriptor, service() when it is
// readable. Runs on its own thread so that the test's blocking clients can talk to it.
class ServerLoop {
 public:
  explicit ServerLoop(MgmtServer& server) : server_(server), thread_([this] { run(); }) {}
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
  MgmtServer& server_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class MgmtServerTest : public ::testing::Test {
 protected:
  MgmtServerTest()
      : socket_path_(dir_.file("wiretimed.sock")),
        service_(daemon_.hooks(), std::get<apply::RunningFile>(
                                      apply::RunningFile::open(dir_.file("wiretimed.yaml")))) {}

  std::unique_ptr<MgmtServer> listen(MgmtServer::Options options = {}) {
    auto listening = MgmtServer::listen(
        socket_path_, [this](const Request& r) { return service_.handle(r); }, options);
    EXPECT_TRUE(std::holds_alternative<std::unique_ptr<MgmtServer>>(listening))
        << std::get<std::string>(listening);
    return std::move(std::get<std::unique_ptr<MgmtServer>>(listening));
  }

  int connect_raw() const {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path_.c_str());
    EXPECT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    return fd;
  }

  TempDir dir_;
  std::string socket_path_;
  FakeDaemon daemon_;
  MgmtService service_;
};

std::string run(cli::Session& session, const std::string& line) {
  const cli::LineResult r = session.execute(line);
  return r.error;
}

TEST_F(MgmtServerTest, TwoShellSessionsCommitConcurrently) {
  auto server = listen();
  ServerLoop loop(*server);
  auto a = DaemonSocketBackend::connect(socket_path_);
  auto b = DaemonSocketBackend::connect(socket_path_);
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<DaemonSocketBackend>>(a));
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<DaemonSocketBackend>>(b));
  cli::Session first(*std::get<0>(a));
  cli::Session second(*std::get<0>(b));

  EXPECT_EQ(run(first, "system-view"), "");
  EXPECT_EQ(run(second, "system-view"), "");
  EXPECT_EQ(run(first, "ntp unicast-server 10.1.1.1 source-interface 100GE1/0/1"), "");
  EXPECT_EQ(run(second, "ntp unicast-server 10.1.1.2"), "");
  EXPECT_EQ(run(first, "commit"), "");
  EXPECT_EQ(first.prompt(), "[~HUAWEI]");

  // The second session edited the configuration the first one has just replaced.
  const std::string refused = run(second, "commit");
  EXPECT_NE(refused.find(kRunningChangedText), std::string::npos) << refused;
  EXPECT_EQ(refused.rfind("Error: ", 0), 0u) << refused;
  ASSERT_EQ(daemon_.running.unicast_servers.size(), 1u);

  // It starts again from the new running configuration and succeeds; nothing is lost.
  EXPECT_EQ(run(second, "clear configuration candidate"), "");
  EXPECT_EQ(run(second, "ntp unicast-server 10.1.1.2"), "");
  EXPECT_EQ(run(second, "commit"), "");
  ASSERT_EQ(daemon_.running.unicast_servers.size(), 2u);
  EXPECT_EQ(daemon_.running.unicast_servers[0].address, "10.1.1.1");
  EXPECT_EQ(daemon_.running.unicast_servers[1].address, "10.1.1.2");

  // A session without uncommitted changes follows running: its next edit builds on both.
  EXPECT_EQ(run(first, "ntp max-distance 3"), "");
  EXPECT_EQ(run(first, "commit"), "");
  EXPECT_EQ(daemon_.running.unicast_servers.size(), 2u);
  EXPECT_EQ(daemon_.running.max_distance, 3);

  // Refused by the daemon's validation: the session keeps its candidate, running is untouched.
  daemon_.inventory.names.erase("100GE1/0/1");
  EXPECT_EQ(run(second, "ntp max-distance 5"), "");
  const std::string invalid = run(second, "commit");
  EXPECT_NE(invalid.find("The interface does not exist."), std::string::npos) << invalid;
  EXPECT_EQ(daemon_.running.max_distance, 3);
  EXPECT_EQ(second.prompt(), "[*HUAWEI]");
}

TEST_F(MgmtServerTest, LiveDisplaysComeFromTheDaemon) {
  auto server = listen();
  ServerLoop loop(*server);
  display::SessionReport a;
  a.source = "10.1.1.1";
  a.master = true;
  a.stratum = 2;
  daemon_.snapshot.associations = {a};
  auto backend = DaemonSocketBackend::connect(socket_path_);
  cli::Session session(*std::get<0>(backend));
  const cli::LineResult r = session.execute("dis ntp ses");
  EXPECT_FALSE(r.failed);
  EXPECT_NE(r.output.find(" clock status: configured, master, insane, invalid\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(session.execute("display ntp status").output.find(" clock status: unsynchronized"),
            std::string::npos);
  EXPECT_NE(session.execute("display interface brief").output.find("Interface  "),
            std::string::npos);
}

TEST_F(MgmtServerTest, LargeAnswersArriveWhole) {
  // More than a socket buffer holds: the server must finish the write on EPOLLOUT.
  display::SessionReport a;
  a.source = "10.1.1.1";
  daemon_.snapshot.associations.assign(2000, a);
  auto server = listen();
  ServerLoop loop(*server);
  Request request;
  request.kind = RequestKind::kDisplay;
  request.what = "sessions verbose";
  auto answer = call_daemon(socket_path_, request);
  ASSERT_TRUE(std::holds_alternative<Response>(answer)) << std::get<std::string>(answer);
  const std::string expected =
      display::render_ntp_sessions(daemon_.snapshot.associations, true, daemon_.snapshot.now);
  EXPECT_GT(expected.size(), 1u << 20);
  EXPECT_EQ(std::get<Response>(answer).body, expected);
}

TEST_F(MgmtServerTest, GarbageDropsOnlyThatClient) {
  auto server = listen();
  const int bad = connect_raw();
  const int good = connect_raw();
  server->service();  // accept both
  EXPECT_EQ(server->client_count(), 2u);
  const char junk[] = "\xff\xff\xff\xffjunk";
  ASSERT_EQ(::send(bad, junk, sizeof(junk), MSG_NOSIGNAL), static_cast<ssize_t>(sizeof(junk)));
  Request request;
  request.kind = RequestKind::kInventory;
  const std::string frame = encode_frame(encode_request(request));
  ASSERT_EQ(::send(good, frame.data(), frame.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(frame.size()));
  for (int i = 0; i < 5; ++i) server->service();
  EXPECT_EQ(server->client_count(), 1u);
  char buffer[4096];
  EXPECT_EQ(::recv(bad, buffer, sizeof(buffer), 0), 0) << "closed by the server";
  const ssize_t n = ::recv(good, buffer, sizeof(buffer), MSG_DONTWAIT);
  ASSERT_GT(n, 0);
  FrameDecoder decoder;
  decoder.feed(std::string_view(buffer, static_cast<size_t>(n)));
  auto response = decode_response(*decoder.next());
  EXPECT_EQ(std::get<Response>(response).body, "100GE1/0/1\n100GE1/0/2\n");

  // A well-framed message that is not a request gets an error answer, not a hang.
  const std::string odd = encode_frame({"wt1", "reboot"});
  ASSERT_EQ(::send(good, odd.data(), odd.size(), MSG_NOSIGNAL), static_cast<ssize_t>(odd.size()));
  for (int i = 0; i < 3; ++i) server->service();
  const ssize_t m = ::recv(good, buffer, sizeof(buffer), MSG_DONTWAIT);
  ASSERT_GT(m, 0);
  FrameDecoder second;
  second.feed(std::string_view(buffer, static_cast<size_t>(m)));
  auto refused = decode_response(*second.next());
  EXPECT_FALSE(std::get<Response>(refused).ok);
  EXPECT_EQ(std::get<Response>(refused).body, "unknown request 'reboot'");
  ::close(bad);
  ::close(good);
  for (int i = 0; i < 3; ++i) server->service();
  EXPECT_EQ(server->client_count(), 0u);
}

// `display ntp trace` is answered later (the daemon waits for network replies): the client's
// next request waits behind it, so the answers keep the requests' order.
TEST_F(MgmtServerTest, LateAnswersKeepTheOrderOfRequests) {
  MgmtServer::Reply pending;
  auto listening =
      MgmtServer::listen_async(socket_path_, [&pending](const Request& r, MgmtServer::Reply reply) {
        if (r.what == "trace") {
          pending = std::move(reply);
        } else {
          reply(Response{true, r.what});
        }
      });
  ASSERT_TRUE(std::holds_alternative<std::unique_ptr<MgmtServer>>(listening));
  MgmtServer& server = *std::get<std::unique_ptr<MgmtServer>>(listening);
  const int client = connect_raw();
  server.service();
  std::string frames;
  for (const char* what : {"trace", "status"}) {
    Request request;
    request.kind = RequestKind::kDisplay;
    request.what = what;
    frames += encode_frame(encode_request(request));
  }
  ASSERT_EQ(::send(client, frames.data(), frames.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(frames.size()));
  for (int i = 0; i < 3; ++i) server.service();
  char buffer[4096];
  EXPECT_LT(::recv(client, buffer, sizeof(buffer), MSG_DONTWAIT), 0) << "nothing before trace";
  ASSERT_TRUE(pending);
  pending(Response{true, "the trace"});
  pending(Response{true, "a second call is ignored"});
  for (int i = 0; i < 3; ++i) server.service();
  std::string received;
  for (int i = 0; i < 50; ++i) {
    const ssize_t n = ::recv(client, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n > 0) received.append(buffer, static_cast<size_t>(n));
    if (received.size() > 20) break;
    server.service();
  }
  FrameDecoder decoder;
  decoder.feed(received);
  auto first = decode_response(*decoder.next());
  auto second = decode_response(*decoder.next());
  EXPECT_EQ(std::get<Response>(first).body, "the trace");
  EXPECT_EQ(std::get<Response>(second).body, "status");
  EXPECT_FALSE(decoder.next().has_value());
  ::close(client);
}

TEST_F(MgmtServerTest, TooManyClientsDropTheLongestIdle) {
  MgmtServer::Options options;
  options.max_clients = 2;
  auto server = listen(options);
  const int first = connect_raw();
  server->service();
  const int second = connect_raw();
  server->service();
  const int third = connect_raw();
  server->service();
  EXPECT_EQ(server->client_count(), 2u);
  char byte;
  EXPECT_EQ(::recv(first, &byte, 1, 0), 0) << "the oldest idle connection was closed";
  EXPECT_EQ(::recv(second, &byte, 1, MSG_DONTWAIT), -1);
  ::close(first);
  ::close(second);
  ::close(third);
}

TEST_F(MgmtServerTest, SocketFileLifecycle) {
  {
    auto server = listen();
    struct stat st {};
    ASSERT_EQ(::stat(socket_path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // A second daemon on the same path is refused while the first answers.
    auto second = MgmtServer::listen(socket_path_, [](const Request&) { return Response{}; });
    ASSERT_TRUE(std::holds_alternative<std::string>(second));
    EXPECT_NE(std::get<std::string>(second).find("another wiretimed"), std::string::npos);
  }
  EXPECT_NE(::access(socket_path_.c_str(), F_OK), 0) << "removed on shutdown";

  // A socket file left by a daemon that died is replaced.
  const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path_.c_str());
  ASSERT_EQ(::bind(stale, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ::close(stale);
  auto server = listen();
  ASSERT_NE(server, nullptr);

  // A regular file in the way is not deleted.
  server.reset();
  std::ofstream(socket_path_) << "precious";
  auto refused = MgmtServer::listen(socket_path_, [](const Request&) { return Response{}; });
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("not a socket"), std::string::npos);

  // The directory is created when missing.
  auto nested =
      MgmtServer::listen(dir_.file("run/wiretime.sock"), [](const Request&) { return Response{}; });
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<MgmtServer>>(nested));
}

// The wiretime-cli binary itself, without --offline, against the daemon's socket.
std::string shell(const std::string& arguments, int& status) {
  const std::string command = std::string(WIRETIME_CLI_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  status = ::pclose(pipe);
  return output;
}

TEST_F(MgmtServerTest, ShellBinaryCommitsToTheDaemon) {
  auto server = listen();
  ServerLoop loop(*server);
  int status = 0;
  std::string output = shell("--socket " + socket_path_ +
                                 " -c 'system-view; ntp unicast-server 10.1.1.1 iburst; commit; "
                                 "display ntp status'",
                             status);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find(" clock status: unsynchronized\n"), std::string::npos) << output;
  ASSERT_EQ(daemon_.running.unicast_servers.size(), 1u);
  EXPECT_TRUE(daemon_.running.unicast_servers[0].iburst);
  // The rule of spec Q15 came along: NTP configuration went from empty to non-empty.
  EXPECT_TRUE(daemon_.running.server_disable);

  output = shell("--socket " + socket_path_ + " -c 'display current-configuration | include ntp'",
                 status);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("ntp unicast-server 10.1.1.1 iburst\n"), std::string::npos) << output;

  daemon_.inventory.names.clear();
  output = shell("--socket " + socket_path_ +
                     " -c 'system-view; ntp unicast-server 10.1.1.2 source-interface 100GE1/0/1'",
                 status);
  EXPECT_NE(status, 0);
  EXPECT_NE(output.find("Error: The interface does not exist."), std::string::npos) << output;

  output = shell("--socket " + dir_.file("nobody.sock") + " -c 'display ntp status'", status);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(output.find("cannot connect to wiretimed"), std::string::npos) << output;
}

TEST_F(MgmtServerTest, UnreachableDaemonIsReportedByTheShellBackend) {
  auto backend = DaemonSocketBackend::connect(socket_path_);
  ASSERT_TRUE(std::holds_alternative<std::string>(backend));
  EXPECT_NE(std::get<std::string>(backend).find("cannot connect to wiretimed at " + socket_path_),
            std::string::npos);
}

}  // namespace
}  // namespace wiretime::mgmt

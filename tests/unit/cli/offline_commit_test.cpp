// Offline mode: the product document's procedure typed into the shell produces the expected
// YAML; commit validates, keeps the other sections and replaces the file atomically; the
// executable's non-interactive modes stop at the first error.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "config/cli/atomic_file.hpp"
#include "config/cli/offline_file_backend.hpp"
#include "config/cli/session.hpp"
#include "config/ntp_config/refusal.hpp"

namespace wiretime::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDaemonFile =
    "dataplane:\n"
    "  eal: [\"--no-huge\", \"--no-pci\"]\n"
    "interfaces:\n"
    "  - name: GE1/0/1\n"
    "    devargs: net_af_packet0,iface=veth-wt\n"
    "    ipv4: 198.18.0.2/24\n"
    "  - name: 100GE1/0/1\n"
    "    devargs: net_null0\n"
    "log:\n"
    "  level: info\n";

class OfflineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("wiretime-cli-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    file = (dir / "wiretimed.yaml").string();
    write(file, kDaemonFile);
  }
  void TearDown() override { fs::remove_all(dir); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  static std::string read(const std::string& path) {
    std::string text;
    EXPECT_FALSE(read_file(path, text).has_value());
    return text;
  }
  std::unique_ptr<OfflineFileBackend> open() {
    auto opened = OfflineFileBackend::open(file);
    if (auto* e = std::get_if<config::ConfigError>(&opened)) {
      ADD_FAILURE() << e->to_string(file);
      return nullptr;
    }
    return std::move(std::get<0>(opened));
  }
  // Runs the executable; returns its exit status, fills stdout/stderr.
  int run_cli(const std::string& args, std::string& out, std::string& err,
              const std::string& stdin_text = "") {
    const std::string in_path = (dir / "stdin.txt").string();
    write(in_path, stdin_text);
    const std::string cmd = std::string(WIRETIME_CLI_BINARY) + " " + args + " <" + in_path + " >" +
                            (dir / "out.txt").string() + " 2>" + (dir / "err.txt").string();
    const int status = std::system(cmd.c_str());
    out = read((dir / "out.txt").string());
    err = read((dir / "err.txt").string());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  size_t entries() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
  }

  fs::path dir;
  std::string file;
};

// The product document's steps, as the bracketed command names it gives.
std::vector<std::string> product_doc_commands() {
  std::ifstream in(WIRETIME_PRODUCT_DOC);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> names;
  const std::regex step(R"(\[([a-z][a-z0-9 -]*)\]\(cmdqueryname=)");
  const std::string s = text.str();
  for (std::sregex_iterator it(s.begin(), s.end(), step), end; it != end; ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

TEST_F(OfflineTest, ProductDocumentProcedureProducesTheExpectedYaml) {
  // Steps 1-5 of ../shared/product-doc/, with values filled in, typed as written.
  const std::vector<std::string> typed = {
      "system-view",
      "ntp unsync max-poll-interval 7 dec-step 6",
      "ntp source-interface GE1/0/1",
      "ntp unicast-server 198.18.0.1 iburst minpoll 4 preferred",
      "commit",
  };
  const std::vector<std::string> steps = product_doc_commands();
  ASSERT_EQ(steps, (std::vector<std::string>{"system-view", "ntp unsync max-poll-interval", "ntp",
                                             "ntp unicast-server", "commit"}));
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(typed[i].rfind(steps[i], 0), 0u) << typed[i];

  {
    auto backend = open();
    ASSERT_TRUE(backend);
    Session session(*backend);
    for (const std::string& line : typed) {
      const LineResult r = session.execute(line);
      ASSERT_FALSE(r.failed) << line << "\n" << r.error;
    }
    EXPECT_EQ(session.prompt(), "[~HUAWEI]");
  }
  const YAML::Node doc = YAML::LoadFile(file);
  // The fixture's old-style `ipv4:` moved into the running configuration on this first commit
  // (config/ntp_config/legacy_l3.hpp).
  const std::string expected_ntp =
      "interfaces:\n"
      "  - name: GE1/0/1\n"
      "    ipv4-addresses:\n"
      "      - 198.18.0.2/24\n"
      "server-disable: true\n"
      "ipv6-server-disable: true\n"
      "unicast-servers:\n"
      "  - address: 198.18.0.1\n"
      "    preferred: true\n"
      "    minpoll: 4\n"
      "    iburst: true\n"
      "source-interfaces:\n"
      "  - interface: GE1/0/1\n"
      "unsync-max-poll-interval:\n"
      "  poll-interval: 7\n"
      "  dec-step: 6";
  YAML::Emitter ntp;
  ntp << doc["ntp"];
  EXPECT_EQ(std::string(ntp.c_str()), expected_ntp);
  // The start-up sections are kept.
  EXPECT_EQ(doc["interfaces"][0]["devargs"].as<std::string>(), "net_af_packet0,iface=veth-wt");
  EXPECT_FALSE(doc["interfaces"][0]["ipv4"]);
  EXPECT_EQ(doc["log"]["level"].as<std::string>(), "info");
  EXPECT_EQ(doc["dataplane"]["eal"].size(), 2u);

  // A second session starts from the file and shows the same configuration.
  auto again = open();
  ASSERT_TRUE(again);
  Session second(*again);
  EXPECT_EQ(second.execute("display current-configuration | include ntp").output,
            "ntp server disable\nntp ipv6 server disable\n"
            "ntp unicast-server 198.18.0.1 preferred minpoll 4 iburst\n"
            "ntp source-interface GE1/0/1\n"
            "ntp unsync max-poll-interval 7 dec-step 6\n");
}

TEST_F(OfflineTest, CommitRefusedByValidationLeavesFileUnchanged) {
  // A hand-edited candidate (as the daemon would receive) that references a missing VPN.
  auto backend = open();
  ASSERT_TRUE(backend);
  config::NtpConfig bad;
  config::Association a;
  a.address = "10.1.1.1";
  a.vpn_instance = "missing";
  bad.unicast_servers.push_back(a);
  const std::string before = read(file);
  const auto result = backend->commit(bad);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.message, "ntp.unicast-servers[0]: The VPN instance does not exist.");
  EXPECT_EQ(read(file), before);
  EXPECT_EQ(entries(), 1u);  // no temporary left behind
}

// `ntp unicast-peer` is typed (the grammar is VRP's) but the commit refuses it, offline as on
// the daemon: the one validator says symmetric mode does not run here.
TEST_F(OfflineTest, UnicastPeerIsRefusedAtCommit) {
  auto backend = open();
  ASSERT_TRUE(backend);
  Session session(*backend);
  const std::string before = read(file);
  EXPECT_FALSE(session.execute("system-view").failed);
  EXPECT_FALSE(session.execute("ntp unicast-peer 198.18.0.9").failed);
  const LineResult r = session.execute("commit");
  EXPECT_TRUE(r.failed);
  EXPECT_NE(r.error.find(config::refusal_text(config::Refusal::kPeerModeUnsupported)),
            std::string::npos)
      << r.error;
  EXPECT_EQ(read(file), before);
}

TEST_F(OfflineTest, AtomicWriteKeepsModeAndLeavesNoTemporary) {
  ASSERT_EQ(::chmod(file.c_str(), 0640), 0);
  ASSERT_FALSE(write_file_atomically(file, "ntp: {}\n").has_value());
  EXPECT_EQ(read(file), "ntp: {}\n");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(entries(), 1u);
  // A new file holds keys: owner-only.
  const std::string fresh = (dir / "new.yaml").string();
  ASSERT_FALSE(write_file_atomically(fresh, "x\n").has_value());
  ASSERT_EQ(::stat(fresh.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(OfflineTest, FailedRenameLeavesTargetIntact) {
  // The target is a non-empty directory: rename(2) fails after the temp file was written.
  const std::string target = (dir / "occupied").string();
  fs::create_directories(dir / "occupied" / "x");
  const auto error = write_file_atomically(target, "content\n");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("cannot rename"), std::string::npos) << *error;
  EXPECT_TRUE(fs::is_directory(target));
  EXPECT_EQ(entries(), 2u);  // wiretimed.yaml, occupied, and no temporary
}

TEST_F(OfflineTest, BadFileIsReportedWithLineAndColumn) {
  write(file,
        "interfaces:\n  - name: GE1/0/1\nntp:\n  unicast-servers:\n    - address: 1.1.1.1\n"
        "      port: 99\n");
  auto opened = OfflineFileBackend::open(file);
  ASSERT_TRUE(std::holds_alternative<config::ConfigError>(opened));
  EXPECT_EQ(std::get<config::ConfigError>(opened).to_string("f.yaml"),
            "f.yaml:6:13: ntp.unicast-servers[0].port: must be 123 or 1025-65535");
  write(file, "ntp:\n  source-interfaces:\n    - interface: GE7/0/1\n");
  opened = OfflineFileBackend::open(file);
  ASSERT_TRUE(std::holds_alternative<config::ConfigError>(opened));
  EXPECT_EQ(std::get<config::ConfigError>(opened).to_string("f.yaml"),
            "f.yaml:3:7: ntp.source-interfaces[0]: The interface does not exist.");
}

TEST_F(OfflineTest, ExecutableBatchModesStopAtFirstError) {
  std::string out;
  std::string err;
  EXPECT_EQ(run_cli("--offline " + file +
                        " -c \"system-view; ntp unicast-server 198.18.0.1; commit; "
                        "display current-configuration | include unicast\"",
                    out, err),
            0)
      << err;
  EXPECT_NE(out.find("ntp unicast-server 198.18.0.1\n"), std::string::npos) << out;

  const std::string before = read(file);
  EXPECT_EQ(run_cli("--offline " + file +
                        " -c \"system-view; ntp max-distance 99; ntp max-distance 2; commit\"",
                    out, err),
            1);
  EXPECT_EQ(err,
            "[~HUAWEI] ntp max-distance 99\n"
            "                           ^\n"
            "Error: Wrong parameter found at '^' position.\n");
  EXPECT_EQ(read(file), before);  // stopped before the commit

  // From stdin, and from a script file.
  EXPECT_EQ(run_cli("--offline " + file, out, err,
                    "system-view\nntp max-distance 3\ncommit\nquit\nquit\n"),
            0)
      << err;
  EXPECT_NE(read(file).find("max-distance: 3"), std::string::npos);
  write((dir / "script.txt").string(), "system-view\nntp bogus\n");
  EXPECT_EQ(run_cli("--offline " + file + " " + (dir / "script.txt").string(), out, err), 1);
  EXPECT_NE(err.find("Error: Unrecognized command found at '^' position."), std::string::npos);

  // No daemon on that socket (not the default path: a wiretimed may be running on this host).
  EXPECT_EQ(run_cli("--socket " + (dir / "no-daemon.sock").string() + " -c quit", out, err), 2);
  write(file, "ntp: [\n");
  EXPECT_EQ(run_cli("--offline " + file + " -c quit", out, err), 2);
  EXPECT_EQ(err.rfind("wiretime-cli: " + file + ":", 0), 0u) << err;
}

}  // namespace
}  // namespace wiretime::cli

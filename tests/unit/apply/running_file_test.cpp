#include "config/apply/running_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/apply/atomic_file.hpp"

namespace wiretime::apply {
namespace {

namespace fs = std::filesystem;

class RunningFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("wiretime_running_file_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "wiretimed.yaml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string read(const std::string& path) {
    std::string text;
    EXPECT_FALSE(read_file(path, text).has_value());
    return text;
  }

  fs::path dir_;
  std::string path_;
};

config::NtpConfig sample() {
  config::NtpConfig c;
  config::Association a;
  a.address = "10.1.1.1";
  a.preferred = true;
  c.unicast_servers.push_back(a);
  c.max_distance = 4;
  return c;
}

TEST_F(RunningFileTest, ReplacesOnlyTheNtpSection) {
  ASSERT_FALSE(write_file_atomically(path_,
                                     "dataplane:\n  lcores: [1]\n"
                                     "interfaces:\n  - name: 100GE1/0/1\n    port: 0\n"
                                     "ntp:\n  max-distance: 2\n")
                   .has_value());
  auto opened = RunningFile::open(path_);
  ASSERT_TRUE(std::holds_alternative<RunningFile>(opened));
  RunningFile file = std::get<RunningFile>(std::move(opened));
  ASSERT_FALSE(file.write(sample()).has_value());

  const std::string text = read(path_);
  EXPECT_NE(text.find("lcores"), std::string::npos) << text;
  EXPECT_NE(text.find("100GE1/0/1"), std::string::npos) << text;
  auto back = RunningFile::read_ntp(path_);
  ASSERT_TRUE(std::holds_alternative<config::NtpConfig>(back));
  EXPECT_EQ(std::get<config::NtpConfig>(back), sample());

  // An empty configuration removes the section and keeps the rest.
  ASSERT_FALSE(file.write(config::NtpConfig{}).has_value());
  const std::string emptied = read(path_);
  EXPECT_EQ(emptied.find("ntp"), std::string::npos) << emptied;
  EXPECT_NE(emptied.find("lcores"), std::string::npos) << emptied;
  back = RunningFile::read_ntp(path_);
  EXPECT_EQ(std::get<config::NtpConfig>(back), config::NtpConfig{});
}

TEST_F(RunningFileTest, MissingFileIsCreatedPrivate) {
  auto opened = RunningFile::open(path_);
  ASSERT_TRUE(std::holds_alternative<RunningFile>(opened));
  ASSERT_FALSE(std::get<RunningFile>(opened).write(sample()).has_value());
  EXPECT_EQ(fs::status(path_).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(std::get<config::NtpConfig>(RunningFile::read_ntp(path_)), sample());
}

TEST_F(RunningFileTest, BadYamlIsRefusedWithItsPosition) {
  ASSERT_FALSE(write_file_atomically(path_, "ntp:\n  max-distance: [1\n").has_value());
  auto opened = RunningFile::open(path_);
  ASSERT_TRUE(std::holds_alternative<config::ConfigError>(opened));
  EXPECT_GT(std::get<config::ConfigError>(opened).line, 0);

  ASSERT_FALSE(write_file_atomically(path_, "ntp:\n  max-distance: 99\n").has_value());
  auto decoded = RunningFile::read_ntp(path_);
  ASSERT_TRUE(std::holds_alternative<config::ConfigError>(decoded));
  EXPECT_EQ(std::get<config::ConfigError>(decoded).line, 2);
}

TEST_F(RunningFileTest, OpenRemovesTemporariesOfAnInterruptedWrite) {
  std::ofstream(path_ + ".tmpAb12Z9") << "half";
  std::ofstream(path_ + ".tmpQQQQQQ") << "half";
  std::ofstream(path_ + ".tmp-keep-me-too-long") << "other";
  std::ofstream((dir_ / "other.yaml.tmpAb12Z9").string()) << "other";
  ASSERT_TRUE(std::holds_alternative<RunningFile>(RunningFile::open(path_)));
  EXPECT_FALSE(fs::exists(path_ + ".tmpAb12Z9"));
  EXPECT_FALSE(fs::exists(path_ + ".tmpQQQQQQ"));
  EXPECT_TRUE(fs::exists(path_ + ".tmp-keep-me-too-long"));
  EXPECT_TRUE(fs::exists(dir_ / "other.yaml.tmpAb12Z9"));
  EXPECT_EQ(remove_stale_temporaries(path_), 0u);
}

TEST_F(RunningFileTest, FailedWriteLeavesFileAndDocumentUnchanged) {
  auto opened = RunningFile::open(path_);
  RunningFile file = std::get<RunningFile>(std::move(opened));
  ASSERT_FALSE(file.write(sample()).has_value());
  const std::string before = read(path_);
  // A read-only directory makes the temporary impossible (root ignores mode bits, so use a
  // path whose directory is a regular file instead).
  auto bad = RunningFile::open((dir_ / "wiretimed.yaml" / "nested.yaml").string());
  ASSERT_TRUE(std::holds_alternative<RunningFile>(bad));
  const auto error = std::get<RunningFile>(bad).write(sample());
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("temporary"), std::string::npos) << *error;
  EXPECT_EQ(read(path_), before);
}

// An old-style file (issue 10): its L3 keys read as running configuration, and the first
// write moves them into `ntp:`, leaving the inventory with ports only.
TEST_F(RunningFileTest, OldStyleL3KeysMoveIntoTheNtpSectionOnWrite) {
  ASSERT_FALSE(
      write_file_atomically(path_,
                            "interfaces:\n"
                            "  - {name: GE1/0/1, devargs: x, ipv4: 198.18.0.2/24, "
                            "gateway: 198.18.0.254}\n"
                            "  - {name: GE1/0/1.5, parent: GE1/0/1, vlan: 5}\n"
                            "routes:\n  - {prefix: 203.0.113.0/24, next-hop: 198.18.0.9}\n")
          .has_value());
  auto running = RunningFile::read_ntp(path_);
  ASSERT_TRUE(std::holds_alternative<config::NtpConfig>(running));
  config::NtpConfig c = std::get<config::NtpConfig>(running);
  ASSERT_NE(c.find_interface("GE1/0/1"), nullptr);
  EXPECT_EQ(c.find_interface("GE1/0/1.5")->dot1q_vid, 5);
  EXPECT_EQ(c.static_routes.size(), 2u);
  auto opened = RunningFile::open(path_);
  ASSERT_TRUE(std::holds_alternative<RunningFile>(opened));
  RunningFile file = std::get<RunningFile>(std::move(opened));
  c.max_distance = 3;
  ASSERT_FALSE(file.write(c).has_value());
  const std::string text = read(path_);
  EXPECT_EQ(text.find("gateway"), std::string::npos) << text;
  EXPECT_EQ(text.find("parent"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nroutes:"), std::string::npos) << text;
  EXPECT_NE(text.find("devargs: x"), std::string::npos) << text;
  auto back = RunningFile::read_ntp(path_);
  ASSERT_TRUE(std::holds_alternative<config::NtpConfig>(back));
  EXPECT_EQ(std::get<config::NtpConfig>(back), c);
}

}  // namespace
}  // namespace wiretime::apply

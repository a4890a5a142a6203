#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_keys.hpp"

namespace wiretime::daemon {
namespace {

constexpr const char* kHead =
    "dataplane:\n"
    "  eal: []\n"
    "  backend: socket\n"
    "interfaces:\n"
    "  - name: GE1/0/1\n"
    "    devargs: kernel\n"
    "    ipv4: 198.18.0.2/24\n"
    "ntp:\n";

config::ConfigResult<DaemonConfig> load(const std::string& ntp_body) {
  return load_daemon_config_text(std::string(kHead) + ntp_body, "d.yaml");
}

// Key-file keys and domain servers are entries of the running configuration, decoded by the
// codec `commit` writes with (one parser).
TEST(DaemonExtensions, KeyFileKeyIdsAndDomainServers) {
  const auto r = load(
      "  key-file: /etc/wiretime/keys\n"
      "  unicast-servers:\n"
      "    - address: 198.18.0.1\n"
      "      key-id: 7\n"
      "      minpoll: 0\n"
      "    - domain: ntp.example.test\n"
      "      port: 1123\n"
      "      minpoll: 1\n"
      "      maxpoll: 3\n"
      "      key-id: 9\n"
      "    - {key-id: 4294967295, address: 198.18.0.3}\n"
      "    - address: 198.18.0.4\n");
  ASSERT_TRUE(r) << r.error().to_string();
  const DaemonConfig& c = r.value();
  EXPECT_EQ(c.key_file, "/etc/wiretime/keys");
  const auto& servers = c.running().unicast_servers;
  ASSERT_EQ(servers.size(), 4u);
  EXPECT_EQ(servers[0].minpoll, 0);
  EXPECT_EQ(servers[0].file_key_id, 7u);
  EXPECT_EQ(servers[1].kind, config::ServerKind::kDomain);
  EXPECT_EQ(servers[1].address, "ntp.example.test");
  EXPECT_EQ(servers[1].port, 1123);
  EXPECT_EQ(servers[1].file_key_id, 9u);
  EXPECT_EQ(servers[2].file_key_id, 4294967295u);
  EXPECT_FALSE(servers[3].file_key_id);
}

// What `ntp unicast-server domain NAME iburst vpn-instance V` commits, start-up runs (the old
// start-up parser refused every VRP option of a domain server).
TEST(DaemonExtensions, DomainServersTakeEveryVrpOption) {
  const auto r = load(
      "  vpn-instances:\n"
      "    - {name: red, ipv4-family: true}\n"
      "  unicast-servers:\n"
      "    - {domain: a.test, iburst: true, preferred: true, vpn-instance: red}\n");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r.value().running().unicast_servers[0].iburst);
}

TEST(DaemonExtensions, ErrorsArePositioned) {
  struct Case {
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {"  unicast-servers:\n    - address: 198.18.0.1\n      key-id: 0\n",
       "d.yaml:11:15: ntp.unicast-servers[0].key-id: '0' is out of range 1-4294967295"},
      {"  unicast-servers:\n    - domain: a.test\n      minpoll: 4\n      maxpoll: 3\n",
       "d.yaml:10:7: ntp.unicast-servers[0]: minpoll must not exceed maxpoll"},
  };
  for (const Case& c : cases) {
    const auto r = load(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().to_string(), c.error);
  }
}

TEST(DaemonKeys, LoadsChronysKeyFileAndChecksTheServersKeys) {
  const std::string path = testing::TempDir() + "/wiretime_daemon_keys_test.keys";
  {
    std::ofstream out(path);
    out << "1 MD5 HEX:00112233445566778899AABBCCDDEEFF\n"
           "2 SHA1 ASCII:secret\n"
           "3 AES128 HEX:0011\n";  // wrong length: skipped with a warning
  }
  DaemonConfig config;
  config.key_file = path;
  auto server = [](const char* address, std::optional<uint32_t> key) {
    config::Association a;
    a.address = address;
    a.file_key_id = key;
    return a;
  };
  config.startup.running.unicast_servers = {server("198.18.0.1", 1), server("198.18.0.2", {})};
  config::Association domain = server("a.test", 2);
  domain.kind = config::ServerKind::kDomain;
  config.startup.running.unicast_servers.push_back(domain);
  DaemonKeys keys = load_daemon_keys(config);
  EXPECT_EQ(keys.error, "");
  EXPECT_TRUE(keys.authentication_enabled);
  EXPECT_EQ(keys.table.size(), 2u);
  EXPECT_EQ(keys.warnings.size(), 1u);

  config.startup.running.unicast_servers = {server("198.18.0.1", 3)};
  keys = load_daemon_keys(config);
  EXPECT_NE(keys.error.find("key-id 3"), std::string::npos) << keys.error;

  config.key_file = path + ".missing";
  keys = load_daemon_keys(config);
  EXPECT_FALSE(keys.error.empty());
  std::remove(path.c_str());

  DaemonConfig plain;
  plain.startup.running.unicast_servers = {server("198.18.0.1", {})};
  EXPECT_FALSE(load_daemon_keys(plain).authentication_enabled);
}

}  // namespace
}  // namespace wiretime::daemon

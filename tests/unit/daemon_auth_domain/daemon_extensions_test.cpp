#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_keys.hpp"
#include "control/daemon/server_specs.hpp"

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
      "    - key-id: 4294967295\n"
      "      address: 198.18.0.3\n"
      "    - address: 198.18.0.4\n");
  ASSERT_TRUE(r) << r.error().to_string();
  const DaemonConfig& c = r.value();
  EXPECT_EQ(c.key_file, "/etc/wiretime/keys");
  ASSERT_EQ(c.startup.ntp.unicast_servers.size(), 3u);
  EXPECT_EQ(c.startup.ntp.unicast_servers[0].minpoll, 0);
  EXPECT_EQ(c.startup.ntp.unicast_servers[1].ip.v4.bytes[3], 3);
  EXPECT_EQ(c.server_key_ids, (std::vector<uint32_t>{7, 4294967295u, 0}));
  ASSERT_EQ(c.domain_servers.size(), 1u);
  EXPECT_EQ(c.domain_servers[0], (DomainServer{"ntp.example.test", 1123, 1, 3, 9}));

  const auto specs = server_specs(c);
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].config.key_id, 7u);
  EXPECT_EQ(specs[2].config.key_id, 0u);
  EXPECT_TRUE(specs[3].config.is_domain);
  EXPECT_EQ(specs[3].config.address, "ntp.example.test");
  EXPECT_EQ(specs[3].config.port, 1123);
  EXPECT_EQ(specs[3].config.key_id, 9u);
}

TEST(DaemonExtensions, OnlyDomainServersLeaveAnEmptyListToTheStartupLoader) {
  const auto r = load(
      "  unicast-servers:\n"
      "    - domain: a.test\n"
      "    -\n"
      "      domain: b.test\n"
      "      minpoll: 2\n");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r.value().startup.ntp.unicast_servers.empty());
  ASSERT_EQ(r.value().domain_servers.size(), 2u);
  EXPECT_EQ(r.value().domain_servers[1].name, "b.test");
  EXPECT_EQ(r.value().domain_servers[1].minpoll, 2);
}

TEST(DaemonExtensions, ErrorsArePositioned) {
  struct Case {
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {"  unicast-servers:\n    - address: 198.18.0.1\n      key-id: 0\n",
       "d.yaml:11:7: ntp.unicast-servers[0].key-id: '0' is not a key id (1-4294967295)"},
      {"  unicast-servers:\n    - domain: a.test\n      address: 198.18.0.1\n",
       "d.yaml:11:7: ntp.unicast-servers[0].address: a server has either `address` or `domain`"},
      {"  unicast-servers:\n    - domain: a.test\n      vpn-instance: red\n",
       "d.yaml:11:7: ntp.unicast-servers[0].vpn-instance: not supported for a domain server "
       "(domain, port, minpoll, maxpoll, key-id)"},
      {"  unicast-servers:\n    - domain: a.test\n      minpoll: 4\n      maxpoll: 3\n",
       "d.yaml:12:7: ntp.unicast-servers[0]: maxpoll 3 is below minpoll 4"},
      {"  unicast-servers:\n    - {domain: a.test}\n",
       "d.yaml:10:8: ntp.unicast-servers[0].domain: write this server in block style with each "
       "value on its key's line"},
      {"  key-file:\n",
       "d.yaml:9:3: ntp.key-file: write it in block style with its value on the same line"},
  };
  for (const Case& c : cases) {
    const auto r = load(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().to_string(), c.error);
  }
  const auto no_file = load("  unicast-servers:\n    - address: 198.18.0.1\n      key-id: 3\n");
  ASSERT_FALSE(no_file);
  EXPECT_EQ(no_file.error().path, "ntp.key-file");
}

TEST(DaemonExtensions, OtherErrorsKeepTheirPositions) {
  const auto r = load(
      "  key-file: /k\n"
      "  unicast-servers:\n"
      "    - domain: a.test\n"
      "    - address: 198.18.0.1\n"
      "      key-id: 1\n"
      "      minpoll: 99\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().line, 14);
  EXPECT_EQ(r.error().column, 7);  // the loader names the key
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
  config.server_key_ids = {1, 0};
  config.domain_servers.push_back(DomainServer{"a.test", 123, 6, 10, 2});
  DaemonKeys keys = load_daemon_keys(config);
  EXPECT_EQ(keys.error, "");
  EXPECT_TRUE(keys.authentication_enabled);
  EXPECT_EQ(keys.table.size(), 2u);
  EXPECT_EQ(keys.warnings.size(), 1u);

  config.server_key_ids = {3};
  keys = load_daemon_keys(config);
  EXPECT_NE(keys.error.find("key-id 3"), std::string::npos) << keys.error;

  config.key_file = path + ".missing";
  keys = load_daemon_keys(config);
  EXPECT_FALSE(keys.error.empty());
  std::remove(path.c_str());

  DaemonConfig plain;
  plain.server_key_ids = {0};
  EXPECT_FALSE(load_daemon_keys(plain).authentication_enabled);
}

}  // namespace
}  // namespace wiretime::daemon

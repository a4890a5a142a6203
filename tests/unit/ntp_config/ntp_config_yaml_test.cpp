#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/ntp_config/key_cipher.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::config {
namespace {

NtpConfig full_config() {
  NtpConfig c;
  c.sysname = "EDGE1";
  c.vpn_instances.push_back({"abc", true, true});
  InterfaceSettings s;
  s.name = "GE1/0/1.100";
  s.vpn_instance = "abc";
  s.ipv4 = {{"10.1.1.1", 24}, {"10.1.2.1", 24}};
  s.ipv6_enable = true;
  s.ipv6 = {{"2001:db8::1", 64}};
  s.dot1q_vid = 100;
  c.interfaces.push_back(s);
  c.static_routes.push_back({AddressFamily::kIpv4, "abc", "0.0.0.0", 0, "10.1.1.254"});
  c.static_routes.push_back({AddressFamily::kIpv6, "", "2001:db8:1::", 48, "2001:db8::fe"});
  c.server_disable = true;
  c.ipv6_server_disable = true;
  c.keys[42] = {KeyMode::kHmacSha256, "secret with spaces"};
  c.keys[7] = {KeyMode::kAes128Cmac, "0123456789abcdef"};
  c.trusted_keys = {42};
  c.key_file = "/etc/wiretime/chrony.keys";
  c.refclock_master = RefclockMaster{(127u << 24) | (127u << 16) | (1u << 8) | 1u, 5};
  Association a;
  a.address = "10.10.1.1";
  a.version = 4;
  a.key_id = 42;
  a.file_key_id = 3;
  a.port = 5000;
  a.source_interface = "GE1/0/1.100";
  a.vpn_instance = "abc";
  a.preferred = true;
  a.maxpoll = 11;
  a.minpoll = 4;
  a.burst = a.iburst = a.preempt = true;
  c.unicast_servers.push_back(a);
  Association d;
  d.kind = ServerKind::kDomain;
  d.address = "ntp.example.com";
  c.unicast_servers.push_back(d);
  Association p;
  p.kind = ServerKind::kIpv6;
  p.address = "2001:db8::2";
  p.version = 4;
  c.unicast_peers.push_back(p);
  c.source_interfaces.push_back({AddressFamily::kIpv6, "abc", "GE1/0/1.100"});
  c.unsync_max_poll = UnsyncMaxPoll{7, 6};
  c.max_distance = 3;
  c.discard_min_interval = 2;
  c.discard_avg_interval = 6;
  c.access[AccessLevel::kLimited] = {"2001", false, "v6acl", true};
  c.authentication_enable = true;
  c.kod_enable = true;
  c.server_source_interfaces = {"GE1/0/1.100"};
  c.ipv6_server_source_addresses.push_back({"2001:db8::1", "abc"});
  c.server_listen_all = true;
  c.physic_isolate.push_back({AddressFamily::kIpv4, "GE1/0/1.100", "10.1.1.1"});
  c.source_port = 1234;
  c.sync_interval = 300;
  c.offset_limit = 100;
  c.max_dynamic_sessions = 50;
  c.service_disable = false;
  c.ipv6_service_disable = true;
  return c;
}

TEST(NtpConfigYaml, RoundTripsEveryField) {
  const NtpConfig original = full_config();
  const std::string text = ntp_config_to_yaml_text(original);
  auto decoded = ntp_config_from_yaml_text(text);
  ASSERT_TRUE(std::holds_alternative<NtpConfig>(decoded))
      << std::get<ConfigError>(decoded).to_string() << "\n"
      << text;
  EXPECT_EQ(std::get<NtpConfig>(decoded), original) << text;
  // Secrets never appear in clear in the file.
  EXPECT_EQ(text.find("secret with spaces"), std::string::npos);
}

TEST(NtpConfigYaml, DefaultsAreOmittedAndEmptyMeansDefault) {
  EXPECT_EQ(ntp_config_to_yaml_text(NtpConfig{}), "ntp:\n  {}\n");
  auto decoded = ntp_config_from_yaml_text("dataplane: {}\n");
  ASSERT_TRUE(std::holds_alternative<NtpConfig>(decoded));
  EXPECT_EQ(std::get<NtpConfig>(decoded), NtpConfig{});
}

TEST(NtpConfigYaml, AcceptsTheStartupSkeletonSchema) {
  // The start-up loader's example: unicast-servers with address/port/minpoll/maxpoll, and the
  // lab extension of poll exponents below the VRP range.
  auto decoded = ntp_config_from_yaml_text(
      "ntp:\n  unicast-servers:\n    - address: 198.18.0.1\n      port: 123\n      minpoll: 0\n"
      "      maxpoll: 4\n");
  ASSERT_TRUE(std::holds_alternative<NtpConfig>(decoded))
      << std::get<ConfigError>(decoded).to_string();
  const auto& s = std::get<NtpConfig>(decoded).unicast_servers.at(0);
  EXPECT_EQ(s.minpoll, 0);
  EXPECT_EQ(s.maxpoll, 4);
}

TEST(NtpConfigYaml, AListKeyWithNothingUnderItIsEmpty) {
  // As the start-up loader reads it: a daemon file with `unicast-servers:` and no servers.
  auto decoded = ntp_config_from_yaml_text("ntp:\n  unicast-servers:\n  source-interfaces:\n");
  ASSERT_TRUE(std::holds_alternative<NtpConfig>(decoded))
      << std::get<ConfigError>(decoded).to_string();
  EXPECT_EQ(std::get<NtpConfig>(decoded), NtpConfig{});
}

TEST(NtpConfigYaml, PlainPasswordIsAccepted) {
  auto decoded = ntp_config_from_yaml_text(
      "ntp:\n  authentication-keys:\n    - {id: 5, mode: md5, password: abc}\n");
  ASSERT_TRUE(std::holds_alternative<NtpConfig>(decoded));
  EXPECT_EQ(std::get<NtpConfig>(decoded).keys.at(5).secret, "abc");
}

struct BadYaml {
  const char* text;
  const char* path;
  int line;
  int column;
};

class NtpConfigYamlErrors : public ::testing::TestWithParam<BadYaml> {};

TEST_P(NtpConfigYamlErrors, NamesPathLineAndColumn) {
  const BadYaml& bad = GetParam();
  auto decoded = ntp_config_from_yaml_text(bad.text);
  ASSERT_TRUE(std::holds_alternative<ConfigError>(decoded)) << bad.text;
  const ConfigError& e = std::get<ConfigError>(decoded);
  EXPECT_EQ(e.path, bad.path) << e.to_string();
  EXPECT_EQ(e.line, bad.line) << e.to_string();
  EXPECT_EQ(e.column, bad.column) << e.to_string();
}

INSTANTIATE_TEST_SUITE_P(
    All, NtpConfigYamlErrors,
    ::testing::Values(
        BadYaml{"ntp:\n  unknown-key: 1\n", "ntp.unknown-key", 2, 3},
        BadYaml{"ntp:\n  unicast-servers:\n    - address: 1.2.3.300\n",
                "ntp.unicast-servers[0].address", 3, 16},
        BadYaml{"ntp:\n  unicast-servers:\n    - address: 1.2.3.4\n      version: 5\n",
                "ntp.unicast-servers[0].version", 4, 16},
        BadYaml{"ntp:\n  unicast-servers:\n    - address: 1.2.3.4\n      port: 1000\n",
                "ntp.unicast-servers[0].port", 4, 13},
        BadYaml{"ntp:\n  unicast-servers:\n    - address: 2001:db8::1\n      version: 4\n",
                "ntp.unicast-servers[0].version", 4, 16},
        BadYaml{"ntp:\n  unicast-servers:\n    - {address: 1.2.3.4, minpoll: 6, maxpoll: 5}\n",
                "ntp.unicast-servers[0]", 3, 7},
        BadYaml{"ntp:\n  unicast-peers:\n    - {address: 1.2.3.4, burst: true}\n",
                "ntp.unicast-peers[0].burst", 3, 26},
        BadYaml{"ntp:\n  unsync-max-poll-interval: {poll-interval: 10, dec-step: 5}\n",
                "ntp.unsync-max-poll-interval.dec-step", 2, 59},
        BadYaml{"ntp:\n  vpn-instances:\n    - name: _public_\n", "ntp.vpn-instances[0].name", 3,
                13},
        BadYaml{"ntp:\n  authentication-keys:\n    - {id: 1, mode: sha1, password: x}\n",
                "ntp.authentication-keys[0].mode", 3, 21},
        BadYaml{"ntp:\n  authentication-keys:\n    - {id: 1, mode: md5, cipher: "
                "\"%+%#garbagegarbagegarbage%+%#\"}\n",
                "ntp.authentication-keys[0].cipher", 3, 34},
        BadYaml{"ntp:\n  max-distance: 17\n", "ntp.max-distance", 2, 17},
        BadYaml{"ntp:\n  refclock-master: {address: 127.0.0.1}\n", "ntp.refclock-master.address", 2,
                30},
        BadYaml{
            "ntp:\n  source-interfaces:\n    - {interface: GE1/0/1}\n    - {interface: GE1/0/2}\n",
            "ntp.source-interfaces[1]", 4, 7},
        BadYaml{"ntp: [1, 2\n", "", 2, 1}));

TEST(KeyCipher, RoundTripsAndRejectsForgeries) {
  for (const std::string& secret :
       {std::string("a"), std::string(255, 'x'), std::string("0123456789abcdef0123456789abcdef")}) {
    const std::string cipher = encode_key_cipher(secret);
    EXPECT_GE(cipher.size(), 20u);
    EXPECT_LE(cipher.size(), 432u);
    EXPECT_EQ(cipher.substr(0, 4), "%+%#");
    EXPECT_EQ(decode_key_cipher(cipher), secret);
  }
  std::string tampered = encode_key_cipher("abc");
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_key_cipher(tampered).has_value());
  EXPECT_FALSE(decode_key_cipher("%+%#short%+%#").has_value());
}

}  // namespace
}  // namespace wiretime::config

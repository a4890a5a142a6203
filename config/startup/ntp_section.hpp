// The `ntp:` section of the start-up YAML. Kept apart from the rest of the loader because the
// VRP CLI model (config/ntp_config.*) will take this section over.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/startup/ipv4_text.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::config {

class YamlField;

struct UnicastServer {
  Ipv4Address address;  // IPv4 servers only (zero for IPv6); `ip` holds either family
  wire::IpAddress ip;
  std::string vpn_instance;      // the VRF the server is reached in; empty: public network
  std::string source_interface;  // optional: the interface requests leave from
  uint16_t port = 123;
  // Poll exponents (2^n s). VRP allows 3..6 and 10..17; the YAML also accepts down to -4
  // (1/16 s) as a lab extension so that tests converge in seconds.
  int minpoll = 6;
  int maxpoll = 10;
  bool interleaved = false;  // wiretimed extension: interleaved client mode (docs/configuration.md)
};

struct NtpSection {
  std::vector<UnicastServer> unicast_servers;
};

// The keys of one `unicast-servers` item (one list for the parser and for error positions).
// "version" to "preempt" are VRP options of the `ntp:` schema (config/ntp_config) that start-up
// does not model: accepted so that a file `commit` wrote starts the daemon, whose management
// socket puts them into effect.
inline constexpr std::array<std::string_view, 13> kUnicastServerKeys{
    "address",      "port",
    "minpoll",      "maxpoll",
    "vpn-instance", "source-interface",
    "version",      "authentication-keyid",
    "preferred",    "burst",
    "iburst",       "preempt",
    "interleaved"};

inline constexpr int kMinPollExponent = -4;
inline constexpr int kMaxPollExponent = 17;

// Reads `field` (the value of the `ntp` key); throws YamlReadFailure on bad input. The whole
// section is also decoded with config/ntp_config's codec (the schema `commit` writes,
// docs/configuration.md), so any of its keys is accepted and checked with its position.
NtpSection parse_ntp_section(const YamlField& field);

// `ntp.unicast-servers[index]` of a section parse_ntp_section() read (for later checks that
// point at a server, such as routing).
YamlField unicast_server_item(const YamlField& ntp, size_t index);

}  // namespace wiretime::config

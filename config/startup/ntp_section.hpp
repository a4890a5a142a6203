// The `ntp:` section of the start-up YAML. Kept apart from the rest of the loader because the
// VRP CLI model (config/ntp_config.*) will take this section over.
#pragma once

#include <cstdint>
#include <vector>

#include "config/startup/ipv4_text.hpp"

namespace wiretime::config {

class YamlField;

struct UnicastServer {
  Ipv4Address address;
  uint16_t port = 123;
  // Poll exponents (2^n s). VRP allows 3..6 and 10..17; the YAML also accepts down to -4
  // (1/16 s) as a lab extension so that tests converge in seconds.
  int minpoll = 6;
  int maxpoll = 10;
};

struct NtpSection {
  std::vector<UnicastServer> unicast_servers;
};

inline constexpr int kMinPollExponent = -4;
inline constexpr int kMaxPollExponent = 17;

// Reads `field` (the value of the `ntp` key); throws YamlReadFailure on bad input.
NtpSection parse_ntp_section(const YamlField& field);

}  // namespace wiretime::config

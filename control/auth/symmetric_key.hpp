// One shared secret: the key id carried in the MAC trailer, its MAC function and its bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "dataplane/auth/mac_algorithm.hpp"

namespace wiretime::auth {

struct SymmetricKey {
  uint32_t id = 0;  // 1..2^32-1; 0 is reserved for the crypto-NAK
  MacAlgorithm algorithm = MacAlgorithm::kMd5;
  std::vector<uint8_t> secret;
  // VRP `ntp trusted authentication-keyid`: only trusted keys authenticate a server. Keys from
  // a chrony key file are all trusted (chrony has no such notion).
  bool trusted = true;
};

}  // namespace wiretime::auth

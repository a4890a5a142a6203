// Test helper: hex strings (as printed by tshark / the testdata README) to bytes.
#pragma once

#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "dataplane/wire/decode_error.hpp"

namespace wiretime::wire {

// Lets GoogleTest print reasons by name in failure messages.
inline void PrintTo(DecodeError e, std::ostream* os) {
  *os << to_string(e);
}

}  // namespace wiretime::wire

namespace wiretime::wire::test {

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    throw std::invalid_argument("bad hex digit");
  };
  std::vector<uint8_t> out;
  uint8_t hi = 0;
  bool have_hi = false;
  for (char c : hex) {
    if (c == ' ' || c == '\n' || c == ':') continue;
    if (!have_hi) {
      hi = nibble(c);
      have_hi = true;
    } else {
      out.push_back(static_cast<uint8_t>(hi << 4 | nibble(c)));
      have_hi = false;
    }
  }
  if (have_hi) throw std::invalid_argument("odd hex length");
  return out;
}

}  // namespace wiretime::wire::test

// Hex helpers for the auth tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wiretime::auth::test {

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  return out;
}

template <typename Bytes>
std::string to_hex(const Bytes& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

inline std::vector<uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

}  // namespace wiretime::auth::test

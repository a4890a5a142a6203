#include "config/ntp_config/key_cipher.hpp"

#include <cstdint>
#include <vector>

namespace wiretime::config {
namespace {

constexpr std::string_view kFrame = "%+%#";
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// splitmix64 keystream from a fixed seed: deterministic so a re-saved file does not churn.
std::vector<uint8_t> keystream(size_t length) {
  std::vector<uint8_t> out;
  out.reserve(length);
  uint64_t state = 0x7769726574696d65ull;  // "wiretime"
  while (out.size() < length) {
    state += 0x9e3779b97f4a7c15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (int i = 0; i < 8 && out.size() < length; ++i) {
      out.push_back(static_cast<uint8_t>(z >> (8 * i)));
    }
  }
  return out;
}

int decode_char(char c) {
  for (int i = 0; i < 64; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string encode_key_cipher(std::string_view secret) {
  std::vector<uint8_t> payload;
  payload.push_back(static_cast<uint8_t>(secret.size()));
  payload.insert(payload.end(), secret.begin(), secret.end());
  // Pad to a multiple of 3 (no '=' padding) and to at least 18 bytes (the cipher form is
  // 20-432 characters long in VRP).
  while (payload.size() < 18 || payload.size() % 3 != 0) payload.push_back(0);
  const std::vector<uint8_t> ks = keystream(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) payload[i] ^= ks[i];
  std::string out(kFrame);
  for (size_t i = 0; i < payload.size(); i += 3) {
    const uint32_t v =
        (uint32_t{payload[i]} << 16) | (uint32_t{payload[i + 1]} << 8) | uint32_t{payload[i + 2]};
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  out += kFrame;
  return out;
}

std::optional<std::string> decode_key_cipher(std::string_view cipher) {
  if (cipher.size() < 20 || cipher.size() > 432) return std::nullopt;
  if (cipher.substr(0, kFrame.size()) != kFrame ||
      cipher.substr(cipher.size() - kFrame.size()) != kFrame) {
    return std::nullopt;
  }
  const std::string_view body = cipher.substr(kFrame.size(), cipher.size() - 2 * kFrame.size());
  if (body.size() % 4 != 0) return std::nullopt;
  std::vector<uint8_t> payload;
  for (size_t i = 0; i < body.size(); i += 4) {
    uint32_t v = 0;
    for (size_t j = 0; j < 4; ++j) {
      const int d = decode_char(body[i + j]);
      if (d < 0) return std::nullopt;
      v = (v << 6) | static_cast<uint32_t>(d);
    }
    payload.push_back(static_cast<uint8_t>(v >> 16));
    payload.push_back(static_cast<uint8_t>(v >> 8));
    payload.push_back(static_cast<uint8_t>(v));
  }
  const std::vector<uint8_t> ks = keystream(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) payload[i] ^= ks[i];
  const size_t length = payload[0];
  if (length == 0 || length + 1 > payload.size()) return std::nullopt;
  for (size_t i = length + 1; i < payload.size(); ++i) {
    if (payload[i] != 0) return std::nullopt;
  }
  return std::string(payload.begin() + 1, payload.begin() + static_cast<long>(length) + 1);
}

}  // namespace wiretime::config

#include "config/ntp_config/ip_address.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

namespace wiretime::config {

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  uint32_t value = 0;
  int octets = 0;
  size_t i = 0;
  while (octets < 4) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    uint32_t octet = 0;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
      if (++digits > 3) return std::nullopt;
    }
    if (octet > 255) return std::nullopt;
    value = (value << 8) | octet;
    ++octets;
    if (octets < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return value;
}

std::string ipv4_to_string(uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

std::optional<Ipv6Bytes> parse_ipv6(std::string_view text) {
  // inet_pton is a pure libc parser (no system call); it needs a terminated string.
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[46];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  Ipv6Bytes bytes{};
  if (inet_pton(AF_INET6, buffer, bytes.data()) != 1) return std::nullopt;
  return bytes;
}

std::string ipv6_to_string(const Ipv6Bytes& address) {
  char buffer[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, address.data(), buffer, sizeof buffer) == nullptr) return {};
  return buffer;
}

bool looks_like_ipv4(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c != '.' && !std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

uint32_t ipv4_mask_from_length(int length) {
  if (length <= 0) return 0;
  if (length >= 32) return 0xffffffffu;
  return ~((1u << (32 - length)) - 1u);
}

std::optional<int> ipv4_length_from_mask(uint32_t mask) {
  for (int length = 0; length <= 32; ++length) {
    if (ipv4_mask_from_length(length) == mask) return length;
  }
  return std::nullopt;
}

ServerAddressClass classify_ipv4_server(uint32_t address) {
  if (address == 0) return ServerAddressClass::kUnspecified;
  if (address == 0xffffffffu) return ServerAddressClass::kBroadcast;
  const uint32_t top = address >> 24;
  if (top == 127) return ServerAddressClass::kLoopback;
  if (top >= 224 && top <= 239) return ServerAddressClass::kMulticast;
  if (top >= 240) return ServerAddressClass::kReserved;
  return ServerAddressClass::kHost;
}

ServerAddressClass classify_ipv6_server(const Ipv6Bytes& address) {
  static constexpr Ipv6Bytes kZero{};
  Ipv6Bytes loopback{};
  loopback[15] = 1;
  if (address == kZero) return ServerAddressClass::kUnspecified;
  if (address == loopback) return ServerAddressClass::kLoopback;
  if (address[0] == 0xff) return ServerAddressClass::kMulticast;
  bool mapped = address[10] == 0xff && address[11] == 0xff;
  for (int i = 0; i < 10 && mapped; ++i) mapped = address[static_cast<size_t>(i)] == 0;
  if (mapped) return ServerAddressClass::kIpv4Mapped;
  if (address[0] == 0xfe && (address[1] & 0xc0) == 0x80) return ServerAddressClass::kLinkLocal;
  return ServerAddressClass::kHost;
}

bool is_domain_name(std::string_view text) {
  if (text.empty() || text.size() > 255 || looks_like_ipv4(text)) return false;
  size_t label = 0;
  for (char c : text) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return true;  // a trailing dot (fully qualified) is allowed
}

bool is_refclock_address(uint32_t address) {
  return (address >> 16) == ((127u << 8) | 127u) && ((address >> 8) & 0xff) <= 37 &&
         (address & 0xff) <= 3;
}

}  // namespace wiretime::config

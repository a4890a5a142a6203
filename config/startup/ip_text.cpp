#include "config/startup/ip_text.hpp"

#include <arpa/inet.h>

#include <string>

#include "config/startup/ipv4_text.hpp"

namespace wiretime::config {
namespace {

std::optional<unsigned> parse_length(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  unsigned v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<wire::Ipv6Address> parse_ipv6_address(std::string_view text) {
  // inet_pton is strict RFC 4291 text (no zone, no brackets, no prefix) and does no I/O.
  if (text.find(':') == std::string_view::npos || text.size() > 45) return std::nullopt;
  const std::string s(text);
  wire::Ipv6Address a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return a;
}

std::optional<wire::IpAddress> parse_ip_address(std::string_view text) {
  if (text.find(':') != std::string_view::npos) {
    const auto v6 = parse_ipv6_address(text);
    if (!v6) return std::nullopt;
    return wire::IpAddress::from(*v6);
  }
  const auto v4 = parse_ipv4_address(text);
  if (!v4) return std::nullopt;
  return wire::IpAddress::from(wire::Ipv4Address::from_host_order(v4->value));
}

std::optional<l3::IpPrefix> parse_ip_prefix(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  const auto length =
      parse_length(text.substr(slash + 1), address->version == wire::IpVersion::kV4 ? 32 : 128);
  if (!length) return std::nullopt;
  return l3::IpPrefix{*address, static_cast<uint8_t>(*length)};
}

std::optional<wire::MacAddress> parse_mac_address(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  wire::MacAddress mac;
  for (size_t i = 0; i < 6; ++i) {
    const int hi = hex_digit(text[i * 3]);
    const int lo = hex_digit(text[i * 3 + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != ':')) return std::nullopt;
    mac.bytes[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return mac;
}

}  // namespace wiretime::config

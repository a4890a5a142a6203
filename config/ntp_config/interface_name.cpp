#include "config/ntp_config/interface_name.hpp"

#include <array>
#include <cctype>

namespace wiretime::config {
namespace {

constexpr std::array<std::string_view, 15> kTypes = {
    "GE",   "10GE",   "25GE",     "40GE",      "50GE",   "100GE", "200GE",   "400GE",
    "MEth", "Vlanif", "LoopBack", "Eth-Trunk", "Tunnel", "NULL",  "Ethernet"};

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::span<const std::string_view> interface_types() {
  return kTypes;
}

std::optional<std::string_view> match_interface_type(std::string_view keyword) {
  if (keyword.empty()) return std::nullopt;
  std::optional<std::string_view> found;
  for (std::string_view type : kTypes) {
    if (type.size() == keyword.size() && iequals_prefix(type, keyword)) return type;
    if (iequals_prefix(type, keyword)) {
      if (found) return std::nullopt;  // ambiguous prefix
      found = type;
    }
  }
  return found;
}

bool is_interface_number(std::string_view text) {
  if (text.empty() || text.size() > 40 || !std::isdigit(static_cast<unsigned char>(text[0]))) {
    return false;
  }
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '/' && c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

std::optional<std::string> canonical_interface_name(std::string_view text) {
  if (text.empty() || text.size() > 47) return std::nullopt;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        !std::isprint(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  // Longest type that prefixes the name and is followed by an interface number.
  std::string_view best;
  for (std::string_view type : kTypes) {
    if (type.size() > best.size() && iequals_prefix(text, type) &&
        is_interface_number(text.substr(type.size()))) {
      best = type;
    }
  }
  if (best.empty()) return std::string(text);
  return std::string(best) + std::string(text.substr(best.size()));
}

std::optional<SubInterfaceName> split_sub_interface(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= name.size()) return std::nullopt;
  const std::string_view vlan = name.substr(dot + 1);
  if (vlan.size() > 4) return std::nullopt;
  int value = 0;
  for (char c : vlan) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 4094) return std::nullopt;
  return SubInterfaceName{std::string(name.substr(0, dot)), value};
}

}  // namespace wiretime::config

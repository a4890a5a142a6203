#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wiretime::config {

// VRP interface types, canonical spelling ("100GE", "Vlanif", ...). The CLI accepts them as the
// keyword of the two-token form (`100ge 1/0/1`) and canonicalises both forms to one name.
std::span<const std::string_view> interface_types();

// The canonical type a keyword names (case-insensitive exact match, or unique prefix).
std::optional<std::string_view> match_interface_type(std::string_view keyword);

// An interface number: starts with a digit, then digits, '/', '.', ':' (1/0/1, 100, 1/0/1.10).
bool is_interface_number(std::string_view text);

// `100ge1/0/1` -> `100GE1/0/1`; names of unknown types (e.g. an inventory name `veth0`) are
// returned unchanged. Empty when the text is not a usable name (empty, too long, spaces).
std::optional<std::string> canonical_interface_name(std::string_view text);

// `GE1/0/1.100` -> parent `GE1/0/1`, VLAN 100; nullopt for a main interface.
struct SubInterfaceName {
  std::string parent;
  int vlan = 0;
};
std::optional<SubInterfaceName> split_sub_interface(std::string_view name);

}  // namespace wiretime::config

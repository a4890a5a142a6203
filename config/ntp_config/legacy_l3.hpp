// Old-style daemon files (before issue 10) kept L3 settings beside the hardware inventory:
// `interfaces[]` items with ipv4 / ipv6 / gateway / vpn-instance, sub-interfaces as items with
// parent + vlan, and a top-level `routes:` list. Those settings belong to the running
// configuration (the VRP commands of spec section 12), so an old-style file still loads: each
// key becomes the entry the CLI would have written (`ntp.interfaces`, `ntp.vpn-instances`,
// `ntp.static-routes`), and the first commit rewrites the file in the new shape (inventory
// only in `interfaces:`, no `routes:`). docs/configuration.md, "Old-style files".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace YAML {
class Node;
}

namespace wiretime::config {

// The L3 keys an inventory item may still carry (old style); `name`, `devargs`, `mac` are
// the inventory's own.
inline constexpr const char* kLegacyInterfaceKeys[] = {"ipv4",         "ipv6",   "gateway",
                                                       "vpn-instance", "parent", "vlan"};

// Adds the old-style L3 settings of `document` to `running`. Each moved key is described in
// `moved` (e.g. "interfaces[0].ipv4 -> ntp.interfaces GE1/0/1 ipv4-addresses"), for the log.
// An error (with line and column) when a key is malformed or the same setting is also in the
// `ntp:` section (then the message names the key to delete or move).
std::optional<ConfigError> adopt_legacy_l3(const YAML::Node& document, NtpConfig& running,
                                           std::vector<std::string>* moved = nullptr);

// Removes the old-style keys (and sub-interface items, and `routes:`) from `document`, whose
// `ntp:` section is about to be written with them moved in. True when anything was removed.
bool strip_legacy_l3(YAML::Node& document);

}  // namespace wiretime::config

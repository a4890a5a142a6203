#pragma once

#include <set>
#include <string>

namespace YAML {
class Node;
}

namespace wiretime::config {

// The interfaces the hardware has: names from the daemon file's `interfaces:` section (owned by
// the start-up configuration). An interface the inventory does not know does not exist for the
// CLI; dot1q sub-interfaces of a known interface exist once created.
struct InterfaceInventory {
  std::set<std::string> names;

  bool contains(const std::string& name) const { return names.count(name) != 0; }
};

// Names of `interfaces[].name` in a daemon YAML document (ports; old-style sub-interface items
// are not hardware); entries without a name are skipped
// (the start-up loader reports those).
InterfaceInventory inventory_from_daemon_yaml(const YAML::Node& document);

}  // namespace wiretime::config

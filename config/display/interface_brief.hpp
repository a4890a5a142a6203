#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wiretime::display {

enum class LinkState : uint8_t { kUp, kDown, kAdminDown };

// One row of `display interface brief`, filled by the daemon from its ports (link state,
// error counters) and its configured interfaces.
struct InterfaceBrief {
  std::string name;  // canonical VRP name, e.g. 100GE1/0/1 or 100GE1/0/1.100
  LinkState physical = LinkState::kDown;
  LinkState protocol = LinkState::kDown;
  std::optional<double> input_utilization;  // percent; absent: "--"
  std::optional<double> output_utilization;
  uint64_t input_errors = 0;
  uint64_t output_errors = 0;
};

// The CE layout: the legend, the column header, one row per interface in the given order.
std::string render_interface_brief(const std::vector<InterfaceBrief>& interfaces);

}  // namespace wiretime::display

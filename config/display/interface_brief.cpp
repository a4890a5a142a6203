#include "config/display/interface_brief.hpp"

#include "config/display/display_format.hpp"

namespace wiretime::display {

namespace {

const char* state_text(LinkState state) {
  switch (state) {
    case LinkState::kUp:
      return "up";
    case LinkState::kDown:
      return "down";
    case LinkState::kAdminDown:
      return "*down";
  }
  return "down";
}

std::string utilization(const std::optional<double>& percent) {
  return percent ? format("%.2f%%", *percent) : "--";
}

constexpr const char* kLegend =
    "PHY: Physical\n"
    "*down: administratively down\n"
    "^down: standby\n"
    "(l): loopback\n"
    "(s): spoofing\n"
    "(b): BFD down\n"
    "(e): ETHOAM down\n"
    "(d): Dampening Suppressed\n"
    "(p): port alarm down\n"
    "(dl): DLDP down\n"
    "(c): CFM down\n"
    "InUti/OutUti: input utility rate/output utility rate\n";

// Columns as CE prints them: name 27 wide, states 9, utilizations right-aligned in 6, error
// counters right-aligned in 11.
constexpr const char* kRow = "%-27s%-9s%-9s%6s %6s%11s%11s";

}  // namespace

std::string render_interface_brief(const std::vector<InterfaceBrief>& interfaces) {
  std::string out = kLegend;
  out += format(kRow, "Interface", "PHY", "Protocol", "InUti", "OutUti", "inErrors", "outErrors");
  out += "\n";
  for (const InterfaceBrief& i : interfaces) {
    std::string line =
        format(kRow, i.name.c_str(), state_text(i.physical), state_text(i.protocol),
               utilization(i.input_utilization).c_str(), utilization(i.output_utilization).c_str(),
               std::to_string(i.input_errors).c_str(), std::to_string(i.output_errors).c_str());
    out += line + "\n";
  }
  return out;
}

}  // namespace wiretime::display

#include "control/daemon/l3_publisher.hpp"

#include "config/startup/network_spec.hpp"

namespace wiretime::daemon {

L3Publisher::L3Publisher(std::vector<config::InterfaceSection> ports,
                         const config::NtpConfig& running, Apply apply, Log info, Log warning)
    : ports_(std::move(ports)),
      last_interfaces_(running.interfaces),
      last_routes_(running.static_routes),
      last_spec_(config::network_spec(ports_, running)),
      apply_(std::move(apply)),
      info_(std::move(info)),
      warning_(std::move(warning)) {}

bool L3Publisher::update(const config::NtpConfig& running) {
  if (running.interfaces == last_interfaces_ && running.static_routes == last_routes_) {
    return false;
  }
  last_interfaces_ = running.interfaces;
  last_routes_ = running.static_routes;
  std::vector<std::string> warnings;
  l3::NetworkSpec spec = config::network_spec(ports_, running, &warnings);
  for (const std::string& w : warnings) warning_(w);
  // The tables take interfaces and routes; the source-interface list only sizes RX queues at
  // start (a later source interface shares queue 0 with the rest, classified in software).
  if (spec.interfaces == last_spec_.interfaces && spec.routes == last_spec_.routes) return false;
  if (std::string e = apply_(spec); !e.empty()) {
    warning_("L3 change of the commit not applied: " + e);
    return false;
  }
  size_t addresses = 0;
  for (const l3::InterfaceSpec& itf : spec.interfaces) addresses += itf.addresses.size();
  info_("L3 tables replaced: " + std::to_string(spec.interfaces.size()) + " interfaces, " +
        std::to_string(addresses) + " addresses, " + std::to_string(spec.routes.size()) +
        " static routes");
  last_spec_ = std::move(spec);
  return true;
}

}  // namespace wiretime::daemon

#include "dataplane/l3/network_tables.hpp"

namespace wiretime::l3 {

std::string NetworkTables::build(const NetworkSpec& spec,
                                 const std::vector<wire::MacAddress>& port_macs,
                                 const NetworkTables* previous) {
  if (std::string e = interfaces.build(spec.interfaces, port_macs,
                                       previous != nullptr ? &previous->interfaces : nullptr);
      !e.empty()) {
    return e;
  }
  if (interfaces.index_limit() > kMaxInterfaces) {
    return "more than " + std::to_string(kMaxInterfaces) + " interfaces";
  }
  return routes.build(interfaces, spec.routes);
}

}  // namespace wiretime::l3

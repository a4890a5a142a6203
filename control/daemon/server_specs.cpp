#include "control/daemon/server_specs.hpp"

namespace wiretime::daemon {

void DeferredPlacement::place(runtime::Peer& peer, const engine::AssociationConfig& config,
                              const l3::InterfaceTable& interfaces) {
  const std::string key = config.address + " " + config.vpn_instance;
  const bool had_route = peer.vrf != kNoVrf;
  const std::string error = place_peer(peer, config, interfaces);
  if (error.empty()) {
    pending_.erase(key);
    return;
  }
  if (had_route) pending_[key] = "server " + config.address + ": " + error + "; it has no route";
  peer.vrf = kNoVrf;
  peer.interface = runtime::kAnyInterface;
}

std::vector<std::string> DeferredPlacement::take_warnings() {
  std::vector<std::string> out;
  for (auto& [key, text] : pending_) out.push_back(std::move(text));
  pending_.clear();
  return out;
}

std::string place_peer(runtime::Peer& peer, const engine::AssociationConfig& config,
                       const l3::InterfaceTable& interfaces) {
  const auto vrf = interfaces.vrf_id(config.vpn_instance);
  if (!vrf) return "vpn-instance '" + config.vpn_instance + "' has no interface";
  uint16_t interface = runtime::kAnyInterface;
  if (!config.source_interface.empty()) {
    const l3::Interface* itf = interfaces.find_by_name(config.source_interface);
    if (itf == nullptr) return "source-interface '" + config.source_interface + "' does not exist";
    if (itf->vrf != *vrf) {
      return "source-interface '" + config.source_interface + "' is not in vpn-instance '" +
             config.vpn_instance + "'";
    }
    interface = itf->index;
  }
  peer.vrf = *vrf;
  peer.interface = interface;
  return {};
}

}  // namespace wiretime::daemon

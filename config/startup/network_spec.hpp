// The dataplane's L3 model (interfaces with their VLANs, VRFs and addresses, static routes)
// from the file's two parts: ports from the inventory, everything else from the running
// configuration's section-12 entries. Never refuses: what the tables cannot take (a
// sub-interface without `dot1q termination vid`, a static route whose next hop is on no
// connected subnet...) is left out with a warning, as VRP keeps such a route inactive; the
// commit accepted it, so the daemon starts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"
#include "config/startup/startup_config.hpp"
#include "dataplane/l3/interface_table.hpp"

namespace wiretime::config {

l3::NetworkSpec network_spec(const std::vector<InterfaceSection>& ports, const NtpConfig& running,
                             std::vector<std::string>* warnings = nullptr);
inline l3::NetworkSpec network_spec(const StartupConfig& config,
                                    std::vector<std::string>* warnings = nullptr) {
  return network_spec(config.interfaces, config.running, warnings);
}

// `text` as an address of `family`; nullopt when it is not one.
std::optional<wire::IpAddress> ip_address_of(AddressFamily family, const std::string& text);

// The primary address of `interface` in `family` in the running configuration (its first
// `ip address` or `ipv6 address`), if it has one: where it sends from.
std::optional<wire::IpAddress> primary_address(const NtpConfig& running,
                                               const std::string& interface, AddressFamily family);
// The primary IPv4 address of `interface` in the running configuration, if it has one.
std::optional<wire::Ipv4Address> primary_ipv4(const NtpConfig& running,
                                              const std::string& interface);

}  // namespace wiretime::config

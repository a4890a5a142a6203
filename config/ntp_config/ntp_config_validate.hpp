#pragma once

#include <optional>
#include <string>

#include "config/config_error.hpp"
#include "config/ntp_config/interface_inventory.hpp"
#include "config/ntp_config/ntp_config.hpp"
#include "config/ntp_config/refusal.hpp"

namespace wiretime::config {

// Cross-reference checks shared by the CLI (each line, against its candidate) and the full
// validation (commit and daemon load). Each returns the first refusal, if any.
bool interface_exists(const NtpConfig& config, const InterfaceInventory& inventory,
                      const std::string& name);
std::optional<Refusal> check_vpn_family(const NtpConfig& config, const std::string& vpn,
                                        AddressFamily family);
std::optional<Refusal> check_server_address(ServerKind kind, const std::string& address,
                                            bool has_source_interface);
std::optional<Refusal> check_association(const NtpConfig& config,
                                         const InterfaceInventory& inventory,
                                         const Association& association);
std::optional<Refusal> check_source_interface(const NtpConfig& config,
                                              const InterfaceInventory& inventory,
                                              const SourceInterface& source);
std::optional<Refusal> check_key_secret(KeyMode mode, const std::string& secret);

// The whole configuration: references, address classes, limits (256 static associations,
// 1024 keys). The error's path names the offending entry (e.g. "ntp.unicast-servers[3]").
std::optional<ConfigError> validate_ntp_config(const NtpConfig& config,
                                               const InterfaceInventory& inventory);

}  // namespace wiretime::config

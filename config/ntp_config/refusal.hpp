#pragma once

#include <cstdint>

namespace wiretime::config {

// Semantic refusals of configuration (spec section 11, Q13): one table, one line of text
// each, shared by the CLI (edit time, printed as "Error: <text>") and the validator
// (commit/load time). Correct a text here and both change.
enum class Refusal : uint8_t {
  kVpnNotExist,
  kVpnFamilyNotEnabled,
  kInterfaceNotExist,
  kInterfaceNotInVpn,
  kIpv6NotEnabled,
  kInvalidAddress,
  kLinkLocalNeedsInterface,
  kServerLimit,
  kKeyLimit,
  kKeyNotExist,
  kKeyIdTooLargeForNtpv4,
  kKeyLengthForMode,
  kConfigNotExist,
  kNotSubInterface,
  kLineTooLong,
  kNotAvailableOffline,
  kCommitFailed,
  kAclRuleLimit,
  kAclRuleIdExhausted,
  kPeerModeUnsupported,
  kInterleavedNeedsNtpv4,
  kPhysicIsolateLimit,
  kIpv6ServerSourceAddressLimit,
};

inline const char* refusal_text(Refusal refusal) {
  switch (refusal) {
    case Refusal::kVpnNotExist:
      return "The VPN instance does not exist.";
    case Refusal::kVpnFamilyNotEnabled:
      return "The address family is not enabled for the VPN instance.";
    case Refusal::kInterfaceNotExist:
      return "The interface does not exist.";
    case Refusal::kInterfaceNotInVpn:
      return "The interface is not bound to the VPN instance.";
    case Refusal::kIpv6NotEnabled:
      return "IPv6 is not enabled on the interface.";
    case Refusal::kInvalidAddress:
      return "The IP address is invalid.";
    case Refusal::kLinkLocalNeedsInterface:
      return "A link-local server address requires a source interface.";
    case Refusal::kServerLimit:
      return "The number of NTP servers reached the upper limit.";
    case Refusal::kKeyLimit:
      return "The number of authentication keys reached the upper limit.";
    case Refusal::kKeyNotExist:
      return "The authentication key does not exist.";
    case Refusal::kKeyIdTooLargeForNtpv4:
      return "The key ID must be 1-65535 for NTPv4 and IPv6 servers.";
    case Refusal::kKeyLengthForMode:
      return "The password length does not match the authentication mode.";
    case Refusal::kConfigNotExist:
      return "The configuration does not exist.";
    case Refusal::kNotSubInterface:
      return "The command is supported only on sub-interfaces.";
    case Refusal::kLineTooLong:
      return "The command line exceeds 510 characters.";
    case Refusal::kNotAvailableOffline:
      return "The command needs a running wiretimed; not available in offline mode.";
    case Refusal::kCommitFailed:
      return "Failed to commit the configuration.";
    case Refusal::kAclRuleLimit:
      return "The number of rules in the ACL reached the upper limit (64).";
    case Refusal::kAclRuleIdExhausted:
      return "No rule ID can be generated automatically; specify the rule ID.";
    case Refusal::kPeerModeUnsupported:
      return "The symmetric peer mode (ntp unicast-peer) is not supported; configure the "
             "server with ntp unicast-server.";
    case Refusal::kPhysicIsolateLimit:
      return "The number of physic-isolate entries reached the upper limit (8).";
    case Refusal::kIpv6ServerSourceAddressLimit:
      return "The number of IPv6 server source addresses reached the upper limit (8).";
    case Refusal::kInterleavedNeedsNtpv4:
      return "Interleaved mode needs NTP version 4; set version 4 or leave the version out.";
  }
  return "The command cannot be executed.";
}

}  // namespace wiretime::config

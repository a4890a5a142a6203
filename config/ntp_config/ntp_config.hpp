#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/ntp_config/acl.hpp"

namespace wiretime::config {

// The `ntp:` section of wiretimed's YAML file: what the VRP commands of spec sections 2-6 and
// 12 configure. The CLI candidate and the daemon's loaded configuration are both this type.
// Defaults are stored as values (not "absent") and omitted when rendered, as VRP does.

enum class AddressFamily : uint8_t { kIpv4, kIpv6 };

// How the server was named: the key of an entry is (kind, address text, VPN).
enum class ServerKind : uint8_t { kIpv4, kIpv6, kDomain };

enum class AssociationMode : uint8_t { kServer, kPeer };  // unicast-server / unicast-peer

struct Association {
  ServerKind kind = ServerKind::kIpv4;
  std::string address;  // canonical literal, or the domain name
  int version = 3;      // IPv6 entries are always NTPv4 (spec Q3/Q4)
  std::optional<uint32_t> key_id;
  // wiretimed extension (`key-id`): a key of the chrony-format `key-file`, for key types VRP
  // does not offer (SHA1, SHA256, AES-CMAC); the daemon checks that the file defines it.
  std::optional<uint32_t> file_key_id;
  uint16_t port = 123;
  std::string source_interface;  // empty: global source interface, then routing
  std::string vpn_instance;      // empty: public network
  bool preferred = false;
  int maxpoll = 10;
  int minpoll = 6;
  bool burst = false;   // servers only
  bool iburst = false;  // servers only
  bool preempt = false;
  // wiretimed extension (YAML only, no VRP command): interleaved client mode, servers only.
  bool interleaved = false;

  // The NTP version its requests carry. IPv6: 4. Interleaved mode is NTPv4's (RFC 9769): with
  // the default version (3, which VRP never shows, so typed or not is the same line) it is 4;
  // versions 1 and 2 with it are refused by the validator.
  int request_version() const {
    return kind == ServerKind::kIpv6 || (interleaved && version == 3) ? 4 : version;
  }

  bool same_key(const Association& other) const {
    return kind == other.kind && address == other.address && vpn_instance == other.vpn_instance;
  }
  bool operator==(const Association&) const = default;
};

struct SourceInterface {
  AddressFamily family = AddressFamily::kIpv4;
  std::string vpn_instance;  // empty: public network; one entry per (family, VPN)
  std::string interface;
  bool operator==(const SourceInterface&) const = default;
};

struct UnsyncMaxPoll {
  int poll_interval = 10;  // exponent 6-10
  int dec_step = 6;        // exponent 1-6
  bool operator==(const UnsyncMaxPoll&) const = default;
};

enum class KeyMode : uint8_t { kMd5, kHmacSha256, kAes128Cmac, kAes256Cmac };

struct AuthenticationKey {
  KeyMode mode = KeyMode::kHmacSha256;
  std::string secret;  // plain secret in memory; the YAML file holds the cipher form
  bool operator==(const AuthenticationKey&) const = default;
};

struct RefclockMaster {
  uint32_t address = (127u << 24) | (127u << 16) | (1u << 8);  // 127.127.1.0, LOCAL(0)
  int stratum = 8;
  bool operator==(const RefclockMaster&) const = default;
};

enum class AccessLevel : uint8_t { kPeer, kQuery, kServer, kSynchronization, kLimited };

struct AccessRule {
  std::string acl;  // "2000".."2999" or an ACL name; empty: none for IPv4
  bool acl_is_name = false;
  std::string acl6;  // IPv6 ACL number or name; empty: none
  bool acl6_is_name = false;
  bool operator==(const AccessRule&) const = default;
};

struct Ipv6ServerSourceAddress {
  std::string address;
  std::string vpn_instance;
  bool operator==(const Ipv6ServerSourceAddress&) const = default;
};

struct PhysicIsolate {
  AddressFamily family = AddressFamily::kIpv4;
  std::string interface;
  std::string address;
  bool operator==(const PhysicIsolate&) const = default;
};

// Section 12 companions: just enough routing-domain and interface state for NTP to refer to.
struct VpnInstance {
  std::string name;
  bool ipv4_family = false;
  bool ipv6_family = false;
  bool operator==(const VpnInstance&) const = default;
};

struct InterfaceAddress {
  std::string address;  // canonical text
  int prefix_length = 0;
  bool operator==(const InterfaceAddress&) const = default;
};

struct InterfaceSettings {
  std::string name;                    // canonical; a sub-interface is "<parent>.<vlan>"
  std::string vpn_instance;            // ip binding vpn-instance
  std::vector<InterfaceAddress> ipv4;  // first is primary, others are `sub`
  bool ipv6_enable = false;
  std::vector<InterfaceAddress> ipv6;
  std::optional<int> dot1q_vid;  // dot1q termination vid (sub-interfaces)
  bool operator==(const InterfaceSettings&) const = default;
};

struct StaticRoute {
  AddressFamily family = AddressFamily::kIpv4;
  std::string vpn_instance;
  std::string prefix;  // network address, canonical text
  int prefix_length = 0;
  std::string next_hop;
  bool operator==(const StaticRoute&) const = default;
};

struct NtpConfig {
  // --- companions (section 12)
  std::string sysname = "HUAWEI";
  std::vector<VpnInstance> vpn_instances;
  std::vector<InterfaceSettings> interfaces;
  std::vector<StaticRoute> static_routes;
  std::vector<Acl> acls;  // basic ACLs (`acl number 2000`, ...), as `ntp access` names them

  // --- NTP (sections 2-6)
  bool server_disable = false;        // ntp server disable
  bool ipv6_server_disable = false;   // ntp ipv6 server disable
  bool service_disable = false;       // ntp disable
  bool ipv6_service_disable = false;  // ntp ipv6 disable
  std::map<uint32_t, AuthenticationKey> keys;
  std::set<uint32_t> trusted_keys;
  std::string key_file;  // wiretimed extension (`key-file`): chrony-format key file path
  std::optional<RefclockMaster> refclock_master;
  std::vector<Association> unicast_servers;
  std::vector<Association> unicast_peers;
  std::vector<SourceInterface> source_interfaces;
  std::optional<UnsyncMaxPoll> unsync_max_poll;
  int max_distance = 1;          // seconds 1-16
  int discard_min_interval = 1;  // exponents 1-8
  int discard_avg_interval = 5;
  std::map<AccessLevel, AccessRule> access;
  bool authentication_enable = false;
  bool kod_enable = false;
  std::vector<std::string> server_source_interfaces;  // IPv4 listening interfaces
  std::vector<Ipv6ServerSourceAddress> ipv6_server_source_addresses;
  bool server_listen_all = false;  // ntp server source-interface all enable
  bool ipv6_server_listen_all = false;
  std::vector<PhysicIsolate> physic_isolate;
  std::optional<uint16_t> source_port;
  std::optional<int> sync_interval;  // 180-600 s
  std::optional<int> offset_limit;   // 5-7620 s
  int max_dynamic_sessions = 100;

  bool operator==(const NtpConfig&) const = default;

  // Any NTP setting other than the two automatic `server disable` lines differs from the
  // default (spec section 6.4 / Q15: what "NTP configuration is non-empty" means).
  bool has_ntp_settings() const;

  VpnInstance* find_vpn(const std::string& name);
  const VpnInstance* find_vpn(const std::string& name) const;
  InterfaceSettings* find_interface(const std::string& name);
  const InterfaceSettings* find_interface(const std::string& name) const;
  // The settings entry, created if missing.
  InterfaceSettings& interface_settings(const std::string& name);
};

// Limits (spec section 9).
inline constexpr size_t kMaxStaticAssociations = 256;  // servers + peers combined (Q20)
inline constexpr size_t kMaxAuthenticationKeys = 1024;
// `physic-isolate` pairs the server's listening tables hold (dataplane/server/server_state.hpp).
inline constexpr size_t kMaxPhysicIsolate = 8;
// `ntp ipv6 server source-address` entries the listening tables hold (server::kMaxListenIpv6).
inline constexpr size_t kMaxIpv6ServerSourceAddresses = 8;

// Spec Q15: called with the running and the candidate configuration when committing. Adds both
// `server disable` lines when the commit takes NTP configuration from empty to non-empty
// (unless the operator undid them explicitly in this candidate) and removes them when the last
// NTP line goes.
struct ExplicitServerDisableUndo {
  bool ipv4 = false;
  bool ipv6 = false;
};
void apply_server_disable_rule(const NtpConfig& running, NtpConfig& candidate,
                               ExplicitServerDisableUndo explicit_undo);

// Cascading deletions (spec sections 3 and 4.3): remove what refers to a VPN or an interface
// that disappears, an address family that is disabled, or IPv6 disabled on an interface.
void cascade_vpn_removed(NtpConfig& config, const std::string& vpn);
void cascade_vpn_family_disabled(NtpConfig& config, const std::string& vpn, AddressFamily family);
void cascade_interface_removed(NtpConfig& config, const std::string& interface);
void cascade_interface_ipv6_disabled(NtpConfig& config, const std::string& interface);

const char* to_string(KeyMode mode);
std::optional<KeyMode> key_mode_from_string(const std::string& text);
const char* to_string(AccessLevel level);
std::optional<AccessLevel> access_level_from_string(const std::string& text);

}  // namespace wiretime::config

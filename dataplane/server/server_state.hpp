// What the NTP server says about itself and where it listens, as the control thread publishes
// it to the dataplane (lock-free, dataplane/server/seqlock.hpp). Plain fixed-size data so the
// lcore can copy it once per burst; the control side (control/daemon/server_publisher.*) fills
// it from the engine's system variables and the committed `ntp ... server` configuration.
#pragma once

#include <array>
#include <cstdint>

#include "dataplane/server/seqlock.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::server {

// RFC 5905 system variables a reply carries. The defaults are the unsynchronised server:
// leap 3 and stratum 16 (RFC 5905 section 7.3; chronyd and ntpd answer so while unsynced).
struct ServerClockState {
  uint8_t leap = 3;
  uint8_t stratum = 16;
  int8_t precision = -20;
  uint8_t pad0 = 0;
  uint32_t reference_id = 0;     // host order
  uint32_t root_delay = 0;       // NtpShort raw (16.16 s)
  uint32_t root_dispersion = 0;  // NtpShort raw
  uint64_t reference_time = 0;   // NtpTimestamp raw
  uint64_t pad1 = 0;
};

// Where the server answers (vrp-ntp-cli.md sections 6.4 and 6.5). Interfaces are dataplane
// interface indices; IPv4 listens on the interface's primary (first) address only.
inline constexpr size_t kMaxListenInterfaces = 64;  // bit mask width
inline constexpr size_t kMaxListenIpv6 = 8;         // the validator refuses more
// The lcore copies the snapshot once per burst: 8 pairs make it 392 bytes (192 without them).
// The validator refuses more (config::kMaxPhysicIsolate).
inline constexpr size_t kMaxIsolated = 8;

// `ntp [ipv6] server physic-isolate source-interface <if> source-address <addr>`: requests to
// `address` are answered only when they arrive on interface `interface` (any address of the
// interface may be named, a secondary one too: the operator chose it).
struct IsolatedListen {
  wire::IpAddress address;
  uint16_t interface = 0;
};

struct ServerListen {
  bool ipv4_enabled = false;  // `undo ntp server disable` and NTP not disabled
  bool ipv6_enabled = false;  // `undo ntp ipv6 server disable` and NTP IPv6 not disabled
  bool ipv4_all = false;      // `ntp server source-interface all enable`
  bool ipv6_all = false;      // `ntp ipv6 server source-interface all enable`
  uint8_t ipv6_count = 0;
  std::array<uint8_t, 3> pad{};
  uint64_t ipv4_interfaces = 0;  // bit i: interface index i listens (its primary IPv4 address)
  std::array<wire::Ipv6Address, kMaxListenIpv6> ipv6_addresses{};  // `ipv6 server source-address`
  std::array<uint16_t, kMaxListenIpv6> ipv6_vrfs{};                // their VRF ids
  uint8_t isolated_count = 0;
  std::array<IsolatedListen, kMaxIsolated> isolated{};  // physic-isolate, both families
};

struct ServerSnapshot {
  ServerClockState clock;
  ServerListen listen;
};

using PublishedServer = Seqlock<ServerSnapshot>;

}  // namespace wiretime::server

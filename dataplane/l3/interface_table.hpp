// The L3 interface and VRF model: what each interface is (port, 802.1Q VLAN, MAC, addresses)
// and which VRF (`vpn-instance`) it belongs to. Built once at start-up from a NetworkSpec; the
// dataplane then only reads it (lookups do not allocate). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::l3 {

using VrfId = uint16_t;
using InterfaceIndex = uint16_t;
// The public network (no vpn-instance) is VRF 0.
inline constexpr VrfId kDefaultVrf = 0;
inline constexpr uint16_t kNoVlan = 0;

// What configuration asks for; names refer to each other (parent, VRF), indices do not exist yet.
struct InterfaceSpec {
  std::string name;    // as the CLI knows it, "GE1/0/1" or "GE1/0/1.100"
  std::string parent;  // sub-interfaces: the interface owning the port; empty for a port
  uint16_t vlan = kNoVlan;
  std::string vrf;                      // vpn-instance name; empty: public network
  std::optional<wire::MacAddress> mac;  // override; default: the port's MAC
  std::vector<IpPrefix> addresses;      // IPv4 and IPv6
};

struct StaticRouteSpec {
  std::string vrf;
  IpPrefix prefix;
  wire::IpAddress next_hop;
  std::string interface;  // optional: restricts the next hop to this interface
};

struct NetworkSpec {
  std::vector<InterfaceSpec> interfaces;
  std::vector<StaticRouteSpec> routes;
  // Interfaces NTP servers are polled through (each gets its own RX queue where the NIC can
  // steer); empty: every interface.
  std::vector<std::string> ntp_source_interfaces;
};

struct Interface {
  InterfaceIndex index = 0;
  std::string name;
  VrfId vrf = kDefaultVrf;
  uint16_t port = 0;  // index of the port interface this one sends on (itself for a port)
  uint16_t vlan = kNoVlan;
  wire::MacAddress mac;
  std::vector<IpPrefix> addresses;
  // IPv6 link-local (from the MAC), used as the source of neighbour discovery messages when the
  // interface has IPv6 addresses.
  wire::Ipv6Address link_local;
  bool has_ipv6 = false;

  // One of our addresses (or the link-local one).
  bool owns(const wire::IpAddress& a) const;
  // A multicast group we listen to: all-nodes and the solicited-node groups of our addresses.
  bool joined(const wire::Ipv6Address& group) const;
  // The source address for packets to `dst`: same family, preferring a prefix containing `dst`.
  std::optional<wire::IpAddress> source_for(const wire::IpAddress& dst) const;
};

class InterfaceTable {
 public:
  // Resolves names and checks the spec: unique names, parent exists and is a port, unique
  // (port, VLAN), VLAN 1..4094. `port_macs[i]` is the MAC of the i-th port interface in spec
  // order (a port interface is one without a parent). Empty string on success.
  std::string build(const std::vector<InterfaceSpec>& spec,
                    const std::vector<wire::MacAddress>& port_macs);

  const std::vector<Interface>& all() const { return interfaces_; }
  const Interface* find(InterfaceIndex index) const {
    return index < interfaces_.size() ? &interfaces_[index] : nullptr;
  }
  const Interface* find_by_name(const std::string& name) const;
  // The interface a frame received on `port` with outer VLAN `vlan` (kNoVlan if untagged) is for.
  const Interface* find_by_port_vlan(uint16_t port, uint16_t vlan) const;
  std::optional<VrfId> vrf_id(const std::string& name) const;
  const std::string& vrf_name(VrfId id) const { return vrf_names_[id]; }
  size_t vrf_count() const { return vrf_names_.size(); }
  size_t port_count() const { return port_count_; }
  // The port interfaces, in spec order (index = port number).
  const std::vector<InterfaceIndex>& ports() const { return ports_; }

 private:
  std::vector<Interface> interfaces_;
  std::vector<std::string> vrf_names_{""};  // id 0: the public network
  std::vector<InterfaceIndex> ports_;
  size_t port_count_ = 0;
};

// Counts port interfaces (those without a parent), in spec order.
size_t count_ports(const std::vector<InterfaceSpec>& spec);

}  // namespace wiretime::l3

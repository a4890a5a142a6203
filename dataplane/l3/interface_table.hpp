// The L3 interface and VRF model: what each interface is (port, 802.1Q VLAN, MAC, addresses)
// and which VRF (`vpn-instance`) it belongs to. Built by control from a NetworkSpec at start-up
// and after each commit that changes it (dataplane/l3/network_tables.hpp); the dataplane only
// reads it (lookups do not allocate). Pure.
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
  bool operator==(const InterfaceSpec&) const = default;
};

struct StaticRouteSpec {
  std::string vrf;
  IpPrefix prefix;
  wire::IpAddress next_hop;
  std::string interface;  // optional: restricts the next hop to this interface
  bool operator==(const StaticRouteSpec&) const = default;
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
  // Changes whenever the interface's definition (port, VLAN, VRF, MAC, addresses) changes from
  // one table to the next: what the lcore learned about its neighbours is dropped then.
  uint32_t revision = 0;

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
  // With `previous` (the table this one replaces), an interface keeps its index and revision
  // when its name and definition stay, and a VRF keeps its id: indices and ids held elsewhere
  // (event rings, counters, neighbour entries, associations) stay valid across a swap. New
  // interfaces take the lowest index free in this table.
  std::string build(const std::vector<InterfaceSpec>& spec,
                    const std::vector<wire::MacAddress>& port_macs,
                    const InterfaceTable* previous = nullptr);

  // In index order; indices may have gaps (removed interfaces).
  const std::vector<Interface>& all() const { return interfaces_; }
  const Interface* find(InterfaceIndex index) const {
    return index < slot_.size() && slot_[index] != 0 ? &interfaces_[slot_[index] - 1] : nullptr;
  }
  // One past the highest index in use.
  size_t index_limit() const { return slot_.size(); }
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
  std::vector<Interface> interfaces_;  // sorted by index
  std::vector<uint16_t> slot_;         // index -> position in interfaces_ + 1, 0: none
  uint32_t revision_ = 0;              // the highest revision handed out
  // id 0: the public network. A table built from a previous one keeps its names (and so
  // their ids), even those no interface uses any more.
  std::vector<std::string> vrf_names_{""};
  std::vector<InterfaceIndex> ports_;
  size_t port_count_ = 0;
};

// Counts port interfaces (those without a parent), in spec order.
size_t count_ports(const std::vector<InterfaceSpec>& spec);

}  // namespace wiretime::l3

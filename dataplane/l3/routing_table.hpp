// Routes per VRF: connected routes from interface prefixes and static routes, longest-prefix
// match within one VRF only (VRFs never leak into each other), and next-hop resolution to the
// (interface, neighbour address) a packet must go to. Built at start-up; lookups do not
// allocate. Tables are short (a linecard's NTP sources), so a scan of routes kept in
// descending prefix length is both simple and fast. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::l3 {

enum class RouteSource : uint8_t { kConnected, kStatic };

struct Route {
  IpPrefix prefix;  // host bits cleared
  InterfaceIndex interface = 0;
  std::optional<wire::IpAddress> gateway;  // none: on-link
  RouteSource source = RouteSource::kConnected;
};

// Where a packet to some destination goes: out of `interface`, to the link-layer address of
// `neighbor` (the destination itself when on-link, else the gateway).
struct NextHop {
  InterfaceIndex interface = 0;
  wire::IpAddress neighbor;
  bool operator==(const NextHop&) const = default;
};

class RoutingTable {
 public:
  // Connected routes of every interface, then the static routes (each next hop must be on-link
  // through a connected route of the same VRF, and on the named interface if one is given).
  // Empty string on success, else what is wrong with which route.
  std::string build(const InterfaceTable& interfaces, const std::vector<StaticRouteSpec>& routes);

  // Longest-prefix match in `vrf`; nullopt when nothing matches (no route to host).
  std::optional<NextHop> lookup(VrfId vrf, const wire::IpAddress& dst) const;
  const Route* match(VrfId vrf, const wire::IpAddress& dst) const;
  const std::vector<Route>& routes(VrfId vrf) const { return tables_[vrf]; }

 private:
  void insert(VrfId vrf, Route route);
  std::vector<std::vector<Route>> tables_;  // per VRF id
};

// `p` with the host bits cleared.
IpPrefix network_of(const IpPrefix& p);

}  // namespace wiretime::l3

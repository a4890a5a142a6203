#include "dataplane/l3/routing_table.hpp"

namespace wiretime::l3 {
namespace {

template <size_t N>
void clear_host_bits(std::array<uint8_t, N>& bytes, unsigned length) {
  for (unsigned i = 0; i < N; ++i) {
    const unsigned first_bit = i * 8;
    if (first_bit >= length) {
      bytes[i] = 0;
    } else if (length - first_bit < 8) {
      bytes[i] &= static_cast<uint8_t>(0xff << (8 - (length - first_bit)));
    }
  }
}

}  // namespace

IpPrefix network_of(const IpPrefix& p) {
  IpPrefix n = p;
  if (p.version() == wire::IpVersion::kV4) clear_host_bits(n.address.v4.bytes, p.length);
  if (p.version() == wire::IpVersion::kV6) clear_host_bits(n.address.v6.bytes, p.length);
  return n;
}

void RoutingTable::insert(VrfId vrf, Route route) {
  std::vector<Route>& table = tables_[vrf];
  auto it = table.begin();
  // Longer prefixes first; among equals, connected before static, then insertion order.
  while (it != table.end() &&
         (it->prefix.length > route.prefix.length ||
          (it->prefix.length == route.prefix.length && it->source <= route.source))) {
    ++it;
  }
  table.insert(it, route);
}

std::string RoutingTable::build(const InterfaceTable& interfaces,
                                const std::vector<StaticRouteSpec>& routes) {
  tables_.assign(interfaces.vrf_count(), {});
  for (const Interface& itf : interfaces.all()) {
    for (const IpPrefix& p : itf.addresses) {
      insert(itf.vrf, Route{network_of(p), itf.index, std::nullopt, RouteSource::kConnected});
    }
  }
  for (size_t i = 0; i < routes.size(); ++i) {
    const StaticRouteSpec& r = routes[i];
    const std::string what =
        "static route " + to_string(r.prefix) + (r.vrf.empty() ? "" : " in vpn-instance " + r.vrf);
    const std::optional<VrfId> vrf = interfaces.vrf_id(r.vrf);
    if (!vrf) return what + ": no interface is bound to vpn-instance " + r.vrf;
    if (!r.prefix.valid()) return what + ": invalid prefix";
    if (r.next_hop.version != r.prefix.version()) {
      return what + ": next hop " + to_string(r.next_hop) + " is of another address family";
    }
    const Route* via = nullptr;
    for (const Route& c : tables_[*vrf]) {
      if (c.source == RouteSource::kConnected && c.prefix.contains(r.next_hop)) {
        via = &c;
        break;
      }
    }
    if (via == nullptr) return what + ": next hop " + to_string(r.next_hop) + " is not on-link";
    InterfaceIndex out = via->interface;
    if (!r.interface.empty()) {
      const Interface* named = interfaces.find_by_name(r.interface);
      if (named == nullptr) return what + ": no interface " + r.interface;
      if (named->vrf != *vrf) return what + ": " + r.interface + " is in another vpn-instance";
      bool on_link = false;
      for (const IpPrefix& p : named->addresses) on_link = on_link || p.contains(r.next_hop);
      if (!on_link) return what + ": next hop is not on " + r.interface;
      out = named->index;
    }
    for (const Interface& itf : interfaces.all()) {
      if (itf.vrf == *vrf && itf.owns(r.next_hop)) {
        return what + ": next hop " + to_string(r.next_hop) + " is our own address";
      }
    }
    insert(*vrf, Route{network_of(r.prefix), out, r.next_hop, RouteSource::kStatic});
  }
  return {};
}

const Route* RoutingTable::match(VrfId vrf, const wire::IpAddress& dst) const {
  if (vrf >= tables_.size()) return nullptr;
  for (const Route& r : tables_[vrf]) {
    if (r.prefix.contains(dst)) return &r;
  }
  return nullptr;
}

std::optional<NextHop> RoutingTable::lookup(VrfId vrf, const wire::IpAddress& dst) const {
  const Route* r = match(vrf, dst);
  if (r == nullptr) return std::nullopt;
  return NextHop{r->interface, r->gateway.value_or(dst)};
}

}  // namespace wiretime::l3

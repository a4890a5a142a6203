#include "dataplane/l3/interface_table.hpp"

#include <algorithm>

#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::l3 {

bool Interface::owns(const wire::IpAddress& a) const {
  if (a.version == wire::IpVersion::kV6 && has_ipv6 && a.v6 == link_local) return true;
  for (const IpPrefix& p : addresses) {
    if (p.address == a) return true;
  }
  return false;
}

bool Interface::joined(const wire::Ipv6Address& group) const {
  if (!has_ipv6) return false;
  if (group == wire::kAllNodesMulticast) return true;
  if (group == wire::solicited_node_multicast(link_local)) return true;
  for (const IpPrefix& p : addresses) {
    if (p.version() == wire::IpVersion::kV6 &&
        group == wire::solicited_node_multicast(p.address.v6)) {
      return true;
    }
  }
  return false;
}

std::optional<wire::IpAddress> Interface::source_for(const wire::IpAddress& dst) const {
  std::optional<wire::IpAddress> any;
  for (const IpPrefix& p : addresses) {
    if (p.version() != dst.version) continue;
    if (p.contains(dst)) return p.address;
    if (!any) any = p.address;
  }
  if (!any && dst.version == wire::IpVersion::kV6 && has_ipv6 && wire::is_link_local(dst.v6)) {
    return wire::IpAddress::from(link_local);
  }
  return any;
}

size_t count_ports(const std::vector<InterfaceSpec>& spec) {
  size_t n = 0;
  for (const InterfaceSpec& s : spec) n += s.parent.empty() ? 1 : 0;
  return n;
}

namespace {

// What makes two tables' interfaces the same for the neighbours learned on it.
bool same_definition(const Interface& a, const std::string& a_vrf, const Interface& b,
                     const std::string& b_vrf) {
  return a.name == b.name && a.port == b.port && a.vlan == b.vlan && a_vrf == b_vrf &&
         a.mac == b.mac && a.addresses == b.addresses;
}

}  // namespace

std::string InterfaceTable::build(const std::vector<InterfaceSpec>& spec,
                                  const std::vector<wire::MacAddress>& port_macs,
                                  const InterfaceTable* previous) {
  interfaces_.clear();
  slot_.clear();
  ports_.clear();
  vrf_names_.assign(1, "");
  revision_ = 0;
  if (previous != nullptr) {
    vrf_names_ = previous->vrf_names_;
    revision_ = previous->revision_;
  }
  if (spec.size() > 0xffff) return "too many interfaces";
  if (port_macs.size() != count_ports(spec)) return "one MAC per port interface is needed";
  // Ports first (their numbers are their order), so sub-interfaces can name any of them.
  std::vector<uint16_t> port_of(spec.size(), 0);
  uint16_t next_port = 0;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i].parent.empty()) port_of[i] = next_port++;
  }
  port_count_ = next_port;
  ports_.resize(port_count_);
  // Indices: kept from `previous` by name, else the lowest one free in this table.
  std::vector<InterfaceIndex> index_of(spec.size(), 0);
  std::vector<bool> taken;
  std::vector<bool> placed(spec.size(), false);
  for (size_t i = 0; i < spec.size() && previous != nullptr; ++i) {
    if (const Interface* old = previous->find_by_name(spec[i].name)) {
      index_of[i] = old->index;
      if (taken.size() <= old->index) taken.resize(old->index + 1u, false);
      taken[old->index] = true;
      placed[i] = true;
    }
  }
  size_t next_free = 0;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (placed[i]) continue;
    while (next_free < taken.size() && taken[next_free]) ++next_free;
    index_of[i] = static_cast<InterfaceIndex>(next_free);
    if (taken.size() <= next_free) taken.resize(next_free + 1, false);
    taken[next_free] = true;
  }
  for (size_t i = 0; i < spec.size(); ++i) {
    const InterfaceSpec& s = spec[i];
    if (s.name.empty()) return "interface " + std::to_string(i) + " has no name";
    for (size_t j = 0; j < i; ++j) {
      if (spec[j].name == s.name) return "interface name " + s.name + " is used twice";
    }
    Interface itf;
    itf.index = index_of[i];
    itf.name = s.name;
    itf.vlan = s.vlan;
    if (s.vlan > 4094) return s.name + ": VLAN " + std::to_string(s.vlan) + " is outside 1..4094";
    if (s.parent.empty()) {
      itf.port = port_of[i];
      itf.mac = s.mac.value_or(port_macs[itf.port]);
      ports_[itf.port] = itf.index;
    } else {
      size_t p = 0;
      while (p < spec.size() && spec[p].name != s.parent) ++p;
      if (p == spec.size()) return s.name + ": parent " + s.parent + " is not an interface";
      if (!spec[p].parent.empty()) return s.name + ": parent " + s.parent + " is a sub-interface";
      if (s.vlan == kNoVlan) return s.name + ": a sub-interface needs a VLAN";
      itf.port = port_of[p];
      itf.mac = s.mac.value_or(spec[p].mac.value_or(port_macs[itf.port]));
    }
    for (const Interface& other : interfaces_) {
      if (other.port == itf.port && other.vlan == itf.vlan) {
        return s.name + ": port and VLAN " + std::to_string(s.vlan) + " already belong to " +
               other.name;
      }
    }
    const std::optional<VrfId> vrf = vrf_id(s.vrf);
    if (vrf) {
      itf.vrf = *vrf;
    } else {
      if (vrf_names_.size() > 0xffff) return "too many vpn-instances";
      itf.vrf = static_cast<VrfId>(vrf_names_.size());
      vrf_names_.push_back(s.vrf);
    }
    for (const IpPrefix& a : s.addresses) {
      if (!a.valid()) return s.name + ": invalid prefix " + to_string(a);
      itf.has_ipv6 = itf.has_ipv6 || a.version() == wire::IpVersion::kV6;
    }
    itf.addresses = s.addresses;
    itf.link_local = wire::link_local_from_mac(itf.mac);
    const Interface* old = previous != nullptr ? previous->find_by_name(s.name) : nullptr;
    itf.revision = old != nullptr && same_definition(*old, previous->vrf_name(old->vrf), itf, s.vrf)
                       ? old->revision
                       : ++revision_;
    interfaces_.push_back(std::move(itf));
  }
  std::sort(interfaces_.begin(), interfaces_.end(),
            [](const Interface& a, const Interface& b) { return a.index < b.index; });
  slot_.assign(taken.size(), 0);
  for (size_t i = 0; i < interfaces_.size(); ++i) {
    slot_[interfaces_[i].index] = static_cast<uint16_t>(i + 1);
  }
  return {};
}

const Interface* InterfaceTable::find_by_name(const std::string& name) const {
  for (const Interface& i : interfaces_) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

const Interface* InterfaceTable::find_by_port_vlan(uint16_t port, uint16_t vlan) const {
  for (const Interface& i : interfaces_) {
    if (i.port == port && i.vlan == vlan) return &i;
  }
  return nullptr;
}

std::optional<VrfId> InterfaceTable::vrf_id(const std::string& name) const {
  for (size_t i = 0; i < vrf_names_.size(); ++i) {
    if (vrf_names_[i] == name) return static_cast<VrfId>(i);
  }
  return std::nullopt;
}

}  // namespace wiretime::l3

#include "control/daemon/system_resolver.hpp"

namespace wiretime::daemon {
namespace {

bool family_matches(const wire::IpAddress& a, resolver::AddressFamily family) {
  if (family == resolver::AddressFamily::kIpv4) return a.version == wire::IpVersion::kV4;
  if (family == resolver::AddressFamily::kIpv6) return a.version == wire::IpVersion::kV6;
  return true;
}

}  // namespace

SystemResolver::SystemResolver(const resolver::ResolverOptions& options,
                               std::function<engine::SteadyNanos()> now,
                               resolver::LookupFunction lookup)
    : resolver_(options, std::move(lookup)), now_(std::move(now)), family_(options.family) {}

void SystemResolver::resolve(engine::AssociationId id, const std::string& name) {
  resolver_.resolve(id, name, now_());
}

std::vector<resolver::ResolveEvent> SystemResolver::deliver(runtime::ControlLoop& loop) {
  std::vector<resolver::ResolveEvent> events;
  resolver_.poll(now_(), events);
  for (resolver::ResolveEvent& e : events) {
    const auto id = static_cast<engine::AssociationId>(e.tag);
    std::optional<runtime::Peer> peer;
    if (e.ok) {
      // The first address (getaddrinfo's RFC 6724 order) of the family the transport reaches.
      for (const wire::IpAddress& a : e.addresses) {
        if (!family_matches(a, family_)) continue;
        const auto port = ports_.find(id);
        peer = runtime::Peer{a, port == ports_.end() ? uint16_t{123} : port->second};
        break;
      }
      if (!peer) {
        e.ok = false;
        e.error = "no address of the transport's family";
      }
    }
    loop.on_resolved(id, peer);
  }
  return events;
}

}  // namespace wiretime::daemon

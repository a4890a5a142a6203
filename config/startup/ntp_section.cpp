#include "config/startup/ntp_section.hpp"

#include "config/startup/ip_text.hpp"
#include "config/startup/yaml_reader.hpp"

namespace wiretime::config {
namespace {

UnicastServer parse_unicast_server(const YamlField& field) {
  const YamlMap map(field, kUnicastServerKeys);
  UnicastServer server;
  const YamlField address = map.required("address");
  const auto parsed = parse_ip_address(address.as_string());
  if (!parsed) address.fail("'" + address.as_string() + "' is not an IPv4 or IPv6 address");
  server.ip = *parsed;
  if (parsed->version == wire::IpVersion::kV4) {
    server.address = Ipv4Address{parsed->v4.to_host_order()};
  }
  if (auto vrf = map.optional("vpn-instance")) {
    server.vpn_instance = vrf->as_string();
    if (server.vpn_instance.empty()) vrf->fail("must not be empty");
  }
  if (auto itf = map.optional("source-interface")) {
    server.source_interface = itf->as_string();
    if (server.source_interface.empty()) itf->fail("must not be empty");
  }
  if (auto port = map.optional("port")) server.port = static_cast<uint16_t>(port->as_int(1, 65535));
  const auto minpoll = map.optional("minpoll");
  const auto maxpoll = map.optional("maxpoll");
  if (minpoll)
    server.minpoll = static_cast<int>(minpoll->as_int(kMinPollExponent, kMaxPollExponent));
  if (maxpoll)
    server.maxpoll = static_cast<int>(maxpoll->as_int(kMinPollExponent, kMaxPollExponent));
  if (server.maxpoll < server.minpoll) {
    (maxpoll ? *maxpoll : *minpoll)
        .fail("maxpoll " + std::to_string(server.maxpoll) + " is below minpoll " +
              std::to_string(server.minpoll));
  }
  return server;
}

}  // namespace

NtpSection parse_ntp_section(const YamlField& field) {
  NtpSection section;
  if (field.is_null()) return section;  // "ntp:" with nothing under it: no associations
  const YamlMap map(field, {"unicast-servers"});
  if (auto servers = map.optional("unicast-servers")) {
    if (!servers->is_null()) {
      for (const YamlField& item : servers->as_sequence()) {
        section.unicast_servers.push_back(parse_unicast_server(item));
      }
    }
  }
  return section;
}

}  // namespace wiretime::config

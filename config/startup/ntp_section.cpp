#include "config/startup/ntp_section.hpp"

#include <optional>
#include <variant>

#include "config/ntp_config/ntp_config_yaml.hpp"
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
  if (auto interleaved = map.optional("interleaved")) server.interleaved = interleaved->as_bool();
  if (server.maxpoll < server.minpoll) {
    (maxpoll ? *maxpoll : *minpoll)
        .fail("maxpoll " + std::to_string(server.maxpoll) + " is below minpoll " +
              std::to_string(server.minpoll));
  }
  return server;
}

// The `unicast-servers` value, positioned at its key as YamlMap positions values.
std::optional<YamlField> unicast_servers(const YamlField& ntp) {
  if (!ntp.node().IsMap()) ntp.fail("expected a mapping");
  for (auto it = ntp.node().begin(); it != ntp.node().end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == "unicast-servers") {
      return YamlField(&ntp.file(), it->second, ntp.path() + ".unicast-servers", it->first.Mark());
    }
  }
  return std::nullopt;
}

}  // namespace

YamlField unicast_server_item(const YamlField& ntp, size_t index) {
  return unicast_servers(ntp)->as_sequence()[index];
}

NtpSection parse_ntp_section(const YamlField& field) {
  NtpSection section;
  if (field.is_null()) return section;  // "ntp:" with nothing under it: no associations
  if (auto servers = unicast_servers(field); servers && !servers->is_null()) {
    for (const YamlField& item : servers->as_sequence()) {
      section.unicast_servers.push_back(parse_unicast_server(item));
    }
  }
  // The rest of the schema: start-up's own checks above come first, with their messages.
  const auto decoded = decode_ntp_config(field.node());
  if (const auto* e = std::get_if<ConfigError>(&decoded)) {
    ConfigError error = *e;
    error.file = field.file();
    throw YamlReadFailure{std::move(error)};
  }
  return section;
}

}  // namespace wiretime::config

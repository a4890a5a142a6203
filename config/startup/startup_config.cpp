#include "config/startup/startup_config.hpp"

#include <fstream>
#include <sstream>

#include "config/startup/yaml_reader.hpp"

namespace wiretime::config {
namespace {

// The skeleton drives one port; the schema is a list so that more can follow without change.
constexpr size_t kMaxInterfaces = 1;
constexpr int64_t kMaxLcore = 1023;
constexpr int64_t kMaxIdleSleepUs = 1000;  // longer naps would add more than they save  // beyond
                                           // any RTE_MAX_LCORE a distribution builds with
constexpr int64_t kMaxTestOffsetNs = int64_t{1'000'000'000} * 86'400 * 365;  // one year
constexpr double kMaxTestFrequencyPpb = 1e6;                                 // 1000 ppm

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

DataplaneSection parse_dataplane(const YamlField& field) {
  const YamlMap map(field, {"eal", "lcore", "idle-sleep-us"});
  DataplaneSection section;
  for (const YamlField& arg : map.required("eal").as_sequence()) {
    section.eal_args.push_back(arg.as_string());
  }
  if (auto lcore = map.optional("lcore")) {
    section.lcore = static_cast<unsigned>(lcore->as_int(0, kMaxLcore));
  }
  if (auto nap = map.optional("idle-sleep-us")) {
    section.idle_sleep_us = static_cast<unsigned>(nap->as_int(0, kMaxIdleSleepUs));
  }
  return section;
}

InterfaceSection parse_interface(const YamlField& field) {
  const YamlMap map(field, {"name", "devargs", "ipv4", "gateway"});
  InterfaceSection section;
  const YamlField name = map.required("name");
  section.name = name.as_string();
  if (section.name.empty()) name.fail("must not be empty");

  const YamlField devargs = map.required("devargs");
  const std::string text = devargs.as_string();
  if (all_digits(text)) {
    section.port_index = static_cast<uint16_t>(devargs.as_int(0, 65535));
  } else if (text.empty()) {
    devargs.fail("must not be empty (DPDK device arguments or a port index)");
  } else {
    section.devargs = text;
  }

  const YamlField ipv4 = map.required("ipv4");
  const auto prefix = parse_ipv4_prefix(ipv4.as_string());
  if (!prefix) ipv4.fail("'" + ipv4.as_string() + "' is not an IPv4 address/prefix");
  if (prefix->length < 32 && prefix->length > 0) {
    const uint32_t host = prefix->address.value & ~prefix->mask();
    if (prefix->length < 31 && (host == 0 || host == ~prefix->mask())) {
      ipv4.fail("'" + ipv4.as_string() + "' is the network or broadcast address of its prefix");
    }
  }
  section.ipv4 = *prefix;

  if (auto gateway = map.optional("gateway")) {
    const auto address = parse_ipv4_address(gateway->as_string());
    if (!address) gateway->fail("'" + gateway->as_string() + "' is not an IPv4 address");
    if (!section.ipv4.contains(*address)) {
      gateway->fail(address->to_string() + " is not inside " + section.ipv4.to_string());
    }
    if (*address == section.ipv4.address) gateway->fail("is the interface's own address");
    section.gateway = *address;
  }
  return section;
}

ClockSection parse_clock(const YamlField& field) {
  ClockSection section;
  if (field.is_null()) return section;
  const YamlMap map(field, {"driver", "test-initial-offset-ns", "test-initial-frequency-ppb"});
  if (auto driver = map.optional("driver")) {
    const std::string text = driver->as_string();
    if (text != "virtual") driver->fail("unknown clock driver '" + text + "' (supported: virtual)");
  }
  if (auto offset = map.optional("test-initial-offset-ns")) {
    section.test_initial_offset_ns = offset->as_int(-kMaxTestOffsetNs, kMaxTestOffsetNs);
  }
  if (auto frequency = map.optional("test-initial-frequency-ppb")) {
    section.test_initial_frequency_ppb =
        frequency->as_double(-kMaxTestFrequencyPpb, kMaxTestFrequencyPpb);
  }
  return section;
}

LogSection parse_log(const YamlField& field) {
  LogSection section;
  if (field.is_null()) return section;
  const YamlMap map(field, {"level", "measurements"});
  if (auto level = map.optional("level")) {
    const auto parsed = parse_log_level(level->as_string());
    if (!parsed) {
      level->fail("unknown log level '" + level->as_string() + "' (error, warning, info, debug)");
    }
    section.level = *parsed;
  }
  if (auto measurements = map.optional("measurements")) {
    section.measurements = measurements->as_string();
    if (section.measurements.empty()) measurements->fail("must not be empty");
  }
  return section;
}

// Every server must be reachable: on the interface's subnet, or through its gateway.
void check_servers_reachable(const StartupConfig& config, const YamlMap& root) {
  if (config.interfaces.empty()) return;
  const InterfaceSection& itf = config.interfaces.front();
  auto ntp = root.optional("ntp");
  for (size_t i = 0; i < config.ntp.unicast_servers.size(); ++i) {
    const Ipv4Address address = config.ntp.unicast_servers[i].address;
    std::string problem;
    if (address == itf.ipv4.address) {
      problem = "is the address of interface " + itf.name;
    } else if (!itf.ipv4.contains(address) && !itf.gateway) {
      problem = address.to_string() + " is outside " + itf.name + "'s subnet " +
                itf.ipv4.to_string() + " and the interface has no gateway";
    } else {
      continue;
    }
    // Walk back to the offending item for its position (the ntp section parsed cleanly).
    const YamlMap ntp_map(*ntp, {"unicast-servers"});
    const YamlField item = ntp_map.required("unicast-servers").as_sequence()[i];
    const YamlMap item_map(item, {"address", "port", "minpoll", "maxpoll"});
    item_map.required("address").fail(problem);
  }
}

StartupConfig parse_document(const YamlField& root_field) {
  if (root_field.is_null()) root_field.fail("the file is empty");
  const YamlMap root(root_field, {"dataplane", "interfaces", "clock", "log", "ntp"});
  StartupConfig config;
  config.dataplane = parse_dataplane(root.required("dataplane"));

  const YamlField interfaces = root.required("interfaces");
  for (const YamlField& item : interfaces.as_sequence()) {
    config.interfaces.push_back(parse_interface(item));
  }
  if (config.interfaces.empty()) interfaces.fail("at least one interface is required");
  if (config.interfaces.size() > kMaxInterfaces) {
    interfaces.fail("only " + std::to_string(kMaxInterfaces) + " interface is supported so far");
  }

  if (auto clock = root.optional("clock")) config.clock = parse_clock(*clock);
  if (auto log = root.optional("log")) config.log = parse_log(*log);
  if (auto ntp = root.optional("ntp")) config.ntp = parse_ntp_section(*ntp);
  check_servers_reachable(config, root);
  return config;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  if (text == "error") return LogLevel::kError;
  if (text == "warning") return LogLevel::kWarning;
  if (text == "info") return LogLevel::kInfo;
  if (text == "debug") return LogLevel::kDebug;
  return std::nullopt;
}

const char* to_string(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

ConfigResult<StartupConfig> load_startup_config_text(std::string_view text,
                                                     const std::string& file_name) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(file_name, e.mark, "", "invalid YAML: " + e.msg);
  }
  try {
    return parse_document(YamlField(&file_name, document, "", document.Mark()));
  } catch (const YamlReadFailure& failure) {
    return failure.error;
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp accessors on odd documents
    return make_error(file_name, e.mark, "", e.msg);
  }
}

ConfigResult<StartupConfig> load_startup_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError{path, 0, 0, "", "cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ConfigError{path, 0, 0, "", "cannot read the file"};
  return load_startup_config_text(text.str(), path);
}

}  // namespace wiretime::config

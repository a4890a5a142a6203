#include "config/startup/startup_config.hpp"

#include <fstream>
#include <sstream>

#include <charconv>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/legacy_l3.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"
#include "config/startup/yaml_reader.hpp"

namespace wiretime::config {
namespace {

// A linecard's worth of ports and sub-interfaces; interface indices are 16-bit on the rings.
constexpr size_t kMaxInterfaces = 256;
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
  const YamlMap map(field, {"eal", "lcore", "idle-sleep-us", "packet-socket-stamps", "backend",
                            "interleaved-store-entries", "rate-limit-entries"});
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
  if (auto stamps = map.optional("packet-socket-stamps")) {
    section.packet_socket_stamps = stamps->as_bool();
  }
  if (auto store = map.optional("interleaved-store-entries")) {
    // A power of two: the store hashes a T2 to its slot with a mask.
    const auto n =
        static_cast<size_t>(store->as_int(0, static_cast<int64_t>(kMaxInterleavedStoreEntries)));
    if (n != 0 && (n < kMinInterleavedStoreEntries || (n & (n - 1)) != 0)) {
      store->fail("'" + std::to_string(n) + "' is not 0 (off) or a power of two from " +
                  std::to_string(kMinInterleavedStoreEntries) + " to " +
                  std::to_string(kMaxInterleavedStoreEntries));
    }
    section.interleaved_store_entries = n;
  }
  if (auto rate = map.optional("rate-limit-entries")) {
    // A power of two: the table picks a 4-way bucket with a mask.
    const auto n = static_cast<size_t>(rate->as_int(0, static_cast<int64_t>(kMaxRateLimitEntries)));
    if (n < kMinRateLimitEntries || (n & (n - 1)) != 0) {
      rate->fail("'" + std::to_string(n) + "' is not a power of two from " +
                 std::to_string(kMinRateLimitEntries) + " to " +
                 std::to_string(kMaxRateLimitEntries));
    }
    section.rate_limit_entries = n;
  }
  if (auto backend = map.optional("backend")) {
    const std::string text = backend->as_string();
    if (text == "socket") {
      section.backend = BackendKind::kSocket;
    } else if (text != "dpdk") {
      backend->fail("unknown backend '" + text + "' (dpdk, socket)");
    }
  }
  return section;
}

// "xx:xx:xx:xx:xx:xx", hex digits of either case.
std::optional<wire::MacAddress> parse_mac(const std::string& text) {
  if (text.size() != 17) return std::nullopt;
  wire::MacAddress mac;
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != ':') return std::nullopt;
    unsigned value = 0;
    const char* begin = text.data() + i * 3;
    const auto [p, ec] = std::from_chars(begin, begin + 2, value, 16);
    if (ec != std::errc() || p != begin + 2) return std::nullopt;
    mac.bytes[i] = static_cast<uint8_t>(value);
  }
  return mac;
}

constexpr std::string_view kInterfaceKeys[] = {"name",    "devargs", "mac",          "ipv4", "ipv6",
                                               "gateway", "parent",  "vpn-instance", "vlan"};

// One `interfaces:` item: a port, or (old style) a sub-interface item, which is no hardware and
// comes back empty. Old-style L3 keys are read by adopt_legacy_l3.
std::optional<InterfaceSection> parse_interface(const YamlField& field) {
  const YamlMap map(field, kInterfaceKeys);
  InterfaceSection section;
  const YamlField name = map.required("name");
  const auto canonical = canonical_interface_name(name.as_string());
  if (!canonical) name.fail("'" + name.as_string() + "' is not an interface name");
  section.name = *canonical;
  if (map.optional("parent") || map.optional("vlan")) {
    if (auto devargs = map.optional("devargs")) {
      devargs->fail("a sub-interface uses its parent's port: no devargs");
    }
    return std::nullopt;
  }
  const YamlField devargs = map.required("devargs");
  const std::string text = devargs.as_string();
  if (all_digits(text)) {
    section.port_index = static_cast<uint16_t>(devargs.as_int(0, 65535));
  } else if (text.empty()) {
    devargs.fail("must not be empty (DPDK device arguments or a port index)");
  } else {
    section.devargs = text;
  }
  if (auto mac = map.optional("mac")) {
    const auto parsed = parse_mac(mac->as_string());
    if (!parsed) mac->fail("'" + mac->as_string() + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
    if (parsed->is_multicast() || *parsed == wire::MacAddress{}) {
      mac->fail("'" + mac->as_string() + "' is not a unicast MAC address");
    }
    section.mac = *parsed;
  }
  return section;
}

ClockSection parse_clock(const YamlField& field) {
  ClockSection section;
  if (field.is_null()) return section;
  const YamlMap map(field, {"driver", "shm-path", "chrony-sock", "test-initial-offset-ns",
                            "test-initial-frequency-ppb"});
  if (auto driver = map.optional("driver")) {
    const std::string text = driver->as_string();
    if (text == "system") {
      section.driver = ClockDriver::kSystem;
    } else if (text != "virtual") {
      driver->fail("unknown clock driver '" + text + "' (virtual, system)");
    }
  }
  if (auto shm = map.optional("shm-path")) {
    section.shm_path = shm->as_string();
    if (section.shm_path.empty()) shm->fail("must not be empty");
  }
  if (auto sock = map.optional("chrony-sock")) {
    section.chrony_sock = sock->as_string();
    if (section.chrony_sock.empty() || section.chrony_sock.size() >= 108) {
      sock->fail("must be a Unix socket path of 1-107 characters");
    }
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
  const YamlMap map(field,
                    {"level", "measurements", "tracking", "metrics-textfile", "metrics-interval"});
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
  if (auto tracking = map.optional("tracking")) {
    section.tracking = tracking->as_string();
    if (section.tracking.empty()) tracking->fail("must not be empty");
  }
  if (auto textfile = map.optional("metrics-textfile")) {
    section.metrics_textfile = textfile->as_string();
    if (section.metrics_textfile.empty()) textfile->fail("must not be empty");
  }
  if (auto interval = map.optional("metrics-interval")) {
    section.metrics_interval_s = static_cast<unsigned>(interval->as_int(1, 3600));
  }
  return section;
}

// The node a key path such as "ntp.unicast-servers[3].vpn-instance" names, or the deepest one
// of its parents that exists (an entry moved in from an old-style key has no node of its own).
YAML::Mark mark_of(const YAML::Node& root, const std::string& path) {
  YAML::Node node = root;
  YAML::Mark mark = root.Mark();
  size_t i = 0;
  while (i < path.size()) {
    const size_t end = path.find_first_of(".[", i);
    const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!key.empty()) {
      if (!node.IsMap()) break;
      bool found = false;
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->first.IsScalar() && it->first.Scalar() == key) {
          mark = it->first.Mark();
          node = it->second;
          found = true;
          break;
        }
      }
      if (!found) break;
    }
    if (end == std::string::npos) break;
    if (path[end] == '[') {
      const size_t close = path.find(']', end);
      if (close == std::string::npos) break;
      size_t index = 0;
      std::from_chars(path.data() + end + 1, path.data() + close, index);
      if (!node.IsSequence() || index >= node.size()) break;
      node = node[index];
      mark = node.Mark();
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
    } else {
      i = end + 1;
    }
  }
  return mark;
}

StartupConfig parse_document(const YamlField& root_field) {
  if (root_field.is_null()) root_field.fail("the file is empty");
  const YamlMap root(root_field, {"dataplane", "interfaces", "routes", "clock", "log", "ntp"});
  StartupConfig config;
  config.dataplane = parse_dataplane(root.required("dataplane"));

  const YamlField interfaces = root.required("interfaces");
  for (const YamlField& item : interfaces.as_sequence()) {
    auto port = parse_interface(item);
    if (!port) continue;
    for (const InterfaceSection& other : config.interfaces) {
      if (other.name == port->name) {
        YamlMap(item, kInterfaceKeys).required("name").fail("interface name used twice");
      }
    }
    config.interfaces.push_back(*port);
  }
  if (config.interfaces.empty()) interfaces.fail("at least one port interface is required");
  if (config.interfaces.size() > kMaxInterfaces) {
    interfaces.fail("at most " + std::to_string(kMaxInterfaces) + " interfaces are supported");
  }
  if (auto clock = root.optional("clock")) config.clock = parse_clock(*clock);
  if (auto log = root.optional("log")) config.log = parse_log(*log);

  // The running configuration: the codec and the validator `commit` uses.
  const YAML::Node& document = root_field.node();
  auto decoded = decode_ntp_config(document["ntp"]);
  if (auto* e = std::get_if<ConfigError>(&decoded)) {
    ConfigError error = *e;
    error.file = root_field.file();
    throw YamlReadFailure{std::move(error)};
  }
  config.running = std::get<NtpConfig>(decoded);
  if (auto e = adopt_legacy_l3(document, config.running, &config.legacy_moves)) {
    e->file = root_field.file();
    throw YamlReadFailure{std::move(*e)};
  }
  if (auto e = validate_ntp_config(config.running, config.inventory())) {
    const YAML::Mark mark = mark_of(document, e->path);
    throw YamlReadFailure{yaml_error(mark, e->path, e->message, root_field.file())};
  }
  return config;
}

}  // namespace

InterfaceInventory StartupConfig::inventory() const {
  InterfaceInventory inventory;
  for (const InterfaceSection& itf : interfaces) inventory.names.insert(itf.name);
  return inventory;
}

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
    return yaml_error(e.mark, "", "invalid YAML: " + e.msg, file_name);
  }
  try {
    return parse_document(YamlField(&file_name, document, "", document.Mark()));
  } catch (const YamlReadFailure& failure) {
    return failure.error;
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp accessors on odd documents
    return yaml_error(e.mark, "", e.msg, file_name);
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

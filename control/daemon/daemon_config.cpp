#include "control/daemon/daemon_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace wiretime::daemon {
namespace {

struct ExtensionKey {
  const char* section;
  const char* key;
};
constexpr ExtensionKey kExtensionKeys[] = {{"dataplane", "backend"}, {"clock", "driver"},
                                           {"log", "tracking"},      {"ntp", "key-file"},
                                           {"clock", "shm-path"},    {"clock", "chrony-sock"}};

struct Found {
  std::string value;
  YAML::Mark mark;  // of the key
};

config::ConfigError error_at(const std::string& file, const YAML::Mark& mark, std::string path,
                             std::string message) {
  return config::ConfigError{file, mark.line + 1, mark.column + 1, std::move(path),
                             std::move(message)};
}

// Blanks [column, end of line) of `line` (0-based) in `lines`.
void blank(std::vector<std::string>& lines, int line, int column) {
  if (line < 0 || static_cast<size_t>(line) >= lines.size()) return;
  std::string& l = lines[static_cast<size_t>(line)];
  for (size_t i = static_cast<size_t>(column); i < l.size() && l[i] != '\r'; ++i) l[i] = ' ';
}

// Blanks the '-' that opens the sequence item whose content starts at (line, column), when
// only blanks separate them, so a fully blanked item leaves no empty entry behind.
void blank_item_dash(std::vector<std::string>& lines, int line, int column) {
  for (int l = line; l >= 0 && static_cast<size_t>(l) < lines.size(); --l) {
    std::string& text = lines[static_cast<size_t>(l)];
    int c = l == line ? column - 1 : static_cast<int>(text.size()) - 1;
    for (; c >= 0; --c) {
      const char ch = text[static_cast<size_t>(c)];
      if (ch == '-') {
        text[static_cast<size_t>(c)] = ' ';
        return;
      }
      if (ch != ' ' && ch != '\t' && ch != '\r') return;
    }
  }
}

std::optional<int64_t> parse_integer(const std::string& text, int64_t min, int64_t max) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end || text.empty() || v < min || v > max) return std::nullopt;
  return v;
}

// The daemon's own keys inside `ntp.unicast-servers` items: `key-id` on any item, and items
// named by `domain`, which are taken out of the text entirely.
std::optional<config::ConfigError> scan_unicast_servers(const YAML::Node& root,
                                                        std::vector<std::string>& lines,
                                                        const std::string& file,
                                                        DaemonConfig& cfg) {
  if (!root.IsMap()) return std::nullopt;
  const YAML::Node ntp = root["ntp"];
  if (!ntp || !ntp.IsMap()) return std::nullopt;
  const YAML::Node servers = ntp["unicast-servers"];
  if (!servers || !servers.IsSequence()) return std::nullopt;  // the start-up loader reports
  size_t index = 0;
  for (const YAML::Node& item : servers) {
    const std::string base = "ntp.unicast-servers[" + std::to_string(index++) + "]";
    if (!item.IsMap()) continue;
    const bool is_domain = static_cast<bool>(item["domain"]);
    std::optional<uint32_t> key_id;
    DomainServer domain;
    std::optional<YAML::Mark> minpoll_mark, maxpoll_mark;
    for (auto kv = item.begin(); kv != item.end(); ++kv) {
      if (!kv->first.IsScalar()) continue;
      const std::string key = kv->first.Scalar();
      const YAML::Mark mark = kv->first.Mark();
      const std::string path = base + "." + key;
      if (!is_domain && key != "key-id") continue;
      if (item.Style() == YAML::EmitterStyle::Flow || !kv->second.IsScalar() ||
          kv->second.Mark().line != mark.line) {
        return error_at(file, mark, path,
                        "write this server in block style with each value on its key's line");
      }
      const std::string value = kv->second.Scalar();
      if (key == "key-id") {
        const auto v = parse_integer(value, 1, UINT32_MAX);
        if (!v) return error_at(file, mark, path, "'" + value + "' is not a key id (1-4294967295)");
        key_id = static_cast<uint32_t>(*v);
      } else if (key == "domain") {
        if (value.empty() || value.size() > 255) {
          return error_at(file, mark, path, "must be a host name of 1-255 characters");
        }
        domain.name = value;
      } else if (key == "port") {
        const auto v = parse_integer(value, 1, 65535);
        if (!v) return error_at(file, mark, path, "'" + value + "' is not a port (1-65535)");
        domain.port = static_cast<uint16_t>(*v);
      } else if (key == "minpoll" || key == "maxpoll") {
        const auto v = parse_integer(value, config::kMinPollExponent, config::kMaxPollExponent);
        if (!v) {
          return error_at(file, mark, path,
                          "'" + value + "' is not a poll exponent (" +
                              std::to_string(config::kMinPollExponent) + ".." +
                              std::to_string(config::kMaxPollExponent) + ")");
        }
        (key == "minpoll" ? domain.minpoll : domain.maxpoll) = static_cast<int>(*v);
        (key == "minpoll" ? minpoll_mark : maxpoll_mark) = mark;
      } else if (key == "address") {
        return error_at(file, mark, path, "a server has either `address` or `domain`");
      } else {
        return error_at(file, mark, path,
                        "not supported for a domain server (domain, port, minpoll, maxpoll, "
                        "key-id)");
      }
      blank(lines, mark.line, mark.column);
    }
    if (is_domain) {
      if (domain.maxpoll < domain.minpoll) {
        return error_at(file, maxpoll_mark ? *maxpoll_mark : *minpoll_mark, base,
                        "maxpoll " + std::to_string(domain.maxpoll) + " is below minpoll " +
                            std::to_string(domain.minpoll));
      }
      domain.key_id = key_id.value_or(0);
      cfg.domain_servers.push_back(domain);
      blank_item_dash(lines, item.Mark().line, item.Mark().column);
    } else {
      cfg.server_key_ids.push_back(key_id.value_or(0));
    }
  }
  return std::nullopt;
}

}  // namespace

const char* to_string(Backend backend) {
  return backend == Backend::kSocket ? "socket" : "dpdk";
}
const char* to_string(ClockDriverKind clock) {
  return clock == ClockDriverKind::kSystem ? "system" : "virtual";
}

config::ConfigResult<DaemonConfig> load_daemon_config_text(std::string_view text,
                                                           const std::string& file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception&) {
    // Not YAML: the start-up loader reports where.
    auto r = config::load_startup_config_text(text, file_name);
    if (!r) return r.error();
    DaemonConfig cfg;
    cfg.startup = r.value();
    return cfg;
  }
  std::vector<std::string> lines;
  {
    std::string current;
    for (char c : text) {
      if (c == '\n') {
        lines.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    lines.push_back(current);
  }

  std::optional<Found> found[std::size(kExtensionKeys)];
  if (root.IsMap()) {
    for (size_t k = 0; k < std::size(kExtensionKeys); ++k) {
      const ExtensionKey& ext = kExtensionKeys[k];
      for (auto section = root.begin(); section != root.end(); ++section) {
        if (!section->first.IsScalar() || section->first.Scalar() != ext.section) continue;
        const YAML::Node map = section->second;
        if (!map.IsMap()) continue;  // the start-up loader reports the shape
        for (auto item = map.begin(); item != map.end(); ++item) {
          if (!item->first.IsScalar() || item->first.Scalar() != ext.key) continue;
          const YAML::Mark key_mark = item->first.Mark();
          const std::string path = std::string(ext.section) + "." + ext.key;
          if (map.Style() == YAML::EmitterStyle::Flow || !item->second.IsScalar() ||
              item->second.Mark().line != key_mark.line) {
            return error_at(file_name, key_mark, path,
                            "write it in block style with its value on the same line");
          }
          if (found[k]) return error_at(file_name, key_mark, path, "duplicate key");
          found[k] = Found{item->second.Scalar(), key_mark};
          blank(lines, key_mark.line, key_mark.column);
        }
      }
    }
  }

  DaemonConfig cfg;
  if (auto e = scan_unicast_servers(root, lines, file_name, cfg)) return *e;

  std::string masked;
  for (size_t i = 0; i < lines.size(); ++i) {
    masked += lines[i];
    if (i + 1 < lines.size()) masked += '\n';
  }
  auto startup = config::load_startup_config_text(masked, file_name);
  if (!startup) return startup.error();

  cfg.startup = startup.value();
  if (const auto& f = found[0]) {
    if (f->value == "socket") {
      cfg.backend = Backend::kSocket;
    } else if (f->value != "dpdk") {
      return error_at(file_name, f->mark, "dataplane.backend",
                      "unknown backend '" + f->value + "' (dpdk, socket)");
    }
  }
  if (const auto& f = found[1]) {
    if (f->value == "system") {
      cfg.clock = ClockDriverKind::kSystem;
    } else if (f->value != "virtual") {
      return error_at(file_name, f->mark, "clock.driver",
                      "unknown clock driver '" + f->value + "' (virtual, system)");
    }
  }
  if (const auto& f = found[2]) {
    if (f->value.empty()) return error_at(file_name, f->mark, "log.tracking", "must not be empty");
    cfg.tracking_log = f->value;
  }
  if (const auto& f = found[3]) {
    if (f->value.empty()) return error_at(file_name, f->mark, "ntp.key-file", "must not be empty");
    cfg.key_file = f->value;
  }
  if (const auto& f = found[4]) {
    if (f->value.empty())
      return error_at(file_name, f->mark, "clock.shm-path", "must not be empty");
    cfg.shm_path = f->value;
  }
  if (const auto& f = found[5]) {
    if (f->value.empty() || f->value.size() >= 108) {
      return error_at(file_name, f->mark, "clock.chrony-sock",
                      "must be a Unix socket path of 1-107 characters");
    }
    cfg.chrony_sock = f->value;
  }
  // One key per address server, whatever items the start-up loader read.
  cfg.server_key_ids.resize(cfg.startup.ntp.unicast_servers.size(), 0);
  const bool keyed = std::any_of(cfg.server_key_ids.begin(), cfg.server_key_ids.end(),
                                 [](uint32_t k) { return k != 0; }) ||
                     std::any_of(cfg.domain_servers.begin(), cfg.domain_servers.end(),
                                 [](const DomainServer& d) { return d.key_id != 0; });
  if (keyed && cfg.key_file.empty()) {
    return config::ConfigError{file_name, 0, 0, "ntp.key-file",
                               "a server has a key-id but no `ntp.key-file` gives the keys"};
  }
  return cfg;
}

config::ConfigResult<DaemonConfig> load_daemon_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return config::ConfigError{path, 0, 0, "", "cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return config::ConfigError{path, 0, 0, "", "cannot read the file"};
  return load_daemon_config_text(text.str(), path);
}

}  // namespace wiretime::daemon

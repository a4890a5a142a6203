#include "control/daemon/daemon_config.hpp"

#include <yaml-cpp/yaml.h>

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
constexpr ExtensionKey kExtensionKeys[] = {
    {"dataplane", "backend"}, {"clock", "driver"}, {"log", "tracking"}};

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

  std::string masked;
  for (size_t i = 0; i < lines.size(); ++i) {
    masked += lines[i];
    if (i + 1 < lines.size()) masked += '\n';
  }
  auto startup = config::load_startup_config_text(masked, file_name);
  if (!startup) return startup.error();

  DaemonConfig cfg;
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
      if (cfg.backend != Backend::kSocket) {
        return error_at(file_name, f->mark, "clock.driver",
                        "the system clock driver needs `dataplane.backend: socket`");
      }
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

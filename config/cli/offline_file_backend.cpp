#include "config/cli/offline_file_backend.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include "config/cli/atomic_file.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::cli {

OfflineFileBackend::~OfflineFileBackend() = default;

std::variant<std::unique_ptr<OfflineFileBackend>, config::ConfigError> OfflineFileBackend::open(
    const std::string& path) {
  std::unique_ptr<OfflineFileBackend> backend(new OfflineFileBackend());
  backend->path_ = path;
  backend->document_ = std::make_unique<YAML::Node>(YAML::NodeType::Map);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    std::string text;
    if (auto error = read_file(path, text)) return config::ConfigError{"", *error};
    try {
      *backend->document_ = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      return config::ConfigError{"", e.msg, e.mark.line + 1, e.mark.column + 1};
    }
    if (backend->document_->IsNull()) *backend->document_ = YAML::Node(YAML::NodeType::Map);
    if (!backend->document_->IsMap()) {
      return config::ConfigError{"", "expected a mapping at the top level", 1, 1};
    }
    const YAML::Node& doc = *backend->document_;
    auto decoded = config::decode_ntp_config(doc["ntp"]);
    if (auto* error = std::get_if<config::ConfigError>(&decoded)) return *error;
    backend->running_ = std::get<config::NtpConfig>(decoded);
    backend->inventory_ = config::inventory_from_daemon_yaml(doc);
    if (auto error = config::validate_ntp_config(backend->running_, backend->inventory_)) {
      // Point at the entry: find the node of the path to give line and column.
      YAML::Node node = YAML::Clone(doc);
      config::ConfigError positioned = *error;
      std::string rest = error->path;
      YAML::Node cursor = node;
      bool found = true;
      while (!rest.empty() && found) {
        const size_t dot = rest.find('.');
        std::string part = rest.substr(0, dot);
        rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
        size_t index = std::string::npos;
        if (const size_t bracket = part.find('['); bracket != std::string::npos) {
          index = std::stoul(part.substr(bracket + 1));
          part = part.substr(0, bracket);
        }
        if (!cursor.IsMap() || !cursor[part]) {
          found = false;
          break;
        }
        cursor = cursor[part];
        if (index != std::string::npos) {
          if (!cursor.IsSequence() || index >= cursor.size()) {
            found = false;
            break;
          }
          cursor = cursor[index];
        }
      }
      if (found && cursor.Mark().line >= 0) {
        positioned.line = cursor.Mark().line + 1;
        positioned.column = cursor.Mark().column + 1;
      }
      return positioned;
    }
  }
  return backend;
}

config::NtpConfig OfflineFileBackend::running() {
  return running_;
}

config::InterfaceInventory OfflineFileBackend::inventory() {
  return inventory_;
}

ConfigBackend::CommitResult OfflineFileBackend::commit(const config::NtpConfig& candidate) {
  if (auto error = config::validate_ntp_config(candidate, inventory_)) {
    return {false, error->to_string()};
  }
  YAML::Node document = YAML::Clone(*document_);
  YAML::Node section = config::encode_ntp_config(candidate);
  if (section.size() == 0) {
    document.remove("ntp");
  } else {
    document["ntp"] = section;
  }
  YAML::Emitter out;
  out << document;
  std::string text = out.c_str();
  text += "\n";
  if (auto error = write_file_atomically(path_, text)) return {false, *error};
  *document_ = document;
  running_ = candidate;
  return {true, {}};
}

std::optional<std::string> OfflineFileBackend::display(std::string_view) {
  return std::nullopt;
}

}  // namespace wiretime::cli

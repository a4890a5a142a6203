#include "config/cli/offline_file_backend.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include "config/cli/atomic_file.hpp"
#include "config/ntp_config/legacy_l3.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::cli {

namespace {

// The node a key path ("ntp.unicast-servers[2].port") names, for its line and column. Only
// const access and copy-construction: yaml-cpp's non-const operator[] and Node assignment edit
// the tree.
std::optional<YAML::Node> find_path(const YAML::Node& node, std::string_view path) {
  if (path.empty()) return node;
  const size_t dot = path.find('.');
  std::string part(path.substr(0, dot));
  const std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  size_t index = std::string::npos;
  if (const size_t bracket = part.find('['); bracket != std::string::npos) {
    index = std::stoul(part.substr(bracket + 1));
    part.resize(bracket);
  }
  if (!node.IsMap()) return std::nullopt;
  const YAML::Node child = node[part];
  if (!child) return std::nullopt;
  if (index == std::string::npos) return find_path(child, rest);
  if (!child.IsSequence() || index >= child.size()) return std::nullopt;
  return find_path(child[index], rest);
}

}  // namespace

OfflineFileBackend::~OfflineFileBackend() = default;

std::variant<std::unique_ptr<OfflineFileBackend>, config::ConfigError> OfflineFileBackend::open(
    const std::string& path) {
  std::unique_ptr<OfflineFileBackend> backend(new OfflineFileBackend());
  backend->path_ = path;
  backend->document_ = std::make_unique<YAML::Node>(YAML::NodeType::Map);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    std::string text;
    if (auto error = read_file(path, text)) return config::ConfigError{.message = *error};
    try {
      *backend->document_ = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      return config::ConfigError{
          .line = e.mark.line + 1, .column = e.mark.column + 1, .message = e.msg};
    }
    if (backend->document_->IsNull()) *backend->document_ = YAML::Node(YAML::NodeType::Map);
    if (!backend->document_->IsMap()) {
      return config::ConfigError{
          .line = 1, .column = 1, .message = "expected a mapping at the top level"};
    }
    const YAML::Node& doc = *backend->document_;
    auto decoded = config::decode_ntp_config(doc["ntp"]);
    if (auto* error = std::get_if<config::ConfigError>(&decoded)) return *error;
    backend->running_ = std::get<config::NtpConfig>(decoded);
    // An old-style file's L3 keys are running configuration too (legacy_l3.hpp).
    if (auto error = config::adopt_legacy_l3(doc, backend->running_)) return *error;
    backend->inventory_ = config::inventory_from_daemon_yaml(doc);
    if (auto error = config::validate_ntp_config(backend->running_, backend->inventory_)) {
      config::ConfigError positioned = *error;
      if (auto node = find_path(doc, error->path); node && node->Mark().line >= 0) {
        positioned.line = node->Mark().line + 1;
        positioned.column = node->Mark().column + 1;
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
  config::strip_legacy_l3(document);  // the candidate holds them now: the file's new shape
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

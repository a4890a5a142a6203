#include "config/apply/running_file.hpp"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/apply/atomic_file.hpp"
#include "config/ntp_config/legacy_l3.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::apply {

namespace {

std::variant<YAML::Node, config::ConfigError> load_document(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return YAML::Node(YAML::NodeType::Map);
  std::string text;
  if (auto error = read_file(path, text)) return config::ConfigError{.message = *error};
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return config::ConfigError{
        .line = e.mark.line + 1, .column = e.mark.column + 1, .message = e.msg};
  }
  if (!document || document.IsNull()) return YAML::Node(YAML::NodeType::Map);
  if (!document.IsMap())
    return config::ConfigError{
        .line = 1, .column = 1, .message = "expected a mapping at the top level"};
  return document;
}

}  // namespace

RunningFile::RunningFile(std::string path, YAML::Node document)
    : path_(std::move(path)), document_(std::move(document)) {}

std::variant<RunningFile, config::ConfigError> RunningFile::open(const std::string& path) {
  remove_stale_temporaries(path);
  auto loaded = load_document(path);
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) return *error;
  return RunningFile(path, std::get<YAML::Node>(loaded));
}

std::optional<std::string> RunningFile::write(const config::NtpConfig& config) {
  YAML::Node document = YAML::Clone(document_);
  // `config` holds the old-style L3 keys read_ntp() moved in: the file takes the new shape.
  config::strip_legacy_l3(document);
  YAML::Node section = config::encode_ntp_config(config);
  if (section.size() == 0) {
    document.remove("ntp");
  } else {
    document["ntp"] = section;
  }
  YAML::Emitter out;
  out << document;
  std::string text = out.c_str();
  text += "\n";
  if (auto error = write_file_atomically(path_, text)) return error;
  document_ = document;
  return std::nullopt;
}

std::variant<RunningFile::Saved, std::string> RunningFile::save() const {
  Saved saved;
  saved.document = YAML::Clone(document_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return saved;
  saved.existed = true;
  if (auto error = read_file(path_, saved.text)) return *error;
  return saved;
}

std::optional<std::string> RunningFile::restore(const Saved& saved) {
  if (saved.existed) {
    if (auto error = write_file_atomically(path_, saved.text)) return error;
  } else if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
    return "cannot remove " + path_;
  }
  document_ = saved.document;
  return std::nullopt;
}

std::variant<config::NtpConfig, config::ConfigError> RunningFile::read_ntp(
    const std::string& path) {
  auto loaded = load_document(path);
  if (auto* error = std::get_if<config::ConfigError>(&loaded)) return *error;
  const YAML::Node& document = std::get<YAML::Node>(loaded);
  auto decoded = config::decode_ntp_config(document["ntp"]);
  if (auto* config = std::get_if<config::NtpConfig>(&decoded)) {
    if (auto error = config::adopt_legacy_l3(document, *config)) return *error;
  }
  return decoded;
}

size_t remove_stale_temporaries(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string directory =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string prefix = (slash == std::string::npos ? path : path.substr(slash + 1)) + ".tmp";
  DIR* dir = ::opendir(directory.c_str());
  if (dir == nullptr) return 0;
  size_t removed = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    // mkstemp's six random characters follow the prefix.
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    if (::unlink((directory + "/" + name).c_str()) == 0) ++removed;
  }
  ::closedir(dir);
  return removed;
}

}  // namespace wiretime::apply

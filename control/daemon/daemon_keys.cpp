#include "control/daemon/daemon_keys.hpp"

#include "control/auth/chrony_key_file.hpp"

namespace wiretime::daemon {

DaemonKeys load_daemon_keys(const DaemonConfig& config) {
  DaemonKeys out;
  if (!config.key_file.empty()) {
    auth::KeyFileResult file = auth::load_chrony_key_file(config.key_file);
    for (const auth::KeyFileDiagnostic& d : file.diagnostics) {
      if (d.line == 0) {
        out.error = d.to_string(config.key_file);
        return out;
      }
      out.warnings.push_back(d.to_string(config.key_file));
    }
    for (auth::SymmetricKey& key : file.keys) {
      const uint32_t id = key.id;
      if (std::string e = out.table.add(std::move(key)); !e.empty()) {
        out.warnings.push_back(config.key_file + ": key " + std::to_string(id) + " skipped: " + e);
      }
    }
  }
  std::vector<uint32_t> used;
  for (const auto* list : {&config.running().unicast_servers, &config.running().unicast_peers}) {
    for (const config::Association& a : *list) {
      if (a.file_key_id) used.push_back(*a.file_key_id);
    }
  }
  for (const uint32_t id : used) {
    out.authentication_enabled = true;
    if (out.table.find(id) == nullptr) {
      out.error = "key-id " + std::to_string(id) + " of a server is not in " +
                  (config.key_file.empty() ? std::string("any key file") : config.key_file);
      return out;
    }
  }
  return out;
}

std::optional<DaemonKeys> load_daemon_keys(const DaemonConfig& config, const DaemonLog& log) {
  DaemonKeys keys = load_daemon_keys(config);
  for (const std::string& w : keys.warnings) log.warning(w);
  if (!keys.error.empty()) {
    log.error(keys.error);
    return std::nullopt;
  }
  if (!config.key_file.empty()) {
    log.info("authentication: " + std::to_string(keys.table.size()) + " keys from " +
             config.key_file);
  }
  return keys;
}

}  // namespace wiretime::daemon

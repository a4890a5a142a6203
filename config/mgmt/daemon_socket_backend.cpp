#include "config/mgmt/daemon_socket_backend.hpp"

#include "config/mgmt/mgmt_client.hpp"
#include "config/ntp_config/ntp_config_yaml.hpp"

namespace wiretime::mgmt {

std::variant<std::unique_ptr<DaemonSocketBackend>, std::string> DaemonSocketBackend::connect(
    const std::string& socket_path) {
  std::unique_ptr<DaemonSocketBackend> backend(new DaemonSocketBackend(socket_path));
  if (auto error = backend->fetch_running()) return *error;
  if (auto error = backend->fetch_inventory()) return *error;
  return backend;
}

std::optional<std::string> DaemonSocketBackend::fetch_running() {
  Request request;
  request.kind = RequestKind::kRunning;
  auto answer = call_daemon(socket_path_, request);
  if (auto* error = std::get_if<std::string>(&answer)) return last_error_ = *error;
  const Response& response = std::get<Response>(answer);
  if (!response.ok) return last_error_ = response.body;
  auto decoded = config::ntp_config_from_yaml_text(response.body);
  if (auto* error = std::get_if<config::ConfigError>(&decoded)) {
    return last_error_ = "wiretimed sent an unreadable configuration: " + error->to_string();
  }
  running_ = std::get<config::NtpConfig>(std::move(decoded));
  return std::nullopt;
}

std::optional<std::string> DaemonSocketBackend::fetch_inventory() {
  Request request;
  request.kind = RequestKind::kInventory;
  auto answer = call_daemon(socket_path_, request);
  if (auto* error = std::get_if<std::string>(&answer)) return last_error_ = *error;
  const Response& response = std::get<Response>(answer);
  if (!response.ok) return last_error_ = response.body;
  config::InterfaceInventory inventory;
  size_t start = 0;
  while (start < response.body.size()) {
    size_t end = response.body.find('\n', start);
    if (end == std::string::npos) end = response.body.size();
    if (end > start) inventory.names.insert(response.body.substr(start, end - start));
    start = end + 1;
  }
  inventory_ = std::move(inventory);
  return std::nullopt;
}

config::NtpConfig DaemonSocketBackend::running() {
  fetch_running();
  return running_;
}

config::InterfaceInventory DaemonSocketBackend::inventory() {
  fetch_inventory();
  return inventory_;
}

cli::ConfigBackend::CommitResult DaemonSocketBackend::send_commit(
    const config::NtpConfig& candidate, const std::optional<config::NtpConfig>& base) {
  Request request;
  request.kind = RequestKind::kCommit;
  request.candidate = candidate;
  request.base = base;
  auto answer = call_daemon(socket_path_, request);
  if (auto* error = std::get_if<std::string>(&answer)) {
    last_error_ = *error;
    return {false, *error};
  }
  const Response& response = std::get<Response>(answer);
  if (!response.ok) {
    last_error_ = response.body;
    return {false, response.body};
  }
  running_ = candidate;
  return {true, {}};
}

cli::ConfigBackend::CommitResult DaemonSocketBackend::commit(const config::NtpConfig& candidate) {
  return send_commit(candidate, std::nullopt);
}

cli::ConfigBackend::CommitResult DaemonSocketBackend::commit_from(
    const config::NtpConfig& base, const config::NtpConfig& candidate) {
  return send_commit(candidate, base);
}

std::optional<std::string> DaemonSocketBackend::display(std::string_view what) {
  Request request;
  request.kind = RequestKind::kDisplay;
  request.what = std::string(what);
  auto answer = call_daemon(socket_path_, request);
  if (auto* error = std::get_if<std::string>(&answer)) {
    last_error_ = *error;
    return "Error: " + *error + "\n";
  }
  const Response& response = std::get<Response>(answer);
  if (!response.ok) {
    last_error_ = response.body;
    return "Error: " + response.body + "\n";
  }
  return response.body;
}

cli::ConfigBackend::CommitResult DaemonSocketBackend::reset(std::string_view what) {
  Request request;
  request.kind = RequestKind::kReset;
  request.what = std::string(what);
  auto answer = call_daemon(socket_path_, request);
  if (auto* error = std::get_if<std::string>(&answer)) {
    last_error_ = *error;
    return {false, *error};
  }
  const Response& response = std::get<Response>(answer);
  if (!response.ok) last_error_ = response.body;
  return {response.ok, response.ok ? std::string() : response.body};
}

}  // namespace wiretime::mgmt

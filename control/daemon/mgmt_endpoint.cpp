#include "control/daemon/mgmt_endpoint.hpp"

#include <yaml-cpp/yaml.h>

#include "config/apply/running_file.hpp"
#include "config/mgmt/mgmt_server.hpp"
#include "config/mgmt/mgmt_service.hpp"
#include "control/daemon/mgmt_hooks.hpp"

namespace wiretime::daemon {

struct MgmtEndpoint::Parts {
  std::unique_ptr<MgmtHooks> hooks;
  std::unique_ptr<mgmt::MgmtService> service;
  std::unique_ptr<mgmt::MgmtServer> server;
};

MgmtEndpoint::MgmtEndpoint(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
MgmtEndpoint::~MgmtEndpoint() = default;

std::variant<std::unique_ptr<MgmtEndpoint>, std::string> MgmtEndpoint::open(
    runtime::ControlLoop& loop, const std::string& config_path, const std::string& socket_path,
    std::function<UnixNanos()> now, auth::KeyTable* keys,
    std::function<std::vector<display::InterfaceBrief>()> interfaces, BackendDropCounters drops,
    InterfaceNameOf interface_name) {
  auto running = apply::RunningFile::read_ntp(config_path);
  if (auto* e = std::get_if<config::ConfigError>(&running)) return e->to_string(config_path);
  auto file = apply::RunningFile::open(config_path);
  if (auto* e = std::get_if<config::ConfigError>(&file)) return e->to_string(config_path);
  config::InterfaceInventory inventory;
  try {
    inventory = config::inventory_from_daemon_yaml(YAML::LoadFile(config_path));
  } catch (const YAML::Exception& e) {
    return config_path + ": " + e.what();
  }
  auto parts = std::make_unique<Parts>();
  parts->hooks = std::make_unique<MgmtHooks>(
      loop, std::get<config::NtpConfig>(running), std::move(inventory), std::move(now),
      std::move(drops), keys, std::move(interfaces), std::move(interface_name));
  if (auto e = parts->hooks->adopt_running_globals()) return config_path + ": " + *e;
  parts->service = std::make_unique<mgmt::MgmtService>(
      parts->hooks->hooks(), std::move(std::get<apply::RunningFile>(file)));
  mgmt::MgmtService* service = parts->service.get();
  auto server = mgmt::MgmtServer::listen_async(
      socket_path, [service](const mgmt::Request& r, mgmt::MgmtServer::Reply reply) {
        service->handle_async(r, std::move(reply));
      });
  if (auto* e = std::get_if<std::string>(&server)) return *e;
  parts->server = std::move(std::get<std::unique_ptr<mgmt::MgmtServer>>(server));
  return std::unique_ptr<MgmtEndpoint>(new MgmtEndpoint(std::move(parts)));
}

void MgmtEndpoint::fill_pollfds(std::vector<pollfd>& fds) const {
  parts_->server->fill_pollfds(fds);
}

void MgmtEndpoint::service(const pollfd* fds, size_t count) {
  parts_->server->service(fds, count);
}

const config::NtpConfig& MgmtEndpoint::running() const {
  return parts_->hooks->running();
}

const std::string& MgmtEndpoint::path() const {
  return parts_->server->path();
}

}  // namespace wiretime::daemon

#include "control/daemon/mgmt_endpoint.hpp"

#include "config/apply/running_file.hpp"
#include "config/mgmt/mgmt_server.hpp"
#include "config/mgmt/mgmt_service.hpp"
#include "config/startup/startup_config.hpp"
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
    runtime::ControlLoop& loop, const config::StartupConfig& startup,
    const std::string& config_path, const std::string& socket_path, std::function<UnixNanos()> now,
    auth::KeyTable* keys, std::function<std::vector<display::InterfaceBrief>()> interfaces,
    BackendDropCounters drops, InterfaceNameOf interface_name,
    std::function<void(engine::AssociationId, const engine::AssociationConfig&,
                       const runtime::Peer&)>
        added,
    MgmtHooks::Refuse refuse, MgmtHooks::RefuseServer refuse_server) {
  auto file = apply::RunningFile::open(config_path);
  if (auto* e = std::get_if<config::ConfigError>(&file)) return e->to_string(config_path);
  auto parts = std::make_unique<Parts>();
  parts->hooks = std::make_unique<MgmtHooks>(
      loop, config::NtpConfig{}, startup.inventory(), std::move(now), std::move(drops), keys,
      std::move(interfaces), std::move(interface_name), std::move(added));
  parts->hooks->set_refuse(std::move(refuse));
  parts->hooks->set_refuse_server(std::move(refuse_server));
  if (auto e = parts->hooks->start(startup.running)) return config_path + ": " + *e;
  parts->service = std::make_unique<mgmt::MgmtService>(
      parts->hooks->hooks(), std::move(std::get<apply::RunningFile>(file)));
  if (socket_path.empty()) return std::unique_ptr<MgmtEndpoint>(new MgmtEndpoint(std::move(parts)));
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
  if (parts_->server) parts_->server->fill_pollfds(fds);
}

void MgmtEndpoint::service(const pollfd* fds, size_t count) {
  if (parts_->server) parts_->server->service(fds, count);
}

const config::NtpConfig& MgmtEndpoint::running() const {
  return parts_->hooks->running();
}

const std::string& MgmtEndpoint::path() const {
  static const std::string none;
  return parts_->server ? parts_->server->path() : none;
}

}  // namespace wiretime::daemon

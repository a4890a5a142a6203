#include "control/daemon/daemon_config.hpp"

namespace wiretime::daemon {
namespace {

DaemonConfig from_startup(config::StartupConfig startup) {
  DaemonConfig cfg;
  cfg.backend = startup.dataplane.backend;
  cfg.clock = startup.clock.driver == config::ClockDriver::kSystem ? ClockDriverKind::kSystem
                                                                   : ClockDriverKind::kVirtual;
  cfg.tracking_log = startup.log.tracking;
  cfg.key_file = startup.running.key_file;
  cfg.shm_path = startup.clock.shm_path;
  cfg.chrony_sock = startup.clock.chrony_sock;
  cfg.startup = std::move(startup);
  return cfg;
}

}  // namespace

const char* to_string(BackendKind backend) {
  return backend == BackendKind::kSocket ? "socket" : "dpdk";
}
const char* to_string(ClockDriverKind clock) {
  return clock == ClockDriverKind::kSystem ? "system" : "virtual";
}

config::ConfigResult<DaemonConfig> load_daemon_config_text(std::string_view text,
                                                           const std::string& file_name) {
  auto loaded = config::load_startup_config_text(text, file_name);
  if (!loaded) return loaded.error();
  return from_startup(std::move(loaded.value()));
}

config::ConfigResult<DaemonConfig> load_daemon_config_file(const std::string& path) {
  auto loaded = config::load_startup_config_file(path);
  if (!loaded) return loaded.error();
  return from_startup(std::move(loaded.value()));
}

}  // namespace wiretime::daemon

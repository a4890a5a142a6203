// What the composition root hands a backend: the loaded configuration, the log, and the stop
// flag the signal handler sets. Each backend returns the daemon's exit status.
#pragma once

#include <csignal>
#include <string>

#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_log.hpp"

namespace wiretime::daemon {

struct BackendContext {
  const DaemonConfig& config;
  const DaemonLog& log;
  const volatile std::sig_atomic_t& stop;
  uint64_t seed = 0;
  std::string config_path;  // also the running file `commit` writes
  std::string mgmt_socket;
};

// Kernel UDP sockets, one thread, poll() only (control/daemon/socket_backend.cpp).
int run_socket_backend(const BackendContext& context);
// DPDK ports and lcores (control/daemon/dpdk_backend.cpp; only when built with DPDK).
int run_dpdk_backend(const BackendContext& context);

}  // namespace wiretime::daemon

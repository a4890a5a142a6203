// wiretimed: composition root. Validates the start-up YAML before anything starts, installs the
// SIGINT/SIGTERM handlers and runs the configured backend (DPDK or kernel sockets), which
// drives the control loop until a signal asks it to stop.
#include <sys/random.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "control/daemon/backend.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_log.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/mgmt_hooks.hpp"
#include "control/daemon/socket_server.hpp"

namespace wiretime::daemon {
namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
  g_stop = 1;
}

// `dataplane.backend` -> the Backend run_daemon drives (as l3fwd's lookup-mode table maps
// its --lookup to a mode's set-up and main loop), and the rules its refuse() and
// refuse_server() apply to every commit (null: it runs everything), for --check-config.
struct BackendMode {
  BackendKind kind;
  std::unique_ptr<Backend> (*make)();
  std::string (*refuse)(const engine::AssociationConfig&);
  std::string (*refuse_server)(const config::NtpConfig&);
};
constexpr BackendMode kBackendModes[] = {
    {BackendKind::kSocket, make_socket_backend, socket_refusal, socket_server_refusal},
#ifdef WIRETIME_WITH_DPDK
    {BackendKind::kDpdk, make_dpdk_backend, nullptr, nullptr},
#endif
};

uint64_t random_seed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) {
    seed = static_cast<uint64_t>(getpid()) * 0x9e3779b97f4a7c15ULL;
  }
  return seed;
}

int run(int argc, char** argv) {
  DaemonLog log;
  std::string error;
  const auto options = parse_daemon_options(std::vector<std::string>(argv + 1, argv + argc), error);
  if (!options) {
    std::fprintf(stderr, "wiretimed: %s\n%s", error.c_str(), usage());
    return kExitConfigError;
  }
  if (options->help) {
    std::fputs(usage(), stdout);
    return kExitOk;
  }
  const auto loaded = load_daemon_config_file(options->config_path);
  if (!loaded) {
    std::fprintf(stderr, "wiretimed: %s\n", loaded.error().to_string().c_str());
    return kExitConfigError;
  }
  const DaemonConfig& cfg = loaded.value();
  if (options->check_config) {
    // What start-up's commit would refuse on this backend, the file refuses now.
    for (const BackendMode& mode : kBackendModes) {
      if (mode.kind != cfg.backend) continue;
      MgmtHooks::Refuse refuse;
      MgmtHooks::RefuseServer refuse_server;
      if (mode.refuse != nullptr) refuse = mode.refuse;
      if (mode.refuse_server != nullptr) refuse_server = mode.refuse_server;
      if (const auto why = backend_refusal(cfg.running(), refuse, refuse_server)) {
        std::fprintf(stderr, "wiretimed: %s: %s backend: %s\n", options->config_path.c_str(),
                     to_string(cfg.backend), why->c_str());
        return kExitConfigError;
      }
    }
    std::printf("%s: ok\n", options->config_path.c_str());
    return kExitOk;
  }
  log.set_level(options->log_level.value_or(cfg.startup.log.level));

  // No SA_RESTART: the signal interrupts poll()/nanosleep so the loop sees the flag at once.
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  const BackendContext context{
      cfg, log, g_stop, random_seed(), options->config_path, options->mgmt_socket};
  log.info(std::string("backend ") + to_string(cfg.backend) + ", clock " + to_string(cfg.clock));
  // Old-style keys (docs/configuration.md): running configuration now; the first commit
  // rewrites the file in the new shape.
  for (const std::string& moved : cfg.startup.legacy_moves) {
    log.info("old-style key " + moved + " (moved by the next commit)");
  }
  for (const BackendMode& mode : kBackendModes) {
    if (mode.kind == cfg.backend) {
      const std::unique_ptr<Backend> backend = mode.make();
      return run_daemon(*backend, context);
    }
  }
  log.error("built without DPDK: use `dataplane.backend: socket`");
  return kExitConfigError;
}

}  // namespace
}  // namespace wiretime::daemon

int main(int argc, char** argv) {
  return wiretime::daemon::run(argc, argv);
}

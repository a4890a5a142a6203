// The daemon's one skeleton (backend.hpp): what both backends share, built once, then the steps
// of every pass. Each step is a function below, named as the loop calls it.
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "control/daemon/auth_summary.hpp"
#include "control/daemon/backend.hpp"
#include "control/daemon/daemon_keys.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/mgmt_endpoint.hpp"
#include "control/daemon/server_keys_publisher.hpp"
#include "control/daemon/service_notify.hpp"
#include "control/daemon/system_resolver.hpp"
#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::daemon {
namespace {

// Everything the steps use, built once by run_daemon.
struct Daemon {
  Backend& backend;
  const BackendContext& context;
  const DaemonLog& log;
  runtime::RuntimeClock& clock;
  runtime::ControlLoop& loop;
  SystemResolver& names;
  MgmtEndpoint& mgmt;
  MetricsPublisher& metrics;
  ClockOutputs* outputs;
  DaemonKeys& keys;
  ServerKeysPublisher& server_keys;
  std::vector<pollfd> fds;  // of the last idle step: [names wake fd, mgmt..., backend...]
  size_t mgmt_fds = 0;
  bool polled = false;  // fds hold the last idle step's readiness
};

UnixNanos utc_now(const runtime::RuntimeClock& clock) {
  return clock.to_utc(clock.now_ticks());
}

// poll: what the transport received (replies, T1 reports) goes to the loop.
size_t step_poll(Daemon& d) {
  const size_t events = d.backend.poll(d.loop);
  if (d.polled) {
    const size_t first = 1 + d.mgmt_fds;
    d.backend.service(d.fds.data() + first, d.fds.size() - first, d.loop);
  }
  return events;
}

// names: answers of the resolver's thread (its wake fd turned readable) or retries now due.
void step_names(Daemon& d, int64_t now) {
  const bool woken = d.polled && (d.fds[0].revents & POLLIN) != 0;
  const auto due = d.names.next_due();
  if (!woken && !(due && *due <= now)) return;
  for (const resolver::ResolveEvent& e : d.names.deliver(d.loop)) {
    if (e.ok) {
      d.log.info("resolved " + e.name + " to " + resolver::format_address(e.addresses.front()));
    } else {
      d.log.warning("cannot resolve " + e.name + ": " + e.error + " (attempt " +
                    std::to_string(e.failures) + ")");
    }
  }
}

// mgmt: the management socket's connections (commits, displays).
void step_mgmt(Daemon& d) {
  if (!d.polled) return;
  d.mgmt.service(d.fds.data() + 1, d.mgmt_fds);
  d.backend.apply_l3(d.mgmt.running(), d.loop);
}

// run_due: the loop's timers (polls, clock updates), then what is published from its state.
uint64_t step_run_due(Daemon& d, int64_t now) {
  const uint64_t next = d.loop.run_due();
  if (d.backend.publish(now, d.mgmt.running(), d.loop)) {
    d.server_keys.update(d.keys.table, d.mgmt.running().authentication_enable);
  }
  if (d.outputs != nullptr) d.outputs->poll(d.loop);
  d.metrics.poll(d.loop, now, utc_now(d.clock), d.log);
  return next;
}

// idle: wait as the backend's policy says, learning which descriptors turned ready.
bool step_idle(Daemon& d, uint64_t next, size_t events) {
  const int64_t now = socket::monotonic_ns();
  int64_t ahead_ns =
      static_cast<int64_t>(static_cast<double>(static_cast<int64_t>(next - d.clock.now_ticks())) *
                           1e9 / d.clock.ticks_per_second());
  if (const auto due = d.names.next_due()) ahead_ns = std::min<int64_t>(ahead_ns, *due - now);
  const IdlePlan plan = d.backend.idle(now, ahead_ns, events);
  d.polled = plan.poll_descriptors;
  if (plan.poll_descriptors) {
    d.fds.assign(1, pollfd{d.names.wake_fd(), POLLIN, 0});
    d.mgmt.fill_pollfds(d.fds);
    d.mgmt_fds = d.fds.size() - 1;
    d.backend.fill_pollfds(d.fds);
    const int ready = ::poll(d.fds.data(), d.fds.size(), plan.timeout_ms);
    if (ready < 0 && errno != EINTR) {
      d.log.error(std::string("poll: ") + std::strerror(errno));
      return false;
    }
    if (ready <= 0) d.polled = false;
  }
  if (plan.nap_ns > 0) {
    const timespec pause{static_cast<time_t>(plan.nap_ns / 1'000'000'000),
                         static_cast<long>(plan.nap_ns % 1'000'000'000)};
    nanosleep(&pause, nullptr);
  }
  return true;
}

}  // namespace

int run_daemon(Backend& backend, const BackendContext& context) {
  const DaemonConfig& cfg = context.config;
  const DaemonLog& log = context.log;

  std::optional<DaemonKeys> loaded_keys = load_daemon_keys(cfg, log);
  if (!loaded_keys) return kExitConfigError;
  DaemonKeys& keys = *loaded_keys;

  if (const int status = backend.open(context); status != kExitOk) return status;
  BackendClock& bc = backend.clock();
  runtime::RuntimeClock& clock = *bc.clock;

  DaemonObserver observer(log, bc.test_error);
  if (std::string e = observer.open_logs(cfg.startup.log.measurements, cfg.tracking_log);
      !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }

  // The shared-memory clock, the chrony feed and the system clock's steering publish the
  // backend's virtual clock.
  std::unique_ptr<ClockOutputs> outputs;
  const bool configured = !cfg.shm_path.empty() || !cfg.chrony_sock.empty();
  if (bc.exported == nullptr && configured) {
    log.warning(
        "clock.shm-path / clock.chrony-sock are not published with the socket backend's system "
        "driver: CLOCK_REALTIME itself is the output");
  }
  if (bc.exported != nullptr && (bc.outputs_by_default || configured)) {
    DaemonConfig out_cfg = cfg;
    if (!bc.outputs_by_default && out_cfg.shm_path.empty()) out_cfg.shm_path = "off";
    std::string e;
    outputs = ClockOutputs::create(out_cfg, context.mgmt_socket, bc.tick_source, *bc.exported,
                                   observer, bc.pair, bc.steering, log, e);
    if (!outputs) {
      log.error(e);
      return kExitRuntimeError;
    }
  }

  engine::EngineConfig engine_config;
  engine_config.authentication_enabled = keys.authentication_enabled;
  engine_config.initial_frequency = bc.initial_frequency;
  // Names are looked up on the resolver's thread (started by the first name): the loop never
  // waits for DNS; answers are collected when its wake-up descriptor turns readable.
  resolver::ResolverOptions resolver_options;
  resolver_options.mode = resolver::ResolverMode::kWorkerThread;
  resolver_options.family = backend.reachable_family();
  SystemResolver names(resolver_options, [] { return socket::monotonic_ns(); });
  runtime::ControlLoop loop(engine_config, context.seed, outputs ? outputs->clock() : clock,
                            backend.transport(), outputs ? outputs->observer() : observer, &names);
  loop.set_keys(&keys.table);  // the loop signs requests and verifies replies
  backend.attach(loop);

  // Start-up's commit (the file's running configuration through the path `commit` takes),
  // also with `--no-mgmt-socket` (an empty path: no management socket, e.g. under a simulator).
  auto opened = MgmtEndpoint::open(
      loop, cfg.startup, context.config_path, context.mgmt_socket,
      [&clock] { return utc_now(clock); }, &keys.table,
      [&backend] { return backend.interface_briefs(); }, [&backend] { return backend.counters(); },
      [&backend](uint16_t index) { return backend.interface_name(index); },
      [&](engine::AssociationId id, const engine::AssociationConfig& c, const runtime::Peer& p) {
        names.set_port(id, c.port);
        const std::string where = backend.source_added(c, p);
        log.info("source " +
                 (c.is_domain ? c.address + ":" + std::to_string(c.port) : runtime::to_string(p)) +
                 where + ", poll 2^" + std::to_string(c.min_poll) + "..2^" +
                 std::to_string(c.max_poll) + " s" +
                 (c.key_id != 0 ? ", key " + std::to_string(c.key_id) : std::string()));
      },
      [&backend](const engine::AssociationConfig& c) { return backend.refuse(c); },
      [&backend](const config::NtpConfig& c) { return backend.refuse_server(c); });
  if (auto* e = std::get_if<std::string>(&opened)) {
    log.error("configuration: " + *e);
    return kExitConfigError;
  }
  MgmtEndpoint& mgmt = *std::get<std::unique_ptr<MgmtEndpoint>>(opened);

  // Server authentication keys, rebuilt when a commit changed them (server_keys.hpp).
  server::ServerKeyPublisher server_keys;
  ServerKeysPublisher server_keys_publisher(server_keys);
  server_keys_publisher.update(keys.table, mgmt.running().authentication_enable);
  // Prometheus textfile and DPDK telemetry (docs/operations.md, Telemetry).
  MetricsPublisher metrics(cfg.startup.log, backend.name(), utc_now(clock));
  if (const int status = backend.start(mgmt.running(), server_keys, metrics); status != kExitOk) {
    return status;
  }
  if (!context.mgmt_socket.empty()) {
    log.info("management socket " + mgmt.path());
    notify_ready(std::string(backend.ready_what()) + " and management socket " + mgmt.path() +
                 " up");
  } else {
    log.info("management socket: off (--no-mgmt-socket)");
    notify_ready(std::string(backend.ready_what()) + " up, no management socket");
  }

  Daemon d{backend,
           context,
           log,
           clock,
           loop,
           names,
           mgmt,
           metrics,
           outputs.get(),
           keys,
           server_keys_publisher,
           {},
           0,
           false};
  int status = kExitOk;
  while (!context.stop) {
    const size_t events = step_poll(d);
    const int64_t now = socket::monotonic_ns();
    step_names(d, now);
    step_mgmt(d);
    const uint64_t next = step_run_due(d, now);
    if (!step_idle(d, next, events)) {
      status = kExitRuntimeError;
      break;
    }
  }
  log.info("stopping");
  notify_stopping();
  log.info(format_status(loop.status()));
  backend.stop(loop);
  if (keys.authentication_enabled) {
    log.info(format_auth_summary(
        [&](auth::MacVerdict v) { return loop.counters().auth_verdicts[static_cast<size_t>(v)]; },
        loop.counters().authentication_failures,
        loop.counters().sign_failures + backend.unsent_macs()));
  }
  return status;
}

}  // namespace wiretime::daemon

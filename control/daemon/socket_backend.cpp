// The kernel-socket backend: the same control loop and engine as the DPDK backend, in one
// thread over one UDP socket. To run unmodified under syscall-interposing clock and network
// simulators it waits only in poll(), reads time only with clock_gettime (REALTIME and
// MONOTONIC), controls the clock only with clock_adjtime, and does its I/O with sendto and
// recvmsg on a socket(AF_INET[6], SOCK_DGRAM, 0) made non-blocking with fcntl. No threads,
// epoll, timerfd or signalfd; SIGTERM/SIGINT interrupt poll() and end the loop.
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <variant>
#include <vector>

#include "config/ntp_config/ip_address.hpp"
#include "config/startup/network_spec.hpp"
#include "control/daemon/auth_summary.hpp"
#include "control/daemon/backend.hpp"
#include "control/daemon/clock_outputs.hpp"
#include "control/daemon/daemon_keys.hpp"
#include "control/daemon/daemon_observer.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/metrics_publisher.hpp"
#include "control/daemon/mgmt_endpoint.hpp"
#include "control/daemon/server_keys_publisher.hpp"
#include "control/daemon/server_publisher.hpp"
#include "control/daemon/service_notify.hpp"
#include "control/daemon/socket_server.hpp"
#include "control/daemon/socket_transport.hpp"
#include "control/daemon/system_clock.hpp"
#include "control/daemon/system_resolver.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/socket/kernel_clock.hpp"
#include "dataplane/socket/udp_socket.hpp"

namespace wiretime::daemon {
namespace {

uint64_t monotonic_ticks() {
  return static_cast<uint64_t>(socket::monotonic_ns());
}

// A CLOCK_REALTIME stamp as a CLOCK_MONOTONIC tick (the virtual and system clocks both tick
// in monotonic nanoseconds).
uint64_t realtime_to_ticks(UnixNanos realtime) {
  return static_cast<uint64_t>(realtime - socket::realtime_minus_monotonic_ns());
}

// The virtual clock at start: CLOCK_REALTIME now, plus the test knobs' deliberate error.
clock::ClockModel initial_virtual_model(const config::ClockSection& c) {
  const int64_t mono = socket::monotonic_ns();
  clock::ClockModel model = clock::ClockModel::from_rate(
      static_cast<uint64_t>(mono), mono + socket::realtime_minus_monotonic_ns(), 1e9);
  if (c.test_initial_offset_ns != 0) {
    model = model.stepped(static_cast<uint64_t>(mono),
                          NtpDuration::from_nanos(c.test_initial_offset_ns));
  }
  if (c.test_initial_frequency_ppb != 0) {
    model = model.with_frequency(static_cast<uint64_t>(mono), c.test_initial_frequency_ppb);
  }
  return model;
}

}  // namespace

int run_socket_backend(const BackendContext& context) {
  const DaemonConfig& cfg = context.config;
  const DaemonLog& log = context.log;
  const config::InterfaceSection& itf = cfg.startup.interfaces.front();
  // The first port's primary IPv4 address (`ip address` in the running configuration); none:
  // every address, so that a committed `undo ip address` cannot stop the daemon from starting.
  const wire::Ipv4Address local_v4 =
      config::primary_ipv4(cfg.running(), itf.name).value_or(wire::Ipv4Address{});

  std::optional<DaemonKeys> loaded_keys = load_daemon_keys(cfg, log);
  if (!loaded_keys) return kExitConfigError;
  DaemonKeys& keys = *loaded_keys;

  socket::UdpSocket udp;
  const auto local = wire::IpAddress::from(local_v4);
  if (std::string e = udp.open(local, 0); !e.empty()) {
    log.error(itf.name + ": " + e);
    return kExitRuntimeError;
  }
  log.info(itf.name + ": kernel socket on " + l3::to_string(local) + ":" +
           std::to_string(udp.local_port()) +
           (udp.tx_timestamps() ? ", kernel RX/TX timestamps"
                                : ", kernel RX timestamps, T1 read before sendto"));

  clock::PublishedClock published;
  std::unique_ptr<runtime::RuntimeClock> clock;
  engine::EngineConfig engine_config;
  engine_config.authentication_enabled = keys.authentication_enabled;
  DaemonObserver::TestError test_error = [] { return std::optional<int64_t>(); };
  runtime::VirtualClock* exported = nullptr;  // the clock the shared memory publishes
  if (cfg.clock == ClockDriverKind::kSystem) {
    auto system = std::make_unique<SystemClock>(log);
    engine_config.initial_frequency = system->initial_frequency();
    log.info("clock: system (CLOCK_REALTIME via clock_adjtime), initial frequency " +
             std::to_string(system->initial_frequency() * 1e6) + " ppm");
    clock = std::move(system);
  } else {
    auto virtual_clock = std::make_unique<runtime::VirtualClock>(
        published, initial_virtual_model(cfg.startup.clock), monotonic_ticks);
    const runtime::VirtualClock* vc = virtual_clock.get();
    exported = virtual_clock.get();
    // Test instrumentation: the virtual clock against the host's CLOCK_REALTIME, now.
    test_error = [vc] {
      const int64_t mono = socket::monotonic_ns();
      const int64_t offset = socket::realtime_minus_monotonic_ns();
      return std::optional<int64_t>(vc->to_utc(static_cast<uint64_t>(mono)) - (mono + offset));
    };
    log.info("clock: virtual, test offset " +
             std::to_string(cfg.startup.clock.test_initial_offset_ns) + " ns, test frequency " +
             std::to_string(cfg.startup.clock.test_initial_frequency_ppb) + " ppb");
    clock = std::move(virtual_clock);
  }

  DaemonObserver observer(log, test_error);
  if (std::string e = observer.open_logs(cfg.startup.log.measurements, cfg.tracking_log);
      !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }

  // The shared-memory clock and the chrony feed publish the virtual clock (ticks: CLOCK_MONOTONIC
  // ns); with the system driver, CLOCK_REALTIME itself is the output. Only when configured: by
  // default this backend keeps to the system calls listed in docs/operations.md.
  std::unique_ptr<ClockOutputs> outputs;
  if (exported == nullptr && (!cfg.shm_path.empty() || !cfg.chrony_sock.empty())) {
    log.warning(
        "clock.shm-path / clock.chrony-sock are not published with the socket backend's system "
        "driver: CLOCK_REALTIME itself is the output");
  }
  if (exported != nullptr && (!cfg.shm_path.empty() || !cfg.chrony_sock.empty())) {
    DaemonConfig out_cfg = cfg;
    if (out_cfg.shm_path.empty()) out_cfg.shm_path = "off";
    std::string e;
    outputs = ClockOutputs::create(
        out_cfg, context.mgmt_socket, WT_TICKS_MONOTONIC, *exported, observer,
        [] {
          const int64_t mono = socket::monotonic_ns();
          return TickRealtime{static_cast<uint64_t>(mono),
                              mono + socket::realtime_minus_monotonic_ns()};
        },
        nullptr, log, e);
    if (!outputs) {
      log.error(e);
      return kExitRuntimeError;
    }
  }

  SocketTransport transport(udp, realtime_to_ticks);
  // Single-threaded: names are looked up inside the loop, one per pass, each bounded by the
  // stub resolver's timeout; IPv4 only, like the socket.
  resolver::ResolverOptions resolver_options;
  resolver_options.mode = resolver::ResolverMode::kSynchronous;
  resolver_options.family = resolver::AddressFamily::kIpv4;
  SystemResolver names(resolver_options, [] { return socket::monotonic_ns(); });
  runtime::ControlLoop loop(engine_config, context.seed, outputs ? outputs->clock() : *clock,
                            transport, outputs ? outputs->observer() : observer, &names);
  loop.set_keys(&keys.table);  // the loop signs requests and verifies replies
  // The NTP server: port 123 on this interface while the configuration serves IPv4, and on
  // its IPv6 listening addresses (from the start-up file, like the IPv4 one) while it serves
  // IPv6.
  std::vector<wire::IpAddress> ipv6_local;
  if (const config::InterfaceSettings* l3 = cfg.running().find_interface(itf.name)) {
    for (const config::InterfaceAddress& a : l3->ipv6) {
      if (const auto bytes = config::parse_ipv6(a.address)) {
        wire::Ipv6Address v6;
        std::copy(bytes->begin(), bytes->end(), v6.bytes.begin());
        ipv6_local.push_back(wire::IpAddress::from(v6));
      }
    }
  }
  SocketServer ntp_server(log, local, itf.name, ipv6_local,
                          cfg.startup.dataplane.rate_limit_entries);
  // Start-up's commit (the file's running configuration through the path `commit` takes),
  // also with `--no-mgmt-socket` (an empty path: no management socket, e.g. under a simulator).
  std::unique_ptr<MgmtEndpoint> mgmt;
  {
    auto opened = MgmtEndpoint::open(
        loop, cfg.startup, context.config_path, context.mgmt_socket,
        [] {
          return static_cast<UnixNanos>(socket::monotonic_ns() +
                                        socket::realtime_minus_monotonic_ns());
        },
        &keys.table, {},
        [&transport, &ntp_server] {
          // IPv4 only, like the socket: datagrams that are no NTP time packet.
          std::array<BackendDrops, 2> drops{};
          drops[0].invalid = transport.undecodable();
          using server::ServeOutcome;
          drops[0].access_denied = ntp_server.count(ServeOutcome::kDeniedAcl) +
                                   ntp_server.count(ServeOutcome::kDenyKodSent);
          drops[0].rate_limited = ntp_server.count(ServeOutcome::kRateKodSent) +
                                  ntp_server.count(ServeOutcome::kRateDropped);
          drops[0].server_auth_failed = ntp_server.count(ServeOutcome::kAuthFailed);
          return drops;
        },
        [&itf](uint16_t) { return itf.name; },
        [&](engine::AssociationId id, const engine::AssociationConfig& c, const runtime::Peer& p) {
          names.set_port(id, c.port);
          log.info(
              "source " +
              (c.is_domain ? c.address + ":" + std::to_string(c.port) : runtime::to_string(p)) +
              ", poll 2^" + std::to_string(c.min_poll) + "..2^" + std::to_string(c.max_poll) +
              " s" + (c.key_id != 0 ? ", key " + std::to_string(c.key_id) : std::string()));
        });
    if (auto* e = std::get_if<std::string>(&opened)) {
      log.error("configuration: " + *e);
      return kExitConfigError;
    }
    mgmt = std::move(std::get<std::unique_ptr<MgmtEndpoint>>(opened));
  }
  if (!context.mgmt_socket.empty()) {
    log.info("management socket " + mgmt->path());
    notify_ready("socket and management socket " + mgmt->path() + " up");
  } else {
    log.info("management socket: off (--no-mgmt-socket)");
    notify_ready("socket up, no management socket");
  }
  const auto running = [&]() -> const config::NtpConfig& { return mgmt->running(); };
  std::vector<pollfd> fds;
  // Server authentication keys, rebuilt when a commit changed them (server_keys.hpp).
  server::ServerKeyPublisher server_keys;
  ServerKeysPublisher server_keys_publisher(server_keys);
  ntp_server.attach_keys(&server_keys);
  server::ServerClockState served;
  int64_t next_served_ns = 0;
  // Prometheus textfile (docs/operations.md, Telemetry): the one interface's NTP counters.
  MetricsPublisher metrics(cfg.startup.log, "socket", clock->to_utc(clock->now_ticks()));
  metrics.set_extra([&loop, &transport, &itf](MetricsSnapshot& s) {
    const runtime::RuntimeCounters& c = loop.counters();
    s.packets = {{"tx", "sent", itf.name, c.requests - c.send_failures},
                 {"tx", "failed", itf.name, c.send_failures},
                 {"rx", "received", itf.name, c.replies},
                 {"rx", "dropped", itf.name, transport.undecodable()}};
  });

  while (!context.stop) {
    metrics.poll(loop, socket::monotonic_ns(), clock->to_utc(clock->now_ticks()), log);
    if (const auto due = names.next_due(); due && *due <= socket::monotonic_ns()) {
      for (const resolver::ResolveEvent& e : names.deliver(loop)) {
        if (e.ok) {
          log.info("resolved " + e.name + " to " + resolver::format_address(e.addresses.front()));
        } else {
          log.warning("cannot resolve " + e.name + ": " + e.error + " (attempt " +
                      std::to_string(e.failures) + ")");
        }
      }
    }
    const uint64_t next = loop.run_due();
    if (outputs) outputs->poll(loop);
    transport.drain_transmit_timestamps();
    for (runtime::TransportEvent event; transport.next(event);) loop.deliver(event);
    int64_t wait_ns = static_cast<int64_t>(next - clock->now_ticks());
    if (const auto due = names.next_due()) {
      wait_ns = std::min<int64_t>(wait_ns, *due - socket::monotonic_ns());
    }
    // Round up so the loop does not spin through the last millisecond; wake at least each
    // second to notice a stop request that raced the poll() call.
    const int timeout_ms =
        wait_ns <= 0 ? 0
                     : static_cast<int>(std::min<int64_t>(1000, (wait_ns + 999'999) / 1'000'000));
    ntp_server.configure(running());
    fds.assign(1, pollfd{udp.fd(), POLLIN, 0});
    const size_t served_fds = ntp_server.fill_pollfds(fds);  // none while not serving
    if (mgmt) mgmt->fill_pollfds(fds);
    const int ready = poll(fds.data(), fds.size(), timeout_ms);
    if (ready < 0 && errno != EINTR) {
      log.error(std::string("poll: ") + std::strerror(errno));
      return kExitRuntimeError;
    }
    if (ready > 0) {
      if (mgmt) mgmt->service(fds.data() + 1 + served_fds, fds.size() - 1 - served_fds);
      if (std::any_of(fds.begin() + 1, fds.begin() + 1 + static_cast<long>(served_fds),
                      [](const pollfd& p) { return (p.revents & (POLLIN | POLLERR)) != 0; })) {
        if (const int64_t mono = socket::monotonic_ns(); mono >= next_served_ns) {
          next_served_ns = mono + ServerPublisher::kPeriodNs;
          served = server_clock_state(running(), loop.status().system,
                                      clock->to_ntp(clock->now_ticks()));
          server_keys_publisher.update(keys.table, running().authentication_enable);
        }
        ntp_server.serve_all(
            served, [&](UnixNanos rx) { return clock->to_ntp(realtime_to_ticks(rx)); },
            [&] { return clock->to_ntp(clock->now_ticks()); });
      }
      // POLLERR: the error queue holds transmit timestamps.
      transport.drain_transmit_timestamps();
      runtime::TransportEvent event;
      while (transport.next(event)) loop.deliver(event);
    }
  }
  log.info("stopping");
  notify_stopping();
  log.info(format_status(loop.status()));
  log.info("socket: T1 from kernel " + std::to_string(transport.kernel_t1()) +
           ", from the read before sendto " + std::to_string(transport.fallback_t1()) +
           ", undecodable datagrams " + std::to_string(transport.undecodable()));
  log.info(ntp_server.summary());
  if (keys.authentication_enabled) {
    log.info(format_auth_summary(
        [&](auth::MacVerdict v) { return loop.counters().auth_verdicts[static_cast<size_t>(v)]; },
        loop.counters().authentication_failures, loop.counters().sign_failures));
  }
  return kExitOk;
}

}  // namespace wiretime::daemon

// The DPDK backend: EAL and the routed dataplane facade over every interface of the start-up
// YAML (ports, 802.1Q sub-interfaces, VRFs, IPv4 and IPv6), the TSC calibrated into the
// virtual clock model, the dataplane on a worker lcore (or interleaved on the main lcore when
// there is none), and the control loop on this thread draining the per-interface event rings:
// the engine's requests go out as routed TX commands (server + VRF + optional source
// interface), its clock actions discipline the virtual clock the lcore reads.
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "config/startup/network_spec.hpp"
#include "control/daemon/auth_summary.hpp"
#include "control/daemon/backend.hpp"
#include "control/daemon/clock_outputs.hpp"
#include "control/daemon/daemon_keys.hpp"
#include "control/daemon/daemon_observer.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/dpdk_telemetry.hpp"
#include "control/daemon/dpdk_transport.hpp"
#include "control/daemon/kernel_clock_steering.hpp"
#include "control/daemon/kernel_stamp_matcher.hpp"
#include "control/daemon/measurement_log.hpp"
#include "control/daemon/metrics_publisher.hpp"
#include "control/daemon/mgmt_endpoint.hpp"
#include "control/daemon/server_keys_publisher.hpp"
#include "control/daemon/server_publisher.hpp"
#include "control/daemon/server_specs.hpp"
#include "control/daemon/service_notify.hpp"
#include "control/daemon/system_resolver.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/dpdk/packet_capture.hpp"
#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/socket/packet_tap.hpp"
#include "include/wiretime/clock_reader.h"

namespace wiretime::daemon {
namespace {

std::string format_mac(wire::MacAddress m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1],
                m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
  return buf;
}

int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

UnixNanos realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The TSC and CLOCK_REALTIME at one instant: the narrowest of `attempts` brackets of TSC reads
// around the clock read (an interrupt or a preemption inside one would shift its midpoint by
// half its length).
struct TscRealtime {
  uint64_t tsc = 0;
  UnixNanos realtime = 0;
};
TscRealtime tsc_realtime_pair(int attempts) {
  uint64_t best_width = UINT64_MAX;
  TscRealtime best;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const uint64_t t0 = dpdk::read_tsc();
    const UnixNanos real = realtime_ns();
    const uint64_t t1 = dpdk::read_tsc();
    if (t1 - t0 < best_width) {
      best_width = t1 - t0;
      best = TscRealtime{t0 + (t1 - t0) / 2, real};
    }
  }
  return best;
}

// The virtual clock: the calibrated TSC map, with the test knobs applied as a deliberate error.
clock::ClockModel initial_clock(const dpdk::TscCalibration& cal, const config::ClockSection& c) {
  clock::ClockModel model = clock::ClockModel::from_rate(cal.tick0, cal.utc0, cal.ticks_per_second);
  if (c.test_initial_offset_ns != 0) {
    model = model.stepped(cal.tick0, NtpDuration::from_nanos(c.test_initial_offset_ns));
  }
  if (c.test_initial_frequency_ppb != 0) {
    model = model.with_frequency(cal.tick0, c.test_initial_frequency_ppb);
  }
  return model;
}

void print_counters(const DaemonLog& log, const dpdk::DataplaneCounters& c,
                    const DpdkTransport& transport, double ticks_per_second) {
  auto get = [](const std::atomic<uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  log.info("dataplane: rx " + std::to_string(get(c.rx_frames)) + " accounted " +
           std::to_string(c.rx_accounted()) + " tx " + std::to_string(get(c.tx_frames)) +
           " hardware stamps rx " + std::to_string(get(c.rx_hw_stamps)) + " tx " +
           std::to_string(get(c.tx_hw_stamps)) + "; control: ring full " +
           std::to_string(transport.ring_full()) + ", replies to another port " +
           std::to_string(transport.other_port()));
  for (size_t i = 0; i < c.drop.size(); ++i) {
    if (get(c.drop[i]) != 0) {
      log.info("dataplane drop '" + std::string(dpdk::to_string(static_cast<dpdk::DropReason>(i))) +
               "': " + std::to_string(get(c.drop[i])));
    }
  }
  log.info(server::summary(c.server));
  if (c.server_latency.total() != 0) {
    log.info(
        server::latency_summary(c.server_latency, ticks_per_second / 1e6, "RX burst to TX burst"));
    log.info(server::latency_summary(c.server_tx_return, ticks_per_second / 1e6,
                                     "RX burst to TX burst return"));
  }
  for (size_t i = 1; i < c.decode.size(); ++i) {
    if (get(c.decode[i]) != 0) {
      log.info("dataplane decode drop '" +
               std::string(wire::to_string(static_cast<wire::DecodeError>(i))) +
               "': " + std::to_string(get(c.decode[i])));
    }
  }
}

// One line per session with what the shared status dump cannot show: the VRF and interface it
// is reached in (two sessions may share an address) and the provenance of its last sample.
void print_sessions(const DaemonLog& log, const runtime::ControlLoop& loop) {
  const runtime::RuntimeStatus status = loop.status();
  for (const engine::AssociationStatus& s : status.associations) {
    const engine::Association* a = nullptr;
    for (const engine::Association& e : loop.engine().associations()) {
      if (e.id == s.id) a = &e;
    }
    if (a == nullptr) continue;
    log.info("session " + s.source + " vpn-instance " +
             (a->config.vpn_instance.empty() ? "-" : a->config.vpn_instance) + " interface " +
             (a->config.source_interface.empty() ? "-" : a->config.source_interface) + ": " +
             std::string(engine::to_string(s.selection)) + ", accepted " +
             std::to_string(s.accepted) + ", stamps " + to_string(s.provenance.source));
  }
}

// The Linux interface a net_af_packet port runs on (its `iface=` device argument), or "".
std::string af_packet_iface(const std::string& devargs) {
  if (devargs.rfind("net_af_packet", 0) != 0) return "";
  const size_t at = devargs.find("iface=");
  if (at == std::string::npos) return "";
  const size_t begin = at + 6;
  return devargs.substr(begin, devargs.find(',', begin) - begin);
}

// Kernel stamps for net_af_packet ports: a packet-socket tap per port feeding the matcher the
// transport consults, and the map from the kernel's CLOCK_REALTIME stamps onto the TSC.
struct PacketSocketStamps {
  std::vector<std::unique_ptr<socket::PacketTap>> taps;
  KernelStampMatcher matcher;
  uint16_t extra_ntp_port = 0;
  double ticks_per_ns = 0;
  bool warned_bypass = false;

  void drain() {
    for (auto& tap : taps) {
      tap->drain([this](std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp) {
        if (auto r = tap_record(frame, outgoing, stamp, extra_ntp_port)) matcher.add(*r);
      });
    }
  }

  // A stamp taken moments ago, on the TSC: now on both clocks, less the age of the stamp.
  // Stamps are at most milliseconds old, so the TSC rate's error (ppm) adds nanoseconds at most.
  uint64_t ticks_of(UnixNanos stamp) const {
    const TscRealtime now = tsc_realtime_pair(3);
    const double age_ticks = static_cast<double>(now.realtime - stamp) * ticks_per_ns;
    return static_cast<uint64_t>(static_cast<double>(now.tsc) - age_ticks);
  }
};

// A VRF id no table has: a server placed there is dropped by the dataplane (no route).
constexpr uint16_t kNoVrf = 0xffff;

// `display interface brief`: every interface of the dataplane, with its port's link state and
// error counters (a sub-interface shows its port's).
std::vector<display::InterfaceBrief> interface_briefs(const dpdk::Dataplane& dataplane) {
  std::vector<display::InterfaceBrief> out;
  const l3::InterfaceTable& interfaces = dataplane.interfaces();
  for (size_t i = 0;; ++i) {
    const l3::Interface* itf = interfaces.find(static_cast<l3::InterfaceIndex>(i));
    if (itf == nullptr) break;
    const dpdk::PortLink link = dataplane.link(itf->port);
    display::InterfaceBrief b;
    b.name = itf->name;
    b.physical = link.up ? display::LinkState::kUp : display::LinkState::kDown;
    b.protocol =
        link.up && !itf->addresses.empty() ? display::LinkState::kUp : display::LinkState::kDown;
    b.input_errors = link.rx_errors;
    b.output_errors = link.tx_errors;
    out.push_back(b);
  }
  return out;
}

// The dataplane's NTP drops as `display ntp statistics packet` counts them.
std::array<BackendDrops, 2> ntp_drops(const dpdk::DataplaneCounters& c) {
  std::array<BackendDrops, 2> out{};
  for (size_t f = 0; f < 2; ++f) {
    auto get = [&](dpdk::NtpDrop d) {
      return c.ntp_drops[f][static_cast<size_t>(d)].load(std::memory_order_relaxed);
    };
    out[f].invalid = get(dpdk::NtpDrop::kInvalid);
    out[f].server_disabled = get(dpdk::NtpDrop::kServerDisabled);
    out[f].processing_delay = get(dpdk::NtpDrop::kProcessingDelay);
    const auto v = f == 0 ? wire::IpVersion::kV4 : wire::IpVersion::kV6;
    out[f].access_denied = c.server.total(server::ServeOutcome::kDeniedAcl, v) +
                           c.server.total(server::ServeOutcome::kDenyKodSent, v);
    out[f].rate_limited = c.server.total(server::ServeOutcome::kRateKodSent, v) +
                          c.server.total(server::ServeOutcome::kRateDropped, v);
    out[f].server_auth_failed = c.server.total(server::ServeOutcome::kAuthFailed, v);
  }
  return out;
}

// Domain servers resolve to the address families our interfaces have.
resolver::AddressFamily reachable_family(const l3::InterfaceTable& interfaces) {
  bool v4 = false, v6 = false;
  for (size_t i = 0;; ++i) {
    const l3::Interface* itf = interfaces.find(static_cast<l3::InterfaceIndex>(i));
    if (itf == nullptr) break;
    for (const l3::IpPrefix& a : itf->addresses) {
      (a.address.version == wire::IpVersion::kV6 ? v6 : v4) = true;
    }
  }
  if (v4 && !v6) return resolver::AddressFamily::kIpv4;
  if (v6 && !v4) return resolver::AddressFamily::kIpv6;
  return resolver::AddressFamily::kAny;
}

void log_resolutions(const DaemonLog& log, const std::vector<resolver::ResolveEvent>& events) {
  for (const resolver::ResolveEvent& e : events) {
    if (e.ok) {
      log.info("resolved " + e.name + " to " + resolver::format_address(e.addresses.front()));
    } else {
      log.warning("cannot resolve " + e.name + ": " + e.error + " (attempt " +
                  std::to_string(e.failures) + ")");
    }
  }
}

}  // namespace

int run_dpdk_backend(const BackendContext& context) {
  const DaemonConfig& dcfg = context.config;
  const config::StartupConfig& cfg = dcfg.startup;
  const DaemonLog& log = context.log;

  std::optional<DaemonKeys> loaded_keys = load_daemon_keys(dcfg, log);
  if (!loaded_keys) return kExitConfigError;
  DaemonKeys& keys = *loaded_keys;

  dpdk::Eal eal;
  if (std::string e = eal.init(dpdk::eal_arguments("wiretimed", cfg.dataplane.eal_args, getpid()));
      !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }
  // Everything DPDK-owned lives in this scope, so it is released before rte_eal_cleanup.
  std::vector<dpdk::PortSpec> port_specs;
  for (const config::InterfaceSection& itf : cfg.interfaces) {
    dpdk::PortSpec spec;
    spec.devargs = itf.devargs;
    spec.port_index = itf.port_index;
    port_specs.push_back(spec);
  }
  dpdk::DataplaneOptions options;
  options.idle_sleep_us = cfg.dataplane.idle_sleep_us;
  options.server_interleaved_entries = cfg.dataplane.interleaved_store_entries;
  options.server_rate_limit_entries = cfg.dataplane.rate_limit_entries;
  for (const config::Association& s : cfg.running.unicast_servers) {
    // The dataplane decodes port 123 as NTP, and one other port (a lab server elsewhere).
    if (s.port != 123 && options.extra_ntp_port == 0) options.extra_ntp_port = s.port;
  }
  std::vector<std::string> l3_warnings;
  const l3::NetworkSpec network = config::network_spec(cfg, &l3_warnings);
  for (const std::string& w : l3_warnings) log.warning(w);
  std::string error;
  auto dataplane = dpdk::Dataplane::create(options, port_specs, network, error);
  if (!dataplane) {
    log.error("dataplane: " + error);
    return kExitRuntimeError;
  }
  for (const dpdk::PortStatus& p : dataplane->ports()) {
    log.info("port " + p.name + " (" + p.driver + ") up, mac " + format_mac(p.mac) + ", " +
             std::to_string(p.rx_queues) + " rx queues, " +
             (p.hardware_steering ? "rte_flow" : "software") + " steering" +
             (p.steering_note.empty() ? "" : " (" + p.steering_note + ")") + ", rx stamps " +
             dpdk::to_string(p.rx_stamps) + (p.tx_stamps ? ", tx stamps IEEE 1588" : ""));
  }
  // Both allocated once here (dataplane.interleaved-store-entries, dataplane.rate-limit-entries).
  log.info("server tables: interleaved store " +
           std::to_string(dataplane->server_interleaved_entries()) + " entries (" +
           std::to_string(dataplane->server_interleaved_entries() *
                          server::InterleavedStore::kEntryBytes / 1024) +
           " KiB), rate table " + std::to_string(dataplane->server_rate_table_entries()) +
           " entries (" +
           std::to_string(dataplane->server_rate_table_entries() *
                          sizeof(server::RateLimiter::Entry) / 1024) +
           " KiB)");
  const l3::InterfaceTable& interfaces = dataplane->interfaces();
  for (size_t i = 0;; ++i) {
    const l3::Interface* itf = interfaces.find(static_cast<l3::InterfaceIndex>(i));
    if (itf == nullptr) break;
    std::string addresses;
    for (const l3::IpPrefix& a : itf->addresses) addresses += " " + l3::to_string(a);
    const std::string& vrf = interfaces.vrf_name(itf->vrf);
    log.info("interface " + itf->name + (vrf.empty() ? "" : " vpn-instance " + vrf) +
             (itf->vlan != l3::kNoVlan ? " vlan " + std::to_string(itf->vlan) : "") + ":" +
             addresses);
  }

  const dpdk::TscCalibration cal = dpdk::calibrate_tsc(std::chrono::milliseconds(500));
  clock::PublishedClock published;
  // The control thread's tick reads are fenced (lfence; rdtsc): the shared-memory clock's
  // seqlock argument needs the update tick read after its sequence went odd.
  runtime::VirtualClock virtual_clock(published, initial_clock(cal, cfg.clock), wt_clock_read_tsc);
  log.info("clock: virtual, TSC " + std::to_string(cal.ticks_per_second / 1e6) + " MHz measured (" +
           std::to_string(cal.nominal_ticks_per_second / 1e6) + " MHz nominal), pairing +-" +
           std::to_string(cal.pairing_uncertainty_ns) + " ns, test offset " +
           std::to_string(cfg.clock.test_initial_offset_ns) + " ns, test frequency " +
           std::to_string(cfg.clock.test_initial_frequency_ppb) + " ppb");

  // Test instrumentation: the virtual clock against the host's CLOCK_REALTIME, from the
  // narrowest of five brackets (one bracket alone once showed a lone -117 us "error" in an e2e
  // run whose clock was within 20 us all along).
  DaemonObserver observer(log, [&published] {
    const TscRealtime now = tsc_realtime_pair(5);
    return std::optional<int64_t>(published.read().utc_nanos(now.tsc) - now.realtime);
  });
  if (std::string e = observer.open_logs(cfg.log.measurements, dcfg.tracking_log); !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }

  KernelClockSteering steering(log);
  std::string outputs_error;
  auto outputs = ClockOutputs::create(
      dcfg, context.mgmt_socket, WT_TICKS_TSC, virtual_clock, observer,
      [] {
        const TscRealtime p = tsc_realtime_pair(3);
        return TickRealtime{p.tsc, p.realtime};
      },
      &steering, log, outputs_error);
  if (!outputs) {
    log.error(outputs_error);
    return kExitRuntimeError;
  }

  // An ephemeral source port per run, so stale replies from an earlier run do not match.
  const auto client_port = static_cast<uint16_t>(49152 + context.seed % 16384);
  DpdkTransport transport(client_port,
                          [&dataplane](const dpdk::TxCommand& c) { return dataplane->send(c); });
  engine::EngineConfig engine_config;
  engine_config.authentication_enabled = keys.authentication_enabled;
  // Names are looked up on the resolver's worker thread: the control thread never waits for
  // DNS; answers are collected when its wake-up descriptor turns readable or a retry is due.
  resolver::ResolverOptions resolver_options;
  resolver_options.mode = resolver::ResolverMode::kWorkerThread;
  resolver_options.family = reachable_family(interfaces);
  SystemResolver names(resolver_options, monotonic_ns);
  runtime::ControlLoop loop(engine_config, context.seed, outputs->clock(), transport,
                            outputs->observer(), &names);
  // Servers added or changed by a commit are placed like the start-up ones; a name the tables
  // do not have (checked below at start-up) leaves the server without a route.
  loop.set_placement([&interfaces, &log](const engine::AssociationConfig& c, runtime::Peer& p) {
    if (std::string e = place_peer(p, c, interfaces); !e.empty()) {
      log.warning("server " + c.address + ": " + e + "; it has no route");
      p.vrf = kNoVrf;
      p.interface = runtime::kAnyInterface;
    }
  });
  loop.set_keys(&keys.table);  // the loop signs requests and verifies replies
  PacketSocketStamps kernel_stamps;
  kernel_stamps.extra_ntp_port = options.extra_ntp_port;
  kernel_stamps.ticks_per_ns = cal.ticks_per_second / 1e9;
  if (cfg.dataplane.packet_socket_stamps) {
    for (const dpdk::PortSpec& spec : port_specs) {
      const std::string iface = af_packet_iface(spec.devargs);
      if (iface.empty()) continue;
      std::string e;
      if (auto tap = socket::PacketTap::open(iface, e)) {
        log.info("port " + spec.devargs.substr(0, spec.devargs.find(',')) +
                 ": T1/T4 from the kernel's stamps (packet-socket tap on " + iface + ")");
        kernel_stamps.taps.push_back(std::move(tap));
      } else {
        log.warning(e + "; its samples keep TSC stamps");
      }
    }
  }
  if (!kernel_stamps.taps.empty()) {
    transport.use_kernel_stamps(&kernel_stamps.matcher, [&kernel_stamps](UnixNanos t) {
      return kernel_stamps.ticks_of(t);
    });
  }
  // Start-up's commit: the file's running configuration through the path `commit` takes.
  auto opened = MgmtEndpoint::open(
      loop, cfg, context.config_path, context.mgmt_socket,
      [&published] { return published.read().utc_nanos(dpdk::read_tsc()); }, &keys.table,
      [&dataplane] { return interface_briefs(*dataplane); },
      [&dataplane] { return ntp_drops(dataplane->counters()); },
      [&interfaces](uint16_t index) {
        const l3::Interface* itf = interfaces.find(static_cast<l3::InterfaceIndex>(index));
        return itf != nullptr ? itf->name : std::string();
      },
      [&](engine::AssociationId id, const engine::AssociationConfig& c, const runtime::Peer& p) {
        names.set_port(id, c.port);
        // A server without a route (kNoVrf, warned about by the placement) is kept, unreachable.
        const std::string vrf = p.vrf < interfaces.vrf_count() ? interfaces.vrf_name(p.vrf) : "";
        log.info("source " +
                 (c.is_domain ? c.address + ":" + std::to_string(c.port) : runtime::to_string(p)) +
                 (vrf.empty() ? "" : " (vpn-instance " + vrf + ")") +
                 (c.source_interface.empty() ? "" : " from " + c.source_interface) + ", poll 2^" +
                 std::to_string(c.min_poll) + "..2^" + std::to_string(c.max_poll) +
                 " s, from port " + std::to_string(client_port) +
                 (c.key_id != 0 ? ", key " + std::to_string(c.key_id) : std::string()));
        // Resolve the next hop before the first poll is due.
        if (!c.is_domain) transport.prepare(p);
      });
  if (auto* e = std::get_if<std::string>(&opened)) {
    log.error("management socket: " + *e);
    return kExitRuntimeError;
  }
  MgmtEndpoint& mgmt = *std::get<std::unique_ptr<MgmtEndpoint>>(opened);
  log.info("management socket " + mgmt.path());
  std::vector<pollfd> fds;
  // The NTP server on the lcore: T2/T3 from the published clock, the rest from here.
  server::PublishedServer server_state;
  ServerPublisher server_publisher(server_state, interfaces,
                                   [&log](const std::string& m) { log.info(m); });
  dataplane->attach_server(&published, &server_state);
  server::PublishedAccess access_state;  // ACLs, `ntp access`, `ntp discard`: compiled on change
  server_publisher.publish_access_to(&access_state);
  dataplane->attach_access(&access_state);
  // Server authentication: the keys reach the lcore by pointer swap (server_keys.hpp).
  server::ServerKeyPublisher server_keys;
  ServerKeysPublisher server_keys_publisher(server_keys);
  server_keys_publisher.update(keys.table, mgmt.running().authentication_enable);
  dataplane->attach_server_keys(&server_keys);

  std::optional<unsigned> lcore = cfg.dataplane.lcore;
  const auto workers = dpdk::Eal::worker_lcores();
  if (lcore) {
    if (std::find(workers.begin(), workers.end(), *lcore) == workers.end()) {
      log.error("dataplane.lcore " + std::to_string(*lcore) +
                " is not an enabled worker lcore (check the EAL -l/--lcores argument)");
      return kExitConfigError;
    }
  } else if (!workers.empty()) {
    lcore = workers.front();
  }
  if (lcore) {
    if (!dataplane->start(*lcore)) {
      log.error("cannot launch the dataplane on lcore " + std::to_string(*lcore));
      return kExitRuntimeError;
    }
    log.info("dataplane on lcore " + std::to_string(*lcore) + ", control on lcore " +
             std::to_string(dpdk::Eal::main_lcore()));
  } else {
    log.info("no worker lcore: dataplane interleaved with control on the main lcore");
  }
  notify_ready("dataplane and management socket " + mgmt.path() + " up");

  // Monitoring (docs/operations.md, Telemetry): /wiretime/* DPDK telemetry commands, the
  // Prometheus textfile, and live capture with dpdk-dumpcap.
  MetricsPublisher metrics(cfg.log, "dpdk", realtime_ns());
  DpdkMetrics dpdk_metrics(*dataplane, metrics.box(), cal.ticks_per_second, lcore);
  metrics.set_extra([&dpdk_metrics](MetricsSnapshot& s) { dpdk_metrics.collect(s); });
  if (std::string e = dpdk_metrics.register_commands(); !e.empty()) log.warning(e);
  dpdk::PacketCapture capture;
  if (std::string e = capture.enable(); !e.empty()) {
    log.warning("live capture: " + e);
  } else if (!dpdk::PacketCapture::secondary_processes_possible()) {
    log.info("live capture: EAL runs without hugepages (--no-huge), so dpdk-dumpcap cannot attach");
  }

  dpdk::DataplaneEvent batch[64];
  int64_t next_fd_check_ns = 0;
  while (!context.stop) {
    if (!lcore) {
      while (dataplane->poll_once()) {
      }
    }
    const unsigned n = dataplane->poll_events(batch, 64);
    // The taps saw a frame no later than the lcore did: read them before the events.
    if (n > 0 && !kernel_stamps.taps.empty()) kernel_stamps.drain();
    for (unsigned i = 0; i < n; ++i) {
      DpdkTransport::Events events;
      const size_t k = transport.translate(batch[i], events);
      for (size_t j = 0; j < k; ++j) loop.deliver(events[j]);
    }
    if (!kernel_stamps.warned_bypass && transport.tsc_exchanges() >= 3 &&
        !kernel_stamps.matcher.saw_outgoing() && !kernel_stamps.taps.empty()) {
      kernel_stamps.warned_bypass = true;
      log.warning(
          "the packet-socket taps never see a transmitted frame: the net_af_packet "
          "vdev bypasses the kernel's qdisc layer (add qdisc_bypass=0 to it); samples "
          "keep TSC stamps");
    }
    // Name answers and the management socket: a non-blocking poll() of their descriptors, at
    // most once a millisecond, so neither ever holds the loop up.
    if (const int64_t now = monotonic_ns(); now >= next_fd_check_ns) {
      next_fd_check_ns = now + 1'000'000;
      fds.assign(1, pollfd{names.wake_fd(), POLLIN, 0});
      mgmt.fill_pollfds(fds);
      const int ready = poll(fds.data(), fds.size(), 0);
      const auto due = names.next_due();
      if ((ready > 0 && (fds[0].revents & POLLIN) != 0) || (due && *due <= now)) {
        log_resolutions(log, names.deliver(loop));
      }
      if (ready > 0) mgmt.service(fds.data() + 1, fds.size() - 1);
      metrics.poll(loop, now, published.read().utc_nanos(dpdk::read_tsc()), log);
    }
    const uint64_t next = loop.run_due();
    if (const int64_t mono = monotonic_ns(); server_publisher.due(mono, mgmt.running())) {
      server_publisher.publish(mono, mgmt.running(), loop.status().system,
                               published.read().ntp(dpdk::read_tsc()));
      server_keys_publisher.update(keys.table, mgmt.running().authentication_enable);
    }
    outputs->poll(loop);
    if (n == 0 && lcore) {
      // Control needs ~100 us resolution at most (timers, slew ends); spare the core.
      const double ahead_ns = static_cast<double>(static_cast<int64_t>(next - dpdk::read_tsc())) *
                              1e9 / virtual_clock.ticks_per_second();
      const long nap = static_cast<long>(std::clamp(ahead_ns, 0.0, 200'000.0));
      if (nap > 0) {
        const timespec pause{0, nap};
        nanosleep(&pause, nullptr);
      }
    }
  }
  log.info("stopping");
  notify_stopping();
  dataplane->stop();
  log.info(format_status(loop.status()));
  print_sessions(log, loop);
  print_counters(log, dataplane->counters(), transport, cal.ticks_per_second);
  if (!kernel_stamps.taps.empty()) {
    log.info("kernel stamps: " + std::to_string(transport.kernel_exchanges()) + " exchanges, " +
             std::to_string(transport.tsc_exchanges()) + " replies kept TSC stamps");
  }
  if (keys.authentication_enabled) {
    log.info(format_auth_summary(
        [&](auth::MacVerdict v) { return loop.counters().auth_verdicts[static_cast<size_t>(v)]; },
        loop.counters().authentication_failures,
        loop.counters().sign_failures + transport.mac_too_long()));
  }
  return kExitOk;
}

}  // namespace wiretime::daemon

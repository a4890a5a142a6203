// The DPDK backend (backend.hpp): EAL and the routed dataplane facade over every interface of the
// start-up YAML (ports, 802.1Q sub-interfaces, VRFs, IPv4 and IPv6; a commit changing them swaps
// new tables in, control/daemon/l3_publisher.hpp), the TSC calibrated into the
// virtual clock model, the dataplane on a worker lcore (or interleaved on the main lcore when
// there is none), and run_daemon's control loop on this thread draining the per-interface event
// rings:
// the engine's requests go out as routed TX commands (server + VRF + optional source
// interface), its clock actions discipline the virtual clock the lcore reads.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "config/startup/network_spec.hpp"
#include "control/daemon/backend.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/dpdk_telemetry.hpp"
#include "control/daemon/dpdk_transport.hpp"
#include "control/daemon/kernel_clock_steering.hpp"
#include "control/daemon/kernel_interface.hpp"
#include "control/daemon/kernel_stamp_matcher.hpp"
#include "control/daemon/l3_publisher.hpp"
#include "control/daemon/measurement_log.hpp"
#include "control/daemon/served_stamps.hpp"
#include "control/daemon/server_publisher.hpp"
#include "control/daemon/server_specs.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/dpdk/packet_capture.hpp"
#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/socket/packet_rx_ring.hpp"
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

uint64_t get(const std::atomic<uint64_t>& v) {
  return v.load(std::memory_order_relaxed);
}

void print_counters(const DaemonLog& log, const dpdk::DataplaneCounters& c,
                    const DpdkTransport& transport, double ticks_per_second) {
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

// Kernel stamps for net_af_packet ports: a packet-socket tap per port feeding the matcher the
// transport consults (our client's exchanges) and the port's ServedStamps (our server's), and
// the map from the kernel's CLOCK_REALTIME stamps onto the TSC.
struct PacketSocketStamps {
  struct Tap {
    std::unique_ptr<socket::PacketTap> tap;
    uint16_t port = 0;  // the dataplane's port index
    ServedStamps served;
  };
  std::vector<Tap> taps;
  KernelStampMatcher matcher;
  double ticks_per_ns = 0;
  bool warned_bypass = false;
  uint64_t departures_dropped = 0;  // the lcore's ring was full

  // `client_port`: the port requests leave from now (`ntp source-port` may have moved it);
  // its exchanges are NTP whatever the server's port. The server's frames go to the port's
  // ServedStamps, mapped onto the served clock (`clock`): the advances are published to the
  // lcore and every reply's kernel TX stamp sent to its interleaved store.
  void drain(uint16_t client_port, dpdk::Dataplane& dataplane, const clock::PublishedClock& clock) {
    for (Tap& t : taps) {
      std::optional<TscRealtime> now;  // one pairing per drain, taken at its first frame
      clock::ClockModel model;
      bool served = false;
      t.tap->drain([&](std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp) {
        const auto r = tap_record(frame, outgoing, stamp, client_port);
        if (!r) return;
        // Our server's: requests to, replies from, an address of the port's interfaces.
        const auto ours = [&](const wire::IpAddress& address) {
          for (const l3::Interface& itf : dataplane.interfaces().all()) {
            if (itf.port == t.port && itf.owns(address)) return true;
          }
          return false;
        };
        const bool request = !outgoing && r->mode == wire::NtpMode::kClient && ours(r->destination);
        const bool reply = outgoing && r->mode == wire::NtpMode::kServer && ours(r->source);
        if (!request && !reply) {
          matcher.add(*r);
          return;
        }
        if (!now) {
          now = tsc_realtime_pair(3);
          model = clock.read();
        }
        const NtpTimestamp at = model.ntp(ticks_of(stamp, *now));
        if (request) {
          t.served.request(*r, at);
        } else if (const auto d = t.served.reply(*r, at)) {
          served = true;
          if (!dataplane.send_departure(dpdk::ServedDeparture{d->receive, d->kernel_tx})) {
            ++departures_dropped;
          }
        }
      });
      if (served) {
        dataplane.set_server_advances(
            t.port,
            static_cast<int64_t>(static_cast<double>(t.served.rx_advance_ns()) * ticks_per_ns),
            static_cast<int64_t>(static_cast<double>(t.served.tx_advance_ns()) * ticks_per_ns));
      }
    }
  }

  // A stamp taken moments ago, on the TSC: `now` on both clocks, less the age of the stamp.
  // Stamps are at most milliseconds old, so the TSC rate's error (ppm) adds nanoseconds at most.
  uint64_t ticks_of(UnixNanos stamp, const TscRealtime& now) const {
    const double age_ticks = static_cast<double>(now.realtime - stamp) * ticks_per_ns;
    return static_cast<uint64_t>(static_cast<double>(now.tsc) - age_ticks);
  }
  uint64_t ticks_of(UnixNanos stamp) const { return ticks_of(stamp, tsc_realtime_pair(3)); }
};

// `display interface brief`: every interface of the dataplane, with its port's link state and
// error counters (a sub-interface shows its port's).
std::vector<display::InterfaceBrief> interface_briefs(const dpdk::Dataplane& dataplane) {
  std::vector<display::InterfaceBrief> out;
  for (const l3::Interface& i : dataplane.interfaces().all()) {
    const l3::Interface* itf = &i;
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

// The dataplane's NTP drops and server outcomes as `display ntp statistics packet` counts them.
BackendCounters ntp_counters(const dpdk::DataplaneCounters& c,
                             const l3::InterfaceTable& interfaces) {
  BackendCounters out;
  for (size_t f = 0; f < 2; ++f) {
    auto get = [&](dpdk::NtpDrop d) {
      return c.ntp_drops[f][static_cast<size_t>(d)].load(std::memory_order_relaxed);
    };
    // A request the server does not answer is its outcome (`disabled` included), not an NtpDrop.
    out.family[f].invalid = get(dpdk::NtpDrop::kInvalid);
    out.family[f].processing_delay = get(dpdk::NtpDrop::kProcessingDelay);
    const auto v = f == 0 ? wire::IpVersion::kV4 : wire::IpVersion::kV6;
    for (size_t o = 0; o < server::kServeOutcomeCount; ++o) {
      out.family[f].server[o] = c.server.total(static_cast<server::ServeOutcome>(o), v);
    }
  }
  for (const l3::Interface& i : interfaces.all()) {
    if (i.index >= server::kCountedInterfaces) continue;
    const l3::Interface* itf = &i;
    InterfaceServeCounts counts;
    counts.interface = itf->name;
    for (size_t f = 0; f < 2; ++f) {
      const auto v = f == 0 ? wire::IpVersion::kV4 : wire::IpVersion::kV6;
      for (size_t o = 0; o < server::kServeOutcomeCount; ++o) {
        counts.family[f][o] =
            c.server.get(static_cast<uint16_t>(i.index), v, static_cast<server::ServeOutcome>(o));
      }
    }
    out.interfaces.push_back(std::move(counts));
  }
  return out;
}

// Domain servers resolve to the address families our interfaces have.
resolver::AddressFamily reachable_family(const l3::InterfaceTable& interfaces) {
  bool v4 = false, v6 = false;
  for (const l3::Interface& itf : interfaces.all()) {
    for (const l3::IpPrefix& a : itf.addresses) {
      (a.address.version == wire::IpVersion::kV6 ? v6 : v4) = true;
    }
  }
  if (v4 && !v6) return resolver::AddressFamily::kIpv4;
  if (v6 && !v4) return resolver::AddressFamily::kIpv6;
  return resolver::AddressFamily::kAny;
}

class DpdkBackend final : public Backend {
 public:
  const char* name() const override { return "dpdk"; }

  int open(const BackendContext& context) override {
    const config::StartupConfig& cfg = context.config.startup;
    log_ = &context.log;
    inventory_ = cfg.interfaces;
    if (std::string e =
            eal_.init(dpdk::eal_arguments("wiretimed", cfg.dataplane.eal_args, getpid()));
        !e.empty()) {
      log_->error(e);
      return kExitRuntimeError;
    }
    lcore_config_ = cfg.dataplane.lcore;
    packet_socket_stamps_ = cfg.dataplane.packet_socket_stamps;
    for (const config::InterfaceSection& itf : cfg.interfaces) {
      dpdk::PortSpec spec;
      spec.devargs = itf.devargs;
      spec.port_index = itf.port_index;
      port_specs_.push_back(spec);
    }
    dpdk::DataplaneOptions options;
    options.idle_sleep_us = cfg.dataplane.idle_sleep_us;
    options.server_interleaved_entries = cfg.dataplane.interleaved_store_entries;
    options.server_rate_limit_entries = cfg.dataplane.rate_limit_entries;
    // Replies are decoded by the client port each request names (any server port, any time).
    std::vector<std::string> l3_warnings;
    const l3::NetworkSpec network = config::network_spec(cfg, &l3_warnings);
    for (const std::string& w : l3_warnings) log_->warning(w);
    std::string error;
    dataplane_ = dpdk::Dataplane::create(options, port_specs_, network, error);
    if (!dataplane_) {
      log_->error("dataplane: " + error);
      return kExitRuntimeError;
    }
    for (const dpdk::PortStatus& p : dataplane_->ports()) {
      log_->info("port " + p.name + " (" + p.driver + ") up, mac " + format_mac(p.mac) + ", " +
                 std::to_string(p.rx_queues) + " rx queues, " +
                 (p.hardware_steering ? "rte_flow" : "software") + " steering" +
                 (p.steering_note.empty() ? "" : " (" + p.steering_note + ")") + ", rx stamps " +
                 dpdk::to_string(p.rx_stamps) + (p.tx_stamps ? ", tx stamps IEEE 1588" : ""));
    }
    // Both allocated once here (dataplane.interleaved-store-entries, dataplane.rate-limit-entries).
    log_->info("server tables: interleaved store " +
               std::to_string(dataplane_->server_interleaved_entries()) + " entries (" +
               std::to_string(dataplane_->server_interleaved_entries() *
                              server::InterleavedStore::kEntryBytes / 1024) +
               " KiB), rate table " + std::to_string(dataplane_->server_rate_table_entries()) +
               " entries (" +
               std::to_string(dataplane_->server_rate_table_entries() *
                              sizeof(server::RateLimiter::Entry) / 1024) +
               " KiB)");
    const l3::InterfaceTable& interfaces = dataplane_->interfaces();
    for (const l3::Interface& i : interfaces.all()) {
      const l3::Interface* itf = &i;
      std::string addresses;
      for (const l3::IpPrefix& a : itf->addresses) addresses += " " + l3::to_string(a);
      const std::string& vrf = interfaces.vrf_name(itf->vrf);
      log_->info("interface " + itf->name + (vrf.empty() ? "" : " vpn-instance " + vrf) +
                 (itf->vlan != l3::kNoVlan ? " vlan " + std::to_string(itf->vlan) : "") + ":" +
                 addresses);
    }

    cal_ = dpdk::calibrate_tsc(std::chrono::milliseconds(500));
    // The control thread's tick reads are fenced (lfence; rdtsc): the shared-memory clock's
    // seqlock argument needs the update tick read after its sequence went odd.
    virtual_clock_.emplace(published_, initial_clock(cal_, cfg.clock), wt_clock_read_tsc);
    log_->info("clock: virtual, TSC " + std::to_string(cal_.ticks_per_second / 1e6) +
               " MHz measured (" + std::to_string(cal_.nominal_ticks_per_second / 1e6) +
               " MHz nominal), pairing +-" + std::to_string(cal_.pairing_uncertainty_ns) +
               " ns, test offset " + std::to_string(cfg.clock.test_initial_offset_ns) +
               " ns, test frequency " + std::to_string(cfg.clock.test_initial_frequency_ppb) +
               " ppb");
    steering_.emplace(*log_);
    clock_.clock = &*virtual_clock_;
    clock_.exported = &*virtual_clock_;
    clock_.tick_source = WT_TICKS_TSC;
    clock_.pair = [] {
      const TscRealtime p = tsc_realtime_pair(3);
      return TickRealtime{p.tsc, p.realtime};
    };
    clock_.steering = &*steering_;
    clock_.outputs_by_default = true;
    // Test instrumentation: the virtual clock against the host's CLOCK_REALTIME, from the
    // narrowest of five brackets (one bracket alone once showed a lone -117 us "error" in an
    // e2e run whose clock was within 20 us all along).
    clock_.test_error = [this] {
      const TscRealtime now = tsc_realtime_pair(5);
      return std::optional<int64_t>(published_.read().utc_nanos(now.tsc) - now.realtime);
    };

    // An ephemeral source port per run, so stale replies from an earlier run do not match.
    client_port_ = static_cast<uint16_t>(49152 + context.seed % 16384);
    transport_.emplace(client_port_,
                       [this](const dpdk::TxCommand& c) { return dataplane_->send(c); });
    kernel_stamps_.ticks_per_ns = cal_.ticks_per_second / 1e9;
    return kExitOk;
  }

  BackendClock& clock() override { return clock_; }
  runtime::Transport& transport() override { return *transport_; }
  resolver::AddressFamily reachable_family() const override {
    return daemon::reachable_family(dataplane_->interfaces());
  }

  void attach(runtime::ControlLoop& loop) override {
    // Servers added or changed by a commit are placed like the start-up ones; a name the tables
    // do not have leaves the server without a route, said once the commit's tables are in
    // (apply_l3).
    loop.set_placement([this](const engine::AssociationConfig& c, runtime::Peer& p) {
      placement_.place(p, c, dataplane_->interfaces());
    });
    if (packet_socket_stamps_) {
      for (size_t p = 0; p < port_specs_.size(); ++p) {
        const dpdk::PortSpec& spec = port_specs_[p];
        const std::string iface = kernel_device(spec.devargs);
        if (iface.empty()) continue;
        std::string e;
        if (auto tap = socket::PacketTap::open(iface, e)) {
          log_->info("port " + spec.devargs.substr(0, spec.devargs.find(',')) +
                     ": T1/T4, and the server's T2/T3, from the kernel's stamps (packet-socket "
                     "tap on " +
                     iface + ")");
          kernel_stamps_.taps.push_back(
              PacketSocketStamps::Tap{std::move(tap), static_cast<uint16_t>(p), {}});
        } else {
          log_->warning(e + "; its samples keep TSC stamps");
        }
        // The lcore's own copy of the requests, for T2 at the kernel's arrival stamp.
        if (auto ring = socket::PacketRxRing::open(iface, e)) {
          log_->info("port " + spec.devargs.substr(0, spec.devargs.find(',')) +
                     ": the server's T2 from the kernel's stamps of the requests (packet ring on " +
                     iface + ", " + std::to_string(ring->frames()) + " frames, read by the lcore)");
          request_rings_.resize(port_specs_.size());
          dataplane_->attach_request_ring(static_cast<uint16_t>(p), ring.get());
          request_rings_[p] = std::move(ring);
        } else {
          log_->warning(e + "; the server's T2 stays the TSC at the RX burst");
        }
      }
    }
    if (!kernel_stamps_.taps.empty()) {
      transport_->use_kernel_stamps(&kernel_stamps_.matcher,
                                    [this](UnixNanos t) { return kernel_stamps_.ticks_of(t); });
    }
  }

  std::string source_added(const engine::AssociationConfig& c, const runtime::Peer& p) override {
    const l3::InterfaceTable& interfaces = dataplane_->interfaces();
    // A server without a route (kNoVrf, warned about by the placement) is kept, unreachable.
    const std::string vrf = p.vrf < interfaces.vrf_count() ? interfaces.vrf_name(p.vrf) : "";
    // Resolve the next hop before the first poll is due.
    if (!c.is_domain) transport_->prepare(p);
    return (vrf.empty() ? "" : " (vpn-instance " + vrf + ")") +
           (c.source_interface.empty() ? "" : " from " + c.source_interface) + ", from port " +
           std::to_string(client_port_);
  }

  // Every VRF, interface and family is routed; a name the tables lack is warned about and left
  // without a route (the placement), as the start-up file's were.
  std::string refuse(const engine::AssociationConfig&) const override { return ""; }

  std::vector<display::InterfaceBrief> interface_briefs() const override {
    return daemon::interface_briefs(*dataplane_);
  }
  BackendCounters counters() const override {
    return ntp_counters(dataplane_->counters(), dataplane_->interfaces());
  }
  std::string interface_name(uint16_t index) const override {
    const l3::Interface* itf =
        dataplane_->interfaces().find(static_cast<l3::InterfaceIndex>(index));
    return itf != nullptr ? itf->name : std::string();
  }

  int start(const config::NtpConfig& running, server::ServerKeyPublisher& keys,
            MetricsPublisher& metrics) override {
    l3_publisher_.emplace(
        inventory_, running,
        [this](const l3::NetworkSpec& n) { return dataplane_->update_network(n); },
        [this](const std::string& m) { log_->info(m); },
        [this](const std::string& m) { log_->warning(m); });
    // The NTP server on the lcore: T2/T3 from the published clock, the rest from publish().
    server_publisher_.emplace(server_state_, dataplane_->interfaces(),
                              [this](const std::string& m) { log_->info(m); });
    dataplane_->attach_server(&published_, &server_state_);
    // ACLs, `ntp access`, `ntp discard`: compiled on change.
    server_publisher_->publish_access_to(&access_state_);
    dataplane_->attach_access(&access_state_);
    // Server authentication: the keys reach the lcore by pointer swap (server_keys.hpp).
    dataplane_->attach_server_keys(&keys);

    const auto workers = dpdk::Eal::worker_lcores();
    lcore_ = lcore_config_;
    if (lcore_) {
      if (std::find(workers.begin(), workers.end(), *lcore_) == workers.end()) {
        log_->error("dataplane.lcore " + std::to_string(*lcore_) +
                    " is not an enabled worker lcore (check the EAL -l/--lcores argument)");
        return kExitConfigError;
      }
    } else if (!workers.empty()) {
      lcore_ = workers.front();
    }
    if (lcore_) {
      if (!dataplane_->start(*lcore_)) {
        log_->error("cannot launch the dataplane on lcore " + std::to_string(*lcore_));
        return kExitRuntimeError;
      }
      log_->info("dataplane on lcore " + std::to_string(*lcore_) + ", control on lcore " +
                 std::to_string(dpdk::Eal::main_lcore()));
    } else {
      log_->info("no worker lcore: dataplane interleaved with control on the main lcore");
    }

    // Monitoring (docs/operations.md, Telemetry): /wiretime/* DPDK telemetry commands, the
    // Prometheus textfile, and live capture with dpdk-dumpcap.
    dpdk_metrics_.emplace(*dataplane_, metrics.box(), cal_.ticks_per_second, lcore_);
    metrics.set_extra([this](MetricsSnapshot& s) { dpdk_metrics_->collect(s); });
    if (std::string e = dpdk_metrics_->register_commands(); !e.empty()) log_->warning(e);
    if (std::string e = capture_.enable(); !e.empty()) {
      log_->warning("live capture: " + e);
    } else if (!dpdk::PacketCapture::secondary_processes_possible()) {
      log_->info(
          "live capture: EAL runs without hugepages (--no-huge), so dpdk-dumpcap cannot attach");
    }
    return kExitOk;
  }
  const char* ready_what() const override { return "dataplane"; }

  size_t poll(runtime::ControlLoop& loop) override {
    if (!lcore_) {
      while (dataplane_->poll_once()) {
      }
    }
    const unsigned n = dataplane_->poll_events(batch_, 64);
    // The taps saw a frame no later than the lcore did: read them before the events. Every
    // pass, not only with events: the server's frames make none.
    if (!kernel_stamps_.taps.empty()) {
      kernel_stamps_.drain(transport_->client_port(), *dataplane_, published_);
    }
    for (unsigned i = 0; i < n; ++i) {
      DpdkTransport::Events events;
      const size_t k = transport_->translate(batch_[i], events);
      for (size_t j = 0; j < k; ++j) loop.deliver(events[j]);
    }
    if (!kernel_stamps_.warned_bypass && transport_->tsc_exchanges() >= 3 &&
        !kernel_stamps_.matcher.saw_outgoing() && !kernel_stamps_.taps.empty()) {
      kernel_stamps_.warned_bypass = true;
      log_->warning(
          "the packet-socket taps never see a transmitted frame: the net_af_packet "
          "vdev bypasses the kernel's qdisc layer (add qdisc_bypass=0 to it); samples "
          "keep TSC stamps");
    }
    return n;
  }

  void apply_l3(const config::NtpConfig& running, runtime::ControlLoop& loop) override {
    // A commit's interfaces, VRFs and routes: new tables, associations placed again (their
    // VRF, source interface or route may have changed).
    if (l3_publisher_->update(running)) {
      loop.place_again([this](auto& c, auto& p) {
        if (!c.is_domain) transport_->prepare(p);
      });
    }
    for (const std::string& w : placement_.take_warnings()) log_->warning(w);
  }

  bool publish(int64_t monotonic_ns, const config::NtpConfig& running,
               const runtime::ControlLoop& loop) override {
    if (!server_publisher_->due(monotonic_ns, running)) return false;
    server_publisher_->publish(monotonic_ns, running, loop.status().system,
                               published_.read().ntp(dpdk::read_tsc()));
    dataplane_->reclaim_tables();  // tables every lcore has moved past
    return true;
  }

  void fill_pollfds(std::vector<pollfd>&) override {}
  void service(const pollfd*, size_t, runtime::ControlLoop&) override {}

  // The descriptors (names, management) are polled without waiting at most once a
  // millisecond, so that neither ever holds the loop up; with the dataplane on its own lcore
  // and nothing received, control naps until its next deadline, at most 200 us (it needs
  // ~100 us resolution at most: timers, slew ends) to spare the core.
  IdlePlan idle(int64_t monotonic_ns, int64_t ahead_ns, size_t events) override {
    IdlePlan plan;
    plan.poll_descriptors = monotonic_ns >= next_fd_check_ns_;
    if (plan.poll_descriptors) next_fd_check_ns_ = monotonic_ns + 1'000'000;
    if (events == 0 && lcore_) plan.nap_ns = std::clamp<int64_t>(ahead_ns, 0, 200'000);
    return plan;
  }

  void stop(const runtime::ControlLoop& loop) override {
    dataplane_->stop();
    print_sessions(*log_, loop);
    print_counters(*log_, dataplane_->counters(), *transport_, cal_.ticks_per_second);
    if (!kernel_stamps_.taps.empty()) {
      log_->info("kernel stamps: " + std::to_string(transport_->kernel_exchanges()) +
                 " exchanges, " + std::to_string(transport_->tsc_exchanges()) +
                 " replies kept TSC stamps");
      const dpdk::DataplaneCounters& c = dataplane_->counters();
      if (const uint64_t served = get(c.server_t2_kernel) + get(c.server_t2_tsc); served != 0) {
        uint64_t drops = 0;
        for (const auto& r : request_rings_) drops += r ? r->take_drops() : 0;
        log_->info(
            "server T2: " + std::to_string(get(c.server_t2_kernel)) +
            " requests dated by the kernel's RX stamp, " + std::to_string(get(c.server_t2_tsc)) +
            " by the TSC at the RX burst" +
            (drops != 0 ? " (packet rings full: " + std::to_string(drops) + " dropped)" : ""));
      }
      for (const PacketSocketStamps::Tap& t : kernel_stamps_.taps) {
        if (t.served.replies() == 0) continue;
        log_->info(
            "server kernel stamps on " + t.tap->ifname() + ": " + t.served.summary() +
            "; interleaved departures stored " + std::to_string(get(c.server_departures_stored)) +
            " of " + std::to_string(get(c.server_departures)) +
            (kernel_stamps_.departures_dropped != 0
                 ? ", " + std::to_string(kernel_stamps_.departures_dropped) + " lost (ring full)"
                 : ""));
      }
    }
  }
  uint64_t unsent_macs() const override { return transport_->mac_too_long(); }

 private:
  const DaemonLog* log_ = nullptr;
  // Declared first, destroyed last: everything DPDK-owned below is released before
  // rte_eal_cleanup.
  dpdk::Eal eal_;
  std::vector<config::InterfaceSection> inventory_;
  std::vector<dpdk::PortSpec> port_specs_;
  std::optional<unsigned> lcore_config_;
  std::optional<unsigned> lcore_;
  bool packet_socket_stamps_ = false;
  dpdk::TscCalibration cal_;
  clock::PublishedClock published_;
  std::optional<runtime::VirtualClock> virtual_clock_;
  std::optional<KernelClockSteering> steering_;
  BackendClock clock_;
  uint16_t client_port_ = 0;
  std::optional<DpdkTransport> transport_;
  PacketSocketStamps kernel_stamps_;
  // Per port (null: none), read by the lcore for its requests' T2.
  std::vector<std::unique_ptr<socket::PacketRxRing>> request_rings_;
  server::PublishedServer server_state_;
  server::PublishedAccess access_state_;
  // After what the lcore reads, so that it goes first.
  std::unique_ptr<dpdk::Dataplane> dataplane_;
  std::optional<ServerPublisher> server_publisher_;
  std::optional<L3Publisher> l3_publisher_;
  DeferredPlacement placement_;
  std::optional<DpdkMetrics> dpdk_metrics_;
  dpdk::PacketCapture capture_;
  dpdk::DataplaneEvent batch_[64];
  int64_t next_fd_check_ns_ = 0;
};

}  // namespace

std::unique_ptr<Backend> make_dpdk_backend() {
  return std::make_unique<DpdkBackend>();
}

}  // namespace wiretime::daemon

// The kernel-socket backend (backend.hpp): the same skeleton, control loop and engine as the
// DPDK backend, over kernel UDP sockets: the client's (one per source address, IPv4 and IPv6)
// and the server's. To run unmodified under syscall-interposing clock and network
// simulators it waits only in poll(), reads time only with clock_gettime (REALTIME and
// MONOTONIC), controls the clock only with clock_adjtime, and does its I/O with sendto and
// recvmsg on a socket(AF_INET[6], SOCK_DGRAM, 0) made non-blocking with fcntl. No threads (but
// the resolver's, once a domain server is configured), epoll, timerfd or signalfd;
// SIGTERM/SIGINT interrupt poll() and end the loop.
#include <poll.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "config/ntp_config/ip_address.hpp"
#include "config/startup/network_spec.hpp"
#include "control/daemon/backend.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/kernel_interface.hpp"
#include "control/daemon/l3_publisher.hpp"
#include "control/daemon/server_publisher.hpp"
#include "control/daemon/socket_server.hpp"
#include "control/daemon/socket_transport.hpp"
#include "control/daemon/system_clock.hpp"
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

class SocketBackend final : public Backend {
 public:
  const char* name() const override { return "socket"; }

  int open(const BackendContext& context) override {
    const DaemonConfig& cfg = context.config;
    log_ = &context.log;
    itf_ = &cfg.startup.interfaces.front();
    inventory_ = cfg.startup.interfaces;
    // The first port's primary IPv4 address (`ip address` in the running configuration); none:
    // every address, so that a committed `undo ip address` cannot stop the daemon starting.
    local_ = wire::IpAddress::from(
        config::primary_ipv4(cfg.running(), itf_->name).value_or(wire::Ipv4Address{}));
    if (std::string e = udp_.open(local_, 0); !e.empty()) {
      log_->error(itf_->name + ": " + e);
      return kExitRuntimeError;
    }
    log_->info(itf_->name + ": kernel socket on " + l3::to_string(local_) + ":" +
               std::to_string(udp_.local_port()) +
               (udp_.tx_timestamps() ? ", kernel RX/TX timestamps"
                                     : ", kernel RX timestamps, T1 read before sendto"));
    open_clock(cfg);
    transport_.emplace(udp_, realtime_to_ticks);
    // The NTP server: port 123 on this interface while the configuration serves IPv4, and on
    // its IPv6 listening addresses while it serves IPv6.
    std::vector<wire::IpAddress> ipv6_local;
    if (const config::InterfaceSettings* l3 = cfg.running().find_interface(itf_->name)) {
      for (const config::InterfaceAddress& a : l3->ipv6) {
        if (const auto bytes = config::parse_ipv6(a.address)) {
          wire::Ipv6Address v6;
          std::copy(bytes->begin(), bytes->end(), v6.bytes.begin());
          ipv6_local.push_back(wire::IpAddress::from(v6));
        }
      }
    }
    server_.emplace(*log_, local_, itf_->name, ipv6_local,
                    cfg.startup.dataplane.interleaved_store_entries,
                    cfg.startup.dataplane.rate_limit_entries);
    return kExitOk;
  }

  BackendClock& clock() override { return clock_; }
  runtime::Transport& transport() override { return *transport_; }
  // Domain names follow the IPv4 source interface (docs/cli.md): their requests take the
  // IPv4 route of their source interface.
  resolver::AddressFamily reachable_family() const override {
    return resolver::AddressFamily::kIpv4;
  }
  void attach(runtime::ControlLoop& loop) override {
    loop_ = &loop;
    // A server's source interface, numbered here: the transport's routes say which socket
    // (which local address) a number and family send from.
    loop.set_placement([this](const engine::AssociationConfig& c, runtime::Peer& p) {
      p.interface =
          c.source_interface.empty() ? runtime::kAnyInterface : number(c.source_interface);
    });
  }
  std::string source_added(const engine::AssociationConfig& c, const runtime::Peer&) override {
    return c.source_interface.empty() ? "" : " from " + c.source_interface;
  }
  // Every port of the inventory as its kernel device (`iface=`) stands now: physical state and
  // error counters from sysfs; protocol up when the link is and the running configuration gives
  // the interface an address. A port without a kernel device shows down.
  std::string refuse(const engine::AssociationConfig& c) const override {
    return socket_refusal(c);
  }

  std::string refuse_server(const config::NtpConfig& c) const override {
    return socket_server_refusal(c);
  }

  std::vector<display::InterfaceBrief> interface_briefs() const override {
    std::vector<display::InterfaceBrief> out;
    for (const config::InterfaceSection& itf : inventory_) {
      display::InterfaceBrief b;
      b.name = itf.name;
      const std::optional<KernelLink> link = kernel_link(kernel_device(itf.devargs));
      const config::InterfaceSettings* l3 =
          running_ != nullptr ? running_->find_interface(itf.name) : nullptr;
      const bool addressed = l3 != nullptr && (!l3->ipv4.empty() || !l3->ipv6.empty());
      if (link) {
        b.physical = link->up ? display::LinkState::kUp : display::LinkState::kDown;
        b.protocol = link->up && addressed ? display::LinkState::kUp : display::LinkState::kDown;
        b.input_errors = link->rx_errors;
        b.output_errors = link->tx_errors;
      }
      out.push_back(b);
    }
    return out;
  }

  BackendCounters counters() const override {
    // Client sockets: datagrams that are no NTP time packet. The server serves both families
    // on the one interface.
    BackendCounters counters;
    counters.family[0].invalid = transport_->undecodable(0);
    counters.family[1].invalid = transport_->undecodable(1);
    InterfaceServeCounts served{itf_->name, {}};
    for (size_t f = 0; f < 2; ++f) {
      for (size_t o = 0; o < server::kServeOutcomeCount; ++o) {
        served.family[f][o] = server_->count(static_cast<server::ServeOutcome>(o), f == 1);
      }
      counters.family[f].server = served.family[f];
    }
    counters.interfaces.push_back(std::move(served));
    return counters;
  }
  std::string interface_name(uint16_t index) const override {
    return index < numbered_.size() ? numbered_[index] : itf_->name;
  }

  int start(const config::NtpConfig& running, server::ServerKeyPublisher& keys,
            MetricsPublisher& metrics) override {
    // A commit's interface addresses, sub-interfaces, VRF bindings and static routes are saved
    // but this backend sends through the kernel's: the log says so on each change.
    l3_publisher_.emplace(
        inventory_, running,
        [](const l3::NetworkSpec&) {
          return std::string("the socket backend uses the kernel's addresses and routes (ip(8))");
        },
        [this](const std::string& m) { log_->info(m); },
        [this](const std::string& m) { log_->warning(m); });
    server_->attach_keys(&keys);
    update_routes(running);
    // The Prometheus textfile: the one interface's NTP counters.
    metrics.set_extra([this](MetricsSnapshot& s) {
      const runtime::RuntimeCounters& c = loop_->counters();
      s.packets = {{"tx", "sent", itf_->name, c.requests - c.send_failures},
                   {"tx", "failed", itf_->name, c.send_failures},
                   {"rx", "received", itf_->name, c.replies},
                   {"rx", "dropped", itf_->name, transport_->undecodable()}};
    });
    return kExitOk;
  }
  const char* ready_what() const override { return "socket"; }

  size_t poll(runtime::ControlLoop& loop) override {
    // POLLERR: the error queue holds transmit timestamps.
    transport_->drain_transmit_timestamps();
    size_t n = 0;
    for (runtime::TransportEvent event; transport_->next(event); ++n) loop.deliver(event);
    return n;
  }

  void apply_l3(const config::NtpConfig& running, runtime::ControlLoop&) override {
    l3_publisher_->update(running);
    update_routes(running);
  }

  bool publish(int64_t monotonic_ns, const config::NtpConfig& running,
               const runtime::ControlLoop& loop) override {
    running_ = &running;
    server_->configure(running);
    if (monotonic_ns < next_served_ns_ && served_config_ && running == *served_config_) {
      return false;
    }
    next_served_ns_ = monotonic_ns + ServerPublisher::kPeriodNs;
    served_config_ = running;
    served_ = server_clock_state(running, loop.status().system,
                                 clock_.clock->to_ntp(clock_.clock->now_ticks()));
    return true;
  }

  void fill_pollfds(std::vector<pollfd>& fds) override {
    client_fds_ = transport_->fill_pollfds(fds);
    server_->fill_pollfds(fds);  // none while not serving
  }

  // The client sockets (the first client_fds_) were drained by poll(); the server's sockets
  // are answered here.
  void service(const pollfd* fds, size_t count, runtime::ControlLoop&) override {
    if (std::any_of(fds + std::min(client_fds_, count), fds + count,
                    [](const pollfd& p) { return (p.revents & (POLLIN | POLLERR)) != 0; })) {
      runtime::RuntimeClock& c = *clock_.clock;
      server_->serve_all(
          served_, [&c](UnixNanos rx) { return c.to_ntp(realtime_to_ticks(rx)); },
          [&c] { return c.to_ntp(c.now_ticks()); });
    }
  }

  // One thread that waits only in poll(): until the loop's next deadline, rounded up so the
  // loop does not spin through the last millisecond, and at least each second to notice a stop
  // request that raced the poll() call.
  IdlePlan idle(int64_t, int64_t ahead_ns, size_t) override {
    IdlePlan plan;
    plan.timeout_ms =
        ahead_ns <= 0 ? 0
                      : static_cast<int>(std::min<int64_t>(1000, (ahead_ns + 999'999) / 1'000'000));
    return plan;
  }

  void stop(const runtime::ControlLoop&) override {
    log_->info("socket: T1 from kernel " + std::to_string(transport_->kernel_t1()) +
               ", from the read before sendto " + std::to_string(transport_->fallback_t1()) +
               ", undecodable datagrams " + std::to_string(transport_->undecodable()));
    log_->info(server_->summary());
  }

 private:
  // The number of a source interface name (Peer::interface), stable for the daemon's life.
  uint16_t number(const std::string& name) {
    const auto it = std::find(numbered_.begin(), numbered_.end(), name);
    if (it != numbered_.end()) return static_cast<uint16_t>(it - numbered_.begin());
    numbered_.push_back(name);
    return static_cast<uint16_t>(numbered_.size() - 1);
  }

  // The client sockets the running servers need: for each source interface and family, the
  // interface's primary address of that family in the running configuration (none: the
  // default socket, or `::` for IPv6, where the kernel's route picks the source). A server
  // whose interface has no address of its family gets no route: its requests are not sent
  // and it shows unreachable, as on the DPDK backend without a route. Logged on change.
  void update_routes(const config::NtpConfig& running) {
    std::vector<SourceRoute> routes{SourceRoute{runtime::kAnyInterface, local_}};
    std::vector<std::string> unrouted;
    for (const engine::Association& a : loop_->engine().associations()) {
      const config::AddressFamily family =
          a.config.ipv6 ? config::AddressFamily::kIpv6 : config::AddressFamily::kIpv4;
      const std::string& name = a.config.source_interface;
      std::optional<wire::IpAddress> local;
      if (!name.empty()) {
        local = config::primary_address(running, name, family);
      } else if (family == config::AddressFamily::kIpv6) {
        local = wire::IpAddress::from(wire::Ipv6Address{});
      } else {
        local = local_;
      }
      if (!local) {
        unrouted.push_back("server " + a.config.address + ": source-interface " + name +
                           " has no " + (a.config.ipv6 ? "IPv6" : "IPv4") +
                           " address; its requests are not sent (unreachable)");
        continue;
      }
      const SourceRoute route{name.empty() ? runtime::kAnyInterface : number(name), *local};
      if (std::find(routes.begin(), routes.end(), route) == routes.end()) routes.push_back(route);
    }
    if (routes == routes_ && unrouted == unrouted_) return;
    routes_ = routes;
    unrouted_ = unrouted;
    for (const std::string& m : unrouted) log_->warning(m);
    for (const std::string& e : transport_->set_routes(routes)) {
      log_->warning("client socket " + e + "; requests from it are not sent (unreachable)");
    }
    std::string sockets;
    for (const SourceRoute& r : routes) {
      sockets += (sockets.empty() ? "" : ", ") +
                 (r.interface == runtime::kAnyInterface ? std::string("default")
                                                        : numbered_[r.interface]) +
                 " " + l3::to_string(r.local);
    }
    log_->info("client sockets: " + sockets);
  }

  void open_clock(const DaemonConfig& cfg) {
    if (cfg.clock == ClockDriverKind::kSystem) {
      auto system = std::make_unique<SystemClock>(*log_);
      clock_.initial_frequency = system->initial_frequency();
      log_->info("clock: system (CLOCK_REALTIME via clock_adjtime), initial frequency " +
                 std::to_string(system->initial_frequency() * 1e6) + " ppm");
      clock_.test_error = [] { return std::optional<int64_t>(); };
      owned_clock_ = std::move(system);
    } else {
      auto virtual_clock = std::make_unique<runtime::VirtualClock>(
          published_, initial_virtual_model(cfg.startup.clock), monotonic_ticks);
      const runtime::VirtualClock* vc = virtual_clock.get();
      clock_.exported = virtual_clock.get();
      clock_.tick_source = WT_TICKS_MONOTONIC;
      clock_.pair = [] {
        const int64_t mono = socket::monotonic_ns();
        return TickRealtime{static_cast<uint64_t>(mono),
                            mono + socket::realtime_minus_monotonic_ns()};
      };
      // Test instrumentation: the virtual clock against the host's CLOCK_REALTIME, now.
      clock_.test_error = [vc] {
        const int64_t mono = socket::monotonic_ns();
        const int64_t offset = socket::realtime_minus_monotonic_ns();
        return std::optional<int64_t>(vc->to_utc(static_cast<uint64_t>(mono)) - (mono + offset));
      };
      log_->info("clock: virtual, test offset " +
                 std::to_string(cfg.startup.clock.test_initial_offset_ns) + " ns, test frequency " +
                 std::to_string(cfg.startup.clock.test_initial_frequency_ppb) + " ppb");
      owned_clock_ = std::move(virtual_clock);
    }
    clock_.clock = owned_clock_.get();
  }

  const DaemonLog* log_ = nullptr;
  const config::InterfaceSection* itf_ = nullptr;
  std::vector<config::InterfaceSection> inventory_;
  std::optional<L3Publisher> l3_publisher_;
  const config::NtpConfig* running_ = nullptr;  // as of the last publish(): management's
  wire::IpAddress local_;
  socket::UdpSocket udp_;
  clock::PublishedClock published_;
  std::unique_ptr<runtime::RuntimeClock> owned_clock_;
  BackendClock clock_;
  std::optional<SocketTransport> transport_;
  size_t client_fds_ = 0;              // of the last fill_pollfds()
  std::vector<std::string> numbered_;  // source interface names by number
  std::vector<SourceRoute> routes_;    // as last given to the transport
  std::vector<std::string> unrouted_;  // servers without a route, as last logged
  std::optional<SocketServer> server_;
  runtime::ControlLoop* loop_ = nullptr;
  server::ServerClockState served_;
  std::optional<config::NtpConfig> served_config_;
  int64_t next_served_ns_ = 0;
};

}  // namespace

// The kernel's routing table and addresses carry the requests: a VPN instance would need the
// kernel's VRF devices, and a link-local server the kernel device's scope id; neither is used,
// so such a server would be accepted and never reached. The commit is refused instead.
std::string socket_refusal(const engine::AssociationConfig& c) {
  const std::string what = std::string("unicast-server ") + (c.ipv6 ? "ipv6 " : "") + c.address;
  if (!c.vpn_instance.empty()) {
    return what + " vpn-instance " + c.vpn_instance +
           ": the socket backend sends in the host's routing table only, no VPN instances (use "
           "dataplane.backend: dpdk)";
  }
  if (c.ipv6 && !c.is_domain) {
    const auto v6 = config::parse_ipv6(c.address);
    if (v6 && config::classify_ipv6_server(*v6) == config::ServerAddressClass::kLinkLocal) {
      return what +
             ": the socket backend does not send to link-local addresses (use a global address "
             "or dataplane.backend: dpdk)";
    }
  }
  return "";
}

std::unique_ptr<Backend> make_socket_backend() {
  return std::make_unique<SocketBackend>();
}

}  // namespace wiretime::daemon

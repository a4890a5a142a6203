#include "dataplane/dpdk/dataplane.hpp"

#include <rte_launch.h>
#include <rte_pause.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>

namespace wiretime::dpdk {
namespace {

// Ring names are global to the process (and to DPDK's shared memory): a per-process counter
// keeps several dataplanes (tests) apart.
std::atomic<unsigned> g_instance{0};

bool is_source(const l3::NetworkSpec& network, const std::string& name) {
  if (network.ntp_source_interfaces.empty()) return true;
  return std::find(network.ntp_source_interfaces.begin(), network.ntp_source_interfaces.end(),
                   name) != network.ntp_source_interfaces.end();
}

}  // namespace

const char* to_string(NicStampKind kind) {
  switch (kind) {
    case NicStampKind::kNone:
      return "software (TSC)";
    case NicStampKind::kUtcMicros:
      return "hardware (NIC UTC, us)";
    case NicStampKind::kNicClock:
      return "hardware (NIC clock)";
  }
  return "?";
}

const char* to_string(StampSource source) {
  switch (source) {
    case StampSource::kTsc:
      return "software";
    case StampSource::kNicTsc:
      return "hardware";
    case StampSource::kNicUtc:
      return "hardware-utc";
    case StampSource::kKernel:
      return "kernel";
  }
  return "?";
}

std::unique_ptr<Dataplane> Dataplane::create(const DataplaneOptions& options,
                                             std::vector<PortSpec> ports,
                                             const l3::NetworkSpec& network, std::string& error) {
  std::unique_ptr<Dataplane> dp(new Dataplane());
  dp->options_ = options;
  const unsigned instance = g_instance.fetch_add(1);

  // Which interfaces sit on which port (spec order), for queues, MACs and multicast.
  std::vector<const l3::InterfaceSpec*> port_itf;
  for (const l3::InterfaceSpec& s : network.interfaces) {
    if (s.parent.empty()) port_itf.push_back(&s);
  }
  if (ports.size() != port_itf.size()) {
    error = std::to_string(port_itf.size()) + " port interfaces but " +
            std::to_string(ports.size()) + " port specs";
    return nullptr;
  }
  std::vector<wire::MacAddress> macs;
  for (size_t p = 0; p < ports.size(); ++p) {
    const l3::InterfaceSpec& port_spec = *port_itf[p];
    std::vector<const l3::InterfaceSpec*> on_port;
    for (const l3::InterfaceSpec& s : network.interfaces) {
      if (&s == &port_spec || s.parent == port_spec.name) on_port.push_back(&s);
    }
    PortSpec& spec = ports[p];
    if (!spec.mac) spec.mac = port_spec.mac;
    uint16_t sources = 0;
    for (const l3::InterfaceSpec* s : on_port) {
      if (is_source(network, s->name)) ++sources;
      for (const l3::IpPrefix& a : s->addresses) {
        spec.multicast = spec.multicast || a.version() == wire::IpVersion::kV6;
      }
      if (s != &port_spec && s->mac && s->mac != spec.mac) spec.extra_macs.push_back(*s->mac);
    }
    // Queue 0 for everything else, then one per NTP source interface on this port.
    spec.rx_queues = options.steer_ntp ? static_cast<uint16_t>(1 + sources) : 1;
    auto port = std::make_unique<Port>();
    if (std::string e = port->open(spec); !e.empty()) {
      error = port_spec.name + ": " + e;
      return nullptr;
    }
    PortStatus status;
    status.name = port->name();
    status.driver = port->driver();
    status.mac = port->mac();
    status.rx_queues = port->rx_queue_count();
    status.rx_stamps = port->stamp_kind();
    status.tx_stamps = port->timesync_enabled();
    status.notes = port->notes();
    auto steering = std::make_unique<FlowSteering>();
    if (port->rx_queue_count() > 1) {
      std::vector<SteeringRule> rules;
      uint16_t queue = 1;
      for (const l3::InterfaceSpec* s : on_port) {
        if (is_source(network, s->name)) rules.push_back({s->vlan, queue++});
      }
      status.hardware_steering = steering->install(port->id(), rules, status.steering_note);
    } else {
      status.steering_note = options.steer_ntp ? "device has one RX queue" : "disabled";
    }
    macs.push_back(port->mac());
    dp->status_.push_back(status);
    dp->steering_.push_back(std::move(steering));
    dp->port_objects_.push_back(std::move(port));
  }

  l3::NetworkTables tables;
  if (std::string e = tables.build(network, macs); !e.empty()) {
    error = e;
    return nullptr;
  }
  dp->instance_ = instance;
  if (std::string e =
          dp->commands_.create("wt_cmd" + std::to_string(instance), options.command_ring_size);
      !e.empty()) {
    error = e;
    return nullptr;
  }
  if (std::string e =
          dp->departures_.create("wt_dep" + std::to_string(instance), options.departure_ring_size);
      !e.empty()) {
    error = e;
    return nullptr;
  }
  dp->events_.resize(l3::kMaxInterfaces);
  dp->ring_view_.assign(l3::kMaxInterfaces, nullptr);
  if (std::string e = dp->create_rings(tables.interfaces); !e.empty()) {
    error = e;
    return nullptr;
  }
  dp->port_ipv6_.assign(ports.size(), false);
  for (size_t p = 0; p < ports.size(); ++p) dp->port_ipv6_[p] = ports[p].multicast;
  dp->published_.publish(std::make_unique<const l3::NetworkTables>(tables));
  dp->tables_ = std::move(tables);
  std::vector<Port*> port_pointers;
  for (auto& p : dp->port_objects_) port_pointers.push_back(p.get());
  DataplaneLoopConfig loop;
  loop.announce_on_start = options.announce_on_start;
  loop.neighbors = options.neighbors;
  loop.server_interleaved_entries = options.server_interleaved_entries;
  loop.server_rate_limit_entries = options.server_rate_limit_entries;
  dp->loop_ = std::make_unique<DataplaneLoop>(loop, port_pointers, dp->published_, dp->commands_,
                                              dp->ring_view_, dp->departures_, dp->counters_);
  return dp;
}

std::string Dataplane::create_rings(const l3::InterfaceTable& interfaces) {
  for (const l3::Interface& itf : interfaces.all()) {
    if (events_[itf.index]) continue;
    auto ring = std::make_unique<SpscRing<DataplaneEvent>>();
    const std::string name = "wt_ev" + std::to_string(instance_) + "_" + std::to_string(itf.index);
    if (std::string e = ring->create(name, options_.event_ring_size); !e.empty()) {
      return itf.name + ": " + e;
    }
    ring_view_[itf.index] = ring.get();
    events_[itf.index] = std::move(ring);
  }
  return {};
}

std::string Dataplane::update_network(const l3::NetworkSpec& network) {
  const std::vector<l3::InterfaceIndex>& ports = tables_.interfaces.ports();
  if (l3::count_ports(network.interfaces) != ports.size()) {
    return "the ports are the inventory's: " + std::to_string(ports.size()) + " expected";
  }
  std::vector<wire::MacAddress> macs;
  for (size_t p = 0; p < ports.size(); ++p) {
    // The port's own MAC: an inventory override is in the spec again and applied by build().
    macs.push_back(port_objects_[p]->mac());
  }
  l3::NetworkTables next;
  if (std::string e = next.build(network, macs, &tables_); !e.empty()) return e;
  // Rings before the table naming them is published (the lcore reads ring_view_ by index).
  if (std::string e = create_rings(next.interfaces); !e.empty()) return e;
  for (const l3::Interface& itf : next.interfaces.all()) {
    if (!itf.has_ipv6 || port_ipv6_[itf.port]) continue;
    port_ipv6_[itf.port] = port_objects_[itf.port]->enable_multicast();
  }
  published_.publish(std::make_unique<const l3::NetworkTables>(next));
  tables_ = std::move(next);
  return {};
}

Dataplane::~Dataplane() {
  stop();
  loop_.reset();
  events_.clear();
  steering_.clear();  // flows before their ports
  port_objects_.clear();
}

unsigned Dataplane::poll_events(DataplaneEvent* out, unsigned n) {
  unsigned total = 0;
  const size_t rings = events_.size();
  for (size_t k = 0; k < rings && total < n; ++k) {
    const size_t i = (next_ring_ + k) % rings;
    if (events_[i]) total += events_[i]->pop_burst(out + total, n - total);
  }
  if (rings > 0) next_ring_ = (next_ring_ + 1) % rings;
  return total;
}

void Dataplane::run() {
  const timespec nap{0, static_cast<long>(options_.idle_sleep_us) * 1000};
  // Default timer slack (50 us) would stretch every nap; napping is about prompt wake-ups.
  if (options_.idle_sleep_us > 0) prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  while (!stop_.load(std::memory_order_relaxed)) {
    if (loop_->poll_once() || loop_->awaiting_reply()) continue;
    if (options_.idle_sleep_us > 0) {
      nanosleep(&nap, nullptr);
    } else {
      rte_pause();
    }
  }
}

PortLink Dataplane::link(uint16_t port) const {
  PortLink out;
  if (port >= port_objects_.size()) return out;
  const uint16_t id = port_objects_[port]->id();
  rte_eth_link link{};
  if (rte_eth_link_get_nowait(id, &link) == 0) out.up = link.link_status == RTE_ETH_LINK_UP;
  rte_eth_stats stats{};
  if (rte_eth_stats_get(id, &stats) == 0) {
    out.rx_errors = stats.ierrors + stats.rx_nombuf;
    out.tx_errors = stats.oerrors;
  }
  return out;
}

bool Dataplane::start(unsigned lcore) {
  stop_.store(false);
  const auto entry = [](void* self) {
    static_cast<Dataplane*>(self)->run();
    return 0;
  };
  if (rte_eal_remote_launch(entry, this, lcore) != 0) return false;
  lcore_ = lcore;
  return true;
}

void Dataplane::stop() {
  stop_.store(true);
  if (lcore_) rte_eal_wait_lcore(*lcore_);
  lcore_.reset();
}

}  // namespace wiretime::dpdk

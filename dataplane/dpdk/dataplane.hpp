// The dataplane facade the daemon builds: ports and queues for the configured interfaces, the
// L3 model (interfaces, VRFs, routes), one SPSC event ring per interface, one command ring,
// and the lcore loop. Control uses only this class:
//
//   auto dp = Dataplane::create(options, port_specs, network, error);   // after Eal::init
//   dp->start(lcore);                     // or dp->poll_once() from the control loop
//   dp->send(command);                    // TxCommand: routed NTP requests (server + VRF)
//   dp->update_network(network);          // a commit changed the L3 model: swap the tables
//   n = dp->poll_events(batch, 64);       // DataplaneEvents of every interface (fair)
//   dp->counters();                       // drop reasons, outcomes, hardware stamp counts
//   dp->stop();
//
// One control thread calls send/poll_events (single producer / single consumer rings).
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/dpdk/dataplane_loop.hpp"
#include "dataplane/dpdk/drop_reason.hpp"
#include "dataplane/dpdk/flow_steering.hpp"
#include "dataplane/dpdk/port.hpp"
#include "dataplane/dpdk/ring_records.hpp"
#include "dataplane/dpdk/spsc_ring.hpp"
#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/network_tables.hpp"
#include "dataplane/l3/routing_table.hpp"

namespace wiretime::dpdk {

struct DataplaneOptions {
  unsigned idle_sleep_us = 0;       // see DataplaneSection::idle_sleep_us
  unsigned event_ring_size = 1024;  // per interface, power of two
  unsigned command_ring_size = 256;
  unsigned departure_ring_size = 1024;  // served replies' departures, control -> lcore
  bool steer_ntp = true;  // per-interface RX queues with rte_flow where the PMD supports it
  bool announce_on_start = true;
  l3::NeighborCacheConfig neighbors;
  // The server's interleaved-mode store: 16 bytes per entry, 0 = basic mode only.
  size_t server_interleaved_entries = 4096;
  // The server's per-address rate table (`ntp discard`): 48 bytes per entry.
  size_t server_rate_limit_entries = server::RateLimiter::kDefaultEntries;
};

// How one port came up, for the log and `display` commands.
struct PortStatus {
  std::string name;
  std::string driver;
  wire::MacAddress mac;
  uint16_t rx_queues = 1;
  bool hardware_steering = false;  // rte_flow rules in place (else software classification)
  std::string steering_note;       // why not, from the PMD
  NicStampKind rx_stamps = NicStampKind::kNone;
  bool tx_stamps = false;  // IEEE 1588 timesync enabled
  std::string notes;
};

// Link state and error counters of one port, for `display interface brief`.
struct PortLink {
  bool up = false;
  uint64_t rx_errors = 0;  // ierrors + rx_nombuf
  uint64_t tx_errors = 0;
};

class Dataplane {
 public:
  // The EAL must be initialised. `ports[i]` opens the i-th port interface of `network` (those
  // without a parent, in order); PortSpec::mac is taken from the interface spec when unset.
  // nullptr with `error` set when anything fails (names the interface).
  static std::unique_ptr<Dataplane> create(const DataplaneOptions& options,
                                           std::vector<PortSpec> ports,
                                           const l3::NetworkSpec& network, std::string& error);
  ~Dataplane();
  Dataplane(const Dataplane&) = delete;
  Dataplane& operator=(const Dataplane&) = delete;

  // The control thread's copy of the tables last published (the same object across updates,
  // so references to it stay valid). Other threads read published_tables() with a reader slot.
  const l3::InterfaceTable& interfaces() const { return tables_.interfaces; }
  const l3::RoutingTable& routes() const { return tables_.routes; }
  l3::NetworkTablePublisher& published_tables() { return published_; }
  // Control thread, while the lcore runs: builds the tables of `network` from the current ones
  // (indices kept, l3::NetworkTables) and publishes them; the lcore takes them at its next pass.
  // A new interface gets its event ring here, a port whose interfaces gain IPv6 accepts
  // multicast. The ports (interfaces without a parent) must be those of create(). Error text,
  // and nothing changed, when the tables refuse `network`.
  std::string update_network(const l3::NetworkSpec& network);
  // Frees the tables the lcores are done with (call periodically; update_network does too).
  void reclaim_tables() { published_.reclaim(); }
  const std::vector<PortStatus>& ports() const { return status_; }
  // Read from the device (no wait for link negotiation); callable from the control thread
  // while the lcore runs. `port`: an Interface::port index.
  PortLink link(uint16_t port) const;

  // Control side. False when the command ring is full (the caller counts or retries).
  bool send(const TxCommand& command) { return commands_.push(command); }
  // The ring of one interface (what control drains for that interface's associations).
  unsigned poll_events(l3::InterfaceIndex interface, DataplaneEvent* out, unsigned n) {
    return events_[interface]->pop_burst(out, n);
  }
  // Events of all interfaces, starting after the interface served first last time.
  unsigned poll_events(DataplaneEvent* out, unsigned n);

  // The NTP server answers client requests from these (DataplaneLoop::attach_server); call
  // before start(). Both must outlive the dataplane.
  void attach_server(const clock::PublishedClock* clock, const server::PublishedServer* state) {
    loop_->attach_server(clock, state);
  }
  void attach_access(const server::PublishedAccess* access) { loop_->attach_access(access); }
  // The server's timestamps measured against the kernel's stamps of its frames (control's
  // packet-socket taps on net_af_packet ports): the port's advances of T2 and T3
  // (DataplaneLoop::set_server_advances), and a reply's true departure for the interleaved
  // store (false when the ring is full: the entry keeps the lcore's estimate).
  void set_server_advances(uint16_t port, int64_t rx_ticks, int64_t tx_ticks) {
    loop_->set_server_advances(port, rx_ticks, tx_ticks);
  }
  bool send_departure(const ServedDeparture& departure) { return departures_.push(departure); }
  // The kernel's ring of the requests arriving on `port` (net_af_packet), read by the lcore for
  // its requests' T2 (DataplaneLoop::attach_request_ring); before start(). Must outlive it.
  void attach_request_ring(uint16_t port, socket::PacketRxRing* ring) {
    loop_->attach_request_ring(port, ring);
  }
  // Its authentication keys (DataplaneLoop::attach_server_keys); before start().
  void attach_server_keys(server::ServerKeyPublisher* keys) { loop_->attach_server_keys(keys); }

  // Runs the loop on worker lcore `lcore` until stop(); false if it cannot be launched.
  bool start(unsigned lcore);
  void stop();
  // One pass of the loop on the calling thread (no worker lcore; tests).
  bool poll_once() { return loop_->poll_once(); }
  // A request is out and unanswered: run() does not nap (DataplaneLoop::awaiting_reply).
  bool awaiting_reply() const { return loop_->awaiting_reply(); }
  const DataplaneCounters& counters() const { return counters_; }
  // The server's tables as allocated (DataplaneOptions sizes them).
  size_t server_rate_table_entries() const { return loop_->server_rate_table_entries(); }
  size_t server_interleaved_entries() const { return loop_->server_interleaved_entries(); }
  // Any thread (telemetry): the command ring, then each interface's event ring (by index;
  // nullptr for an index no table has used yet).
  const SpscRing<TxCommand>& command_ring() const { return commands_; }
  const SpscRing<DataplaneEvent>* event_ring(l3::InterfaceIndex interface) const {
    return interface < ring_view_.size() ? ring_view_[interface] : nullptr;
  }

 private:
  Dataplane() = default;
  void run();
  // Event rings for every interface of `tables` that has none yet.
  std::string create_rings(const l3::InterfaceTable& interfaces);

  DataplaneOptions options_;
  std::vector<std::unique_ptr<Port>> port_objects_;
  std::vector<std::unique_ptr<FlowSteering>> steering_;
  std::vector<PortStatus> status_;
  l3::NetworkTables tables_;  // control's copy of the published tables
  l3::NetworkTablePublisher published_;
  std::vector<bool> port_ipv6_;  // a port carries IPv6 (its device accepts multicast)
  SpscRing<TxCommand> commands_;
  SpscRing<ServedDeparture> departures_;
  unsigned instance_ = 0;
  // By interface index, l3::kMaxInterfaces of them, never resized (the lcore holds ring_view_).
  std::vector<std::unique_ptr<SpscRing<DataplaneEvent>>> events_;
  std::vector<SpscRing<DataplaneEvent>*> ring_view_;
  DataplaneCounters counters_;
  std::unique_ptr<DataplaneLoop> loop_;
  std::atomic<bool> stop_{false};
  std::optional<unsigned> lcore_;
  size_t next_ring_ = 0;
};

const char* to_string(NicStampKind kind);
const char* to_string(StampSource source);

}  // namespace wiretime::dpdk

// The routed dataplane's lcore loop over every port and RX queue. It reads like a table of
// contents: rx burst -> timestamp -> classify (interface by port/VLAN, then ARP / ND / ICMP /
// NTP) -> respond in place (ARP, NA, echo; NTP client requests through the pure server stage,
// dataplane/server, the request's mbuf becoming the reply, sent in the same burst with T3 read
// right before the TX burst) or hand off (NTP replies, to the interface's ring);
// then TX commands from control -> route in the VRF -> resolve the next hop (holding the
// request while ARP/ND runs) -> build -> stamp T1 -> send; then timers (neighbour probes and
// ageing, NIC clock sampling, hardware TX stamps). Never blocks; no allocation, locks, system
// calls or logging per packet; every received frame ends in exactly one counter.
//
// The shape of DPDK's examples/l3fwd: this file holds only bursts, mbufs and queues; the
// per-frame decisions are pure and unit-tested without EAL: dataplane/rx (classification,
// counters, RX stamps, ring records, NIC clock regression) and dataplane/server (the reply).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "dataplane/clock/published_clock.hpp"
#include "dataplane/dpdk/port.hpp"
#include "dataplane/dpdk/spsc_ring.hpp"
#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/neighbor_cache.hpp"
#include "dataplane/l3/network_tables.hpp"
#include "dataplane/l3/routing_table.hpp"
#include "dataplane/rx/drop_reason.hpp"
#include "dataplane/rx/kernel_request_stamps.hpp"
#include "dataplane/rx/nic_clock_regression.hpp"
#include "dataplane/rx/ring_records.hpp"
#include "dataplane/rx/rx_classifier.hpp"
#include "dataplane/rx/rx_stamp.hpp"
#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/socket/packet_rx_ring.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::dpdk {

struct DataplaneLoopConfig {
  // Gratuitous ARP / unsolicited NA for every address at start, and for the interfaces a new
  // L3 table adds or changes.
  bool announce_on_start = true;
  l3::NeighborCacheConfig neighbors;
  // The server's interleaved-mode store (RFC 9769): 16 bytes per entry, allocated once here;
  // 0 answers every request in basic mode.
  size_t server_interleaved_entries = server::InterleavedStore::kDefaultEntries;
  // The server's per-address rate table (`ntp discard`): 48 bytes per entry, allocated once.
  size_t server_rate_limit_entries = server::RateLimiter::kDefaultEntries;
};

class DataplaneLoop {
 public:
  static constexpr uint16_t kBurst = 32;
  // Frames prefetched ahead of the one being handled (l3fwd's PREFETCH_OFFSET).
  static constexpr uint16_t kPrefetchOffset = 3;

  // Everything is owned elsewhere (the Dataplane facade) and outlives the loop. `tables` has a
  // table published; the loop reads the current one from the start of each pass to its end
  // (its quiescent point). `events` holds l3::kMaxInterfaces ring pointers by interface index,
  // never resized: a ring is set before any table naming its interface is published.
  // `departures`: the served replies' true departures, from control (ServedDeparture).
  DataplaneLoop(const DataplaneLoopConfig& config, std::vector<Port*> ports,
                l3::NetworkTablePublisher& tables, SpscRing<TxCommand>& commands,
                const std::vector<SpscRing<DataplaneEvent>*>& events,
                SpscRing<ServedDeparture>& departures, DataplaneCounters& counters);

  // One pass: RX on every queue, TX commands, timers. True if there was anything to do.
  bool poll_once();

  // Turns the NTP server on: requests are answered from `clock` (T2, T3) and `state` (system
  // variables, listening interfaces), both published by control. Call before the loop runs;
  // without it every client request is counted as disabled.
  void attach_server(const clock::PublishedClock* clock, const server::PublishedServer* state) {
    clock_ = clock;
    server_state_ = state;
  }
  // Access and rate control (dataplane/server/access_control.hpp), published by control.
  void attach_access(const server::PublishedAccess* access) { access_state_ = access; }
  // The server's authentication keys (dataplane/server/server_keys.hpp); call before the loop
  // runs. Without them a request carrying a MAC is refused (auth failed).
  void attach_server_keys(server::ServerKeyPublisher* keys) {
    server_keys_ = keys;
    server_keys_reader_ = keys != nullptr ? keys->register_reader() : 0;
  }

  // Any thread (control): the served timestamps of `port` are moved by these, in TSC ticks: T2
  // (a TSC stamp, not the NIC's) taken back by `rx_ticks`, a basic reply's T3 moved ahead by
  // `tx_ticks`, and with `tx_ticks` nonzero the interleaved store saves that T3 rather than the
  // TSC after the TX burst, until control corrects it (ServedDeparture). Control measures
  // both against the kernel's stamps of the frames where the PMD has none (net_af_packet);
  // zero, the default, leaves the TSC reads as they are.
  void set_server_advances(uint16_t port, int64_t rx_ticks, int64_t tx_ticks) {
    if (port >= advances_.size()) return;
    advances_[port].rx_ticks.store(rx_ticks, std::memory_order_relaxed);
    advances_[port].tx_ticks.store(tx_ticks, std::memory_order_relaxed);
  }

  // The kernel's ring of the requests arriving on `port` (net_af_packet; owned by control,
  // outliving the loop): a request found there gets the kernel's stamp of its arrival as T2
  // (rx::KernelRequestStamps), mapped onto the TSC by CLOCK_REALTIME/TSC pairs this loop reads
  // every 50 ms. Call before the loop runs.
  void attach_request_ring(uint16_t port, socket::PacketRxRing* ring) {
    if (port < request_stamps_.size()) request_stamps_[port].ring = ring;
  }
  // True while a request sent in the last kReplyWaitMs has had no reply yet. A runner that naps
  // when idle keeps spinning meanwhile: a reply landing mid-nap would be stamped (T4) late by up
  // to the nap plus the wake-up, a bias no filter removes. Costs ~1 ms of spin per exchange.
  bool awaiting_reply() const {
    return awaiting_replies_ > 0 && last_poll_tsc_ < reply_wait_end_tsc_;
  }
  static constexpr uint64_t kReplyWaitMs = 10;

  // The sizes the server's tables were allocated with (start-up log, tests).
  size_t server_rate_table_entries() const { return access_.limiter().capacity(); }
  size_t server_interleaved_entries() const { return interleaved_.capacity(); }

 private:
  struct PortClock {
    NicClockRegression rx;  // device clock -> TSC (kNicClock RX stamps)
    NicClockRegression tx;  // timesync clock -> TSC (IEEE 1588 TX stamps)
  };
  struct RequestStamps {
    socket::PacketRxRing* ring = nullptr;
    rx::KernelRequestStamps<socket::PacketRxRing> stamps;
    NicClockRegression clock;  // CLOCK_REALTIME -> TSC
    // Running mean (7/8 old) of the burst's TSC behind the kernel's stamp of the requests found
    // in the ring, in ticks: what a request not found is taken back by.
    int64_t lag_ticks = 0;
  };
  struct PendingReply {
    rte_mbuf* m = nullptr;
    server::ServeResult result;
    uint16_t interface = 0;
    wire::IpVersion family = wire::IpVersion::kV4;
  };
  struct Advances {
    std::atomic<int64_t> rx_ticks{0};
    std::atomic<int64_t> tx_ticks{0};
  };
  struct PendingTxStamp {
    bool active = false;
    uint64_t deadline_tsc = 0;
    DataplaneEvent event;  // the kNtpTransmitted event, re-sent as kNtpTransmitStamp
  };

  // RX.
  bool rx_stage(uint64_t now_tsc);
  // Decode, classify (pure, dataplane/rx) and carry the verdict out. True when it kept the mbuf
  // (it became a reply waiting in replies_).
  bool handle_frame(uint16_t port, rte_mbuf* m, uint64_t burst_tsc);
  void answer_echo(const l3::Interface& itf, bool ipv6);
  void to_control(const l3::Interface& itf, const rte_mbuf* m, uint16_t port, uint64_t burst_tsc);
  bool serve(const l3::Interface& itf, rte_mbuf* m, uint16_t port, uint64_t burst_tsc);
  // Stamps T3 into the burst's replies and sends them on `port`.
  void flush_replies(uint16_t port);
  rx::RxStamp rx_stamp(uint16_t port, const rte_mbuf* m, uint64_t burst_tsc);
  // A request's stamp: the NIC's, else the kernel's from the port's request ring, else the
  // burst's TSC taken back by the port's advance.
  rx::RxStamp request_stamp(uint16_t port, const rte_mbuf* m, uint64_t burst_tsc);
  void learn(const l3::Interface& itf, const rx::LearnNeighbor& neighbor, uint64_t now_tsc);

  // TX.
  bool tx_stage(uint64_t now_tsc);
  void execute(const TxCommand& command, uint64_t now_tsc);
  void send_routed_ntp(const TxCommand& command, uint64_t now_tsc);
  void send_ntp(const l3::Interface& itf, const wire::IpAddress& src, const wire::IpAddress& dst,
                const wire::MacAddress& dst_mac, const TxCommand& command);
  void send_probe(const l3::Interface& itf, const wire::IpAddress& neighbor, l3::ProbeKind kind,
                  const wire::MacAddress& mac);
  void announce();
  void announce(const l3::Interface& itf);
  void not_sent(const TxCommand& command, DropReason reason);
  rte_mbuf* alloc_tx(uint16_t port);
  // Appends `len` built bytes and sends; returns the TSC read right before the burst, 0 on failure.
  uint64_t finish_and_send(uint16_t port, rte_mbuf* m, size_t len);
  bool push_event(uint16_t interface, const DataplaneEvent& event, bool count_outcome);
  wire::EthernetSpec ethernet(const l3::Interface& itf, const wire::MacAddress& dst) const;

  // A newly published L3 table: neighbours of changed interfaces forgotten, the server's
  // interface view rebuilt, changed interfaces' addresses announced.
  void adopt_tables(const l3::NetworkTables* tables, bool announce_changes);

  // Timers.
  void timers(uint64_t now_tsc);
  void sample_clocks();
  void poll_tx_stamps(uint64_t now_tsc);
  void correct_departures();
  int64_t to_ns(uint64_t tsc) const {
    return static_cast<int64_t>(static_cast<double>(tsc) * ns_per_tick_);
  }

  DataplaneLoopConfig config_;
  std::vector<Port*> ports_;
  l3::NetworkTablePublisher& table_source_;
  size_t table_reader_ = 0;
  const l3::NetworkTables* tables_ = nullptr;  // this pass's
  const l3::InterfaceTable* interfaces_ = nullptr;
  const l3::RoutingTable* routes_ = nullptr;
  l3::NeighborRevisions revisions_;
  SpscRing<TxCommand>& commands_;
  const std::vector<SpscRing<DataplaneEvent>*>& events_;
  SpscRing<ServedDeparture>& departures_;
  DataplaneCounters& counters_;
  l3::NeighborCache<TxCommand> neighbors_;
  std::vector<PortClock> clocks_;
  std::vector<PendingTxStamp> tx_stamps_;      // per port: one timestamped request in flight
  std::vector<RequestStamps> request_stamps_;  // per port
  wire::FrameDecodeOptions decode_options_;
  wire::DecodedFrame decoded_;  // reused per frame: read layer records only under their flags
  wire::NdMessage nd_;
  double ns_per_tick_ = 1;
  uint64_t ticks_per_ms_ = 1;
  uint64_t next_timer_tsc_ = 0;
  uint64_t next_clock_sample_tsc_ = 0;
  uint64_t last_poll_tsc_ = 0;
  uint64_t reply_wait_end_tsc_ = 0;
  uint32_t awaiting_replies_ = 0;  // requests sent since the wait window opened, not yet answered
  uint16_t ip_identification_ = 0;
  bool announced_ = false;

  // Server.
  const clock::PublishedClock* clock_ = nullptr;
  const server::PublishedServer* server_state_ = nullptr;
  std::vector<server::ServerInterface> server_interfaces_;  // by interface index, kMaxInterfaces
  server::ServerSnapshot snapshot_;  // read once per burst that holds a request
  server::InterleavedStore interleaved_;
  const server::PublishedAccess* access_state_ = nullptr;
  server::AccessGate access_;  // its rate table is allocated once, at construction
  server::ServerKeyPublisher* server_keys_ = nullptr;
  size_t server_keys_reader_ = 0;
  server::ServerAuth auth_;         // this lcore's MAC contexts and the burst's key table
  uint64_t sign_ticks_ = 0;         // running mean of stamping + signing one reply, in TSC ticks
  std::vector<Advances> advances_;  // per port, set by control (set_server_advances)
  int64_t rx_advance_ = 0;          // this burst's port's, read with the server state
  int64_t tx_advance_ = 0;
  clock::ClockModel model_;
  bool burst_state_read_ = false;
  std::array<PendingReply, kBurst> replies_{};
  uint16_t reply_count_ = 0;
};

}  // namespace wiretime::dpdk

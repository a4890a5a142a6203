// What the daemon shows its monitoring: the clock, the servers, the packet counters and (DPDK
// backend) the dataplane, as plain values. The control thread fills one once a second
// (collect_metrics) and publishes it (SnapshotBox); the Prometheus textfile writer renders it
// (render_prometheus) and the DPDK telemetry commands read it from their own thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wiretime::daemon {

struct ClockMetrics {
  bool synchronized = false;
  int stratum = 16;
  std::string reference;  // system peer's address, "none"
  uint32_t reference_id = 0;
  std::string sync_state;         // RFC 5905 local clock state: NSET, FSET, SPIK, FREQ, SYNC
  double offset_seconds = 0;      // offset of the last clock update
  double frequency_ppm = 0;       // discipline's frequency correction
  double jitter_seconds = 0;      // system jitter (RMS of the combined offsets)
  double wander_ppm = 0;          // frequency wander
  double root_delay_seconds = 0;  // to the primary reference
  double root_dispersion_seconds = 0;
  double last_update_unix_seconds = 0;  // reference time; 0 before the first update
  double poll_seconds = 0;              // system poll interval
  int leap = 3;                         // leap indicator (3: unsynchronised)
  uint64_t updates = 0;                 // clock updates since start
  uint64_t steps = 0;                   // steps since start
};

struct ServerMetrics {
  std::string server;  // address (or domain name until it is resolved), as `display ntp sessions`
  uint32_t id = 0;     // association id
  std::string state;   // selection status: "system peer", "selected", "falseticker", ...
  bool system_peer = false;
  int stratum = 16;
  unsigned reach = 0;  // 8-bit reach register
  double poll_seconds = 0;
  double offset_seconds = 0;  // clock filter
  double delay_seconds = 0;
  double dispersion_seconds = 0;
  double jitter_seconds = 0;
  double root_delay_seconds = 0;
  double root_dispersion_seconds = 0;
  double last_sample_age_seconds = -1;  // -1: no accepted reply yet
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t accepted = 0;
};

// wiretime_ntp_packets_total{direction, result, interface}.
struct PacketCount {
  std::string direction;  // "tx", "rx"
  std::string result;     // tx: sent, failed; rx: received, dropped
  std::string interface;
  uint64_t value = 0;
};

struct NamedCount {
  std::string name;
  uint64_t value = 0;
};

struct RingMetrics {
  std::string name;  // "command", or the interface an event ring serves
  uint64_t used = 0;
  uint64_t size = 0;
};

// Only the DPDK backend has these.
struct DataplaneMetrics {
  bool present = false;
  uint64_t rx_frames = 0;
  uint64_t tx_frames = 0;
  std::vector<NamedCount> drops;  // per drop reason (RX and TX), snake_case names
  std::vector<RingMetrics> rings;
  double lcore_busy_seconds = 0;   // time in polling passes that found work
  double lcore_total_seconds = 0;  // time the lcore has been polling
  double lcore_busy_ratio = 0;     // busy / total over the last snapshot interval
};

struct MetricsSnapshot {
  double time_unix_seconds = 0;  // when the snapshot was taken (the daemon's clock)
  double start_unix_seconds = 0;
  std::string backend;  // "dpdk", "socket"
  std::string version;
  ClockMetrics clock;
  std::vector<ServerMetrics> servers;
  std::vector<PacketCount> packets;
  DataplaneMetrics dataplane;
};

// The control thread publishes, other threads read: an atomic shared_ptr swap, so a reader
// never waits for the writer and a snapshot lives as long as someone reads it. The lcore
// never touches it.
class SnapshotBox {
 public:
  void publish(std::shared_ptr<const MetricsSnapshot> s) {
    current_.store(std::move(s), std::memory_order_release);
  }
  std::shared_ptr<const MetricsSnapshot> read() const {
    return current_.load(std::memory_order_acquire);
  }

 private:
  std::atomic<std::shared_ptr<const MetricsSnapshot>> current_;
};

}  // namespace wiretime::daemon

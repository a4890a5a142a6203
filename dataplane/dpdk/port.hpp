// One DPDK ethdev port brought up for the dataplane: its own small mempool, one TX queue and
// one or more RX queues (queue 0 takes everything not steered elsewhere; further queues are
// for per-interface NTP steering), promiscuous mode off (we only want frames for our MACs,
// broadcasts and, with IPv6, multicast).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "dataplane/rx/rx_stamp.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::dpdk {

struct PortSpec {
  std::string devargs;                 // e.g. "net_af_packet0,iface=veth0"; probed if needed
  std::optional<uint16_t> port_index;  // instead of devargs: an already probed port
  // Enough for a poll-mode client; sized for --no-huge with a few MB of memory.
  unsigned mbufs = 2047;
  uint16_t rx_descriptors = 256;
  uint16_t tx_descriptors = 256;
  // RX queues wanted; fewer are configured when the device has fewer (see rx_queue_count()).
  uint16_t rx_queues = 1;
  std::optional<wire::MacAddress> mac;       // override of the port's MAC
  std::vector<wire::MacAddress> extra_macs;  // sub-interfaces with their own MAC
  bool multicast = false;                    // accept multicast (IPv6 neighbour discovery)
  bool timesync = true;                      // try IEEE 1588 timesync for TX stamps
};

// What the NIC RX timestamp of this port means.
// NicStampKind (what a port's RX stamps are): dataplane/rx/rx_stamp.hpp.

class Port {
 public:
  Port() = default;
  Port(const Port&) = delete;
  Port& operator=(const Port&) = delete;
  ~Port() { close(); }

  // Returns an empty string on success, else what went wrong.
  std::string open(const PortSpec& spec);
  void close();

  uint16_t id() const { return id_; }
  const std::string& name() const { return name_; }
  wire::MacAddress mac() const { return mac_; }
  rte_mempool* pool() const { return pool_; }

  const std::string& driver() const { return driver_; }
  uint16_t rx_queue_count() const { return rx_queues_; }
  NicStampKind stamp_kind() const { return stamp_kind_; }
  bool timesync_enabled() const { return timesync_; }
  // Notes on what the port could not do (MAC override refused, ...), for the log.
  const std::string& notes() const { return notes_; }
  // Accept multicast from now on (a commit gave an interface of this port IPv6): control
  // thread, while the lcore polls. False when the device refuses.
  bool enable_multicast();
  bool multicast() const { return multicast_; }

  uint16_t rx_burst(rte_mbuf** mbufs, uint16_t n) const {
    return rte_eth_rx_burst(id_, 0, mbufs, n);
  }
  uint16_t rx_burst(uint16_t queue, rte_mbuf** mbufs, uint16_t n) const {
    return rte_eth_rx_burst(id_, queue, mbufs, n);
  }
  // The device clock (kNicClock ports); false when the PMD cannot read it.
  bool read_clock(uint64_t& value) const;
  // The IEEE 1588 TX timestamp latched for the last timestamped frame, in ns of the device's
  // timesync clock; false when none is (yet) available.
  bool read_tx_timestamp(uint64_t& ns) const;
  // The timesync clock now (the timescale of read_tx_timestamp), in ns.
  bool read_timesync_clock(uint64_t& ns) const;
  uint16_t tx_burst(rte_mbuf** mbufs, uint16_t n) const {
    return rte_eth_tx_burst(id_, 0, mbufs, n);
  }

  // The NIC's RX timestamp of `m`, when the PMD registered the timestamp dynfield and flagged
  // this mbuf (drivers that stamp without advertising the offload, like net_pcap, included).
  std::optional<uint64_t> rx_timestamp(const rte_mbuf* m) const {
    if (timestamp_offset_ < 0 || (m->ol_flags & timestamp_flag_) == 0) return std::nullopt;
    return *RTE_MBUF_DYNFIELD(m, timestamp_offset_, const rte_mbuf_timestamp_t*);
  }
  bool rx_timestamp_registered() const { return timestamp_offset_ >= 0; }

 private:
  uint16_t id_ = 0;
  bool started_ = false;
  bool configured_ = false;
  std::string name_;
  std::string driver_;
  std::string notes_;
  bool multicast_ = false;
  uint16_t rx_queues_ = 1;
  NicStampKind stamp_kind_ = NicStampKind::kNone;
  bool timesync_ = false;
  wire::MacAddress mac_;
  rte_mempool* pool_ = nullptr;
  int timestamp_offset_ = -1;
  uint64_t timestamp_flag_ = 0;
};

}  // namespace wiretime::dpdk

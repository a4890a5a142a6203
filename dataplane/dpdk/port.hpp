// One DPDK ethdev port brought up for the dataplane: its own small mempool, one RX and one TX
// queue, promiscuous mode off (we only want frames for our MAC and broadcasts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::dpdk {

struct PortSpec {
  std::string devargs;                 // e.g. "net_af_packet0,iface=veth0"; probed if needed
  std::optional<uint16_t> port_index;  // instead of devargs: an already probed port
  // Enough for a poll-mode client; sized for --no-huge with a few MB of memory.
  unsigned mbufs = 2047;
  uint16_t rx_descriptors = 256;
  uint16_t tx_descriptors = 256;
};

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

  uint16_t rx_burst(rte_mbuf** mbufs, uint16_t n) const {
    return rte_eth_rx_burst(id_, 0, mbufs, n);
  }
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
  wire::MacAddress mac_;
  rte_mempool* pool_ = nullptr;
  int timestamp_offset_ = -1;
  uint64_t timestamp_flag_ = 0;
};

}  // namespace wiretime::dpdk

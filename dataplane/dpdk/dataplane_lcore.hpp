// The dataplane loop of one port: rx burst -> timestamp -> classify -> respond (ARP) or hand
// off (NTP replies) to control; then TX commands from control -> build -> stamp T1 -> send.
// No allocation, locks, system calls or logging per packet; every drop is counted by reason.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>

#include "dataplane/dpdk/drop_reason.hpp"
#include "dataplane/dpdk/port.hpp"
#include "dataplane/dpdk/ring_records.hpp"
#include "dataplane/dpdk/spsc_ring.hpp"
#include "dataplane/wire/frame_decoder.hpp"

namespace wiretime::dpdk {

struct DataplaneLcoreConfig {
  wire::Ipv4Address own_ip;
  uint16_t client_port = 0;    // replies to our requests arrive on this UDP port
  unsigned idle_sleep_us = 0;  // 0: busy-poll; see DataplaneSection::idle_sleep_us
};

class DataplaneLcore {
 public:
  static constexpr uint16_t kBurst = 32;

  DataplaneLcore(const DataplaneLcoreConfig& config, Port& port, SpscRing<TxCommand>& commands,
                 SpscRing<DataplaneEvent>& events, DataplaneCounters& counters);

  // One pass over both directions; returns whether there was anything to do.
  bool poll_once();
  // Runs poll_once until `stop` is set.
  void run(const std::atomic<bool>& stop);
  // Runs `run(stop)` on worker lcore `lcore`; false if it cannot be launched there.
  bool start_on_lcore(unsigned lcore, const std::atomic<bool>& stop);
  // Waits for the lcore started by start_on_lcore (after `stop` was set).
  void join();

 private:
  bool rx_stage();
  void classify(rte_mbuf* m, uint64_t rx_ticks);
  void respond_arp(const wire::ArpPacket& request);
  void handoff_reply(const wire::DecodedFrame& frame, const rte_mbuf* m, uint64_t rx_ticks);
  void handoff_neighbor(const wire::ArpPacket& arp);
  bool tx_stage();
  void execute(const TxCommand& command);
  rte_mbuf* alloc_tx();
  // Sends one built frame; returns the TSC read right before the burst (T1), or 0 on failure.
  uint64_t send(rte_mbuf* m);
  void push_event(const DataplaneEvent& event);

  DataplaneLcoreConfig config_;
  Port& port_;
  SpscRing<TxCommand>& commands_;
  SpscRing<DataplaneEvent>& events_;
  DataplaneCounters& counters_;
  wire::FrameDecodeOptions decode_options_;
  wire::DecodedFrame decoded_;  // reused: ~300 bytes, not worth a copy per packet
  uint16_t ip_identification_ = 0;
  const std::atomic<bool>* stop_ = nullptr;
  std::optional<unsigned> lcore_;
};

}  // namespace wiretime::dpdk

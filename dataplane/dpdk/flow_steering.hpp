// Per-interface RX queues by rte_flow: NTP (UDP port 123, either direction, IPv4 and IPv6) of
// one interface (port + VLAN) goes to that interface's queue, so a flood on one interface
// cannot starve another's NTP. All or nothing per port: when the PMD does not validate every
// rule (af_packet, pcap, ring have no flow support), none is installed and the dataplane
// classifies in software from queue 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <rte_flow.h>

namespace wiretime::dpdk {

struct SteeringRule {
  uint16_t vlan = 0;   // 0: untagged
  uint16_t queue = 0;  // destination RX queue
};

class FlowSteering {
 public:
  FlowSteering() = default;
  FlowSteering(const FlowSteering&) = delete;
  FlowSteering& operator=(const FlowSteering&) = delete;
  ~FlowSteering() { clear(); }

  // Validates every rule, then creates them. True when all are in place; false (with `why`
  // set to the PMD's message) when the port does not support them; nothing stays installed.
  bool install(uint16_t port, const std::vector<SteeringRule>& rules, std::string& why);
  void clear();
  size_t flows() const { return flows_.size(); }

 private:
  uint16_t port_ = 0;
  std::vector<rte_flow*> flows_;
};

}  // namespace wiretime::dpdk

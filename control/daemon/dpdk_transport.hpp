// The control loop's Transport over the DPDK dataplane: requests become TX commands on the
// lcore's ring, addressed to the next hop's MAC. The next hop (the server on-link, else the
// interface's gateway) is learnt from the ARP events the lcore hands over; while it is unknown
// a request is not sent and an ARP request goes out instead (the engine sees an unanswered
// poll, as it would on a lossy link). Pure: the ring is reached through `push`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "control/runtime/control_loop.hpp"
#include "dataplane/dpdk/ring_records.hpp"

namespace wiretime::daemon {

struct DpdkTransportConfig {
  wire::Ipv4Address own_ip;
  uint32_t own_mask = 0;  // host order
  std::optional<wire::Ipv4Address> gateway;
  uint16_t client_port = 0;
};

class DpdkTransport final : public runtime::Transport {
 public:
  using Push = std::function<bool(const dpdk::TxCommand&)>;

  DpdkTransport(const DpdkTransportConfig& config, Push push);

  bool send_request(const runtime::Peer& peer, const engine::SendRequest& request) override;
  void on_neighbor(wire::Ipv4Address ip, wire::MacAddress mac);

  wire::Ipv4Address next_hop(wire::Ipv4Address destination) const;
  std::optional<wire::MacAddress> neighbor(wire::Ipv4Address ip) const;
  uint64_t arp_requests() const { return arp_requests_; }
  uint64_t ring_full() const { return ring_full_; }

 private:
  struct Neighbor {
    wire::Ipv4Address ip;
    wire::MacAddress mac;
  };
  DpdkTransportConfig config_;
  Push push_;
  std::vector<Neighbor> neighbors_;
  uint64_t arp_requests_ = 0;
  uint64_t ring_full_ = 0;
};

}  // namespace wiretime::daemon

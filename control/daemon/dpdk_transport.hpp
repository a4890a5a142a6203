// The control loop's Transport over the routed DPDK dataplane (dpdk::Dataplane): a request
// becomes a routed TX command (server, VRF, optional source interface; the dataplane routes it,
// resolves the next hop by ARP or ND and stamps T1), and the dataplane's events become
// runtime::TransportEvents for ControlLoop::deliver: T1 reports, dropped requests, and replies
// with the provenance of their T4. It only moves bytes: the loop built and signed the request
// (the lcore writes the header wire::client_request_header gives for the command, which is the
// one the loop signed) and verifies each reply's MAC, which the ring record carries back
// (control/auth/README.md, "Where it runs"). Pure: the command ring is reached through `push`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "control/daemon/kernel_stamp_matcher.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/dpdk/ring_records.hpp"

namespace wiretime::daemon {

// How the dataplane took a stamp, as the engine names it (shown by `display` commands).
engine::TimestampSource timestamp_source(dpdk::StampSource stamp);

class DpdkTransport final : public runtime::Transport {
 public:
  using Push = std::function<bool(const dpdk::TxCommand&)>;

  // `client_port`: our UDP port; replies to any other port are not ours.
  DpdkTransport(uint16_t client_port, Push push);
  // Replies the dataplane stamped with the TSC take the kernel's stamps of the exchange from
  // `matcher` (fed by packet-socket taps) where it has both; `ticks_of_realtime` maps a kernel
  // CLOCK_REALTIME stamp onto the tick scale. `matcher` must outlive the transport.
  void use_kernel_stamps(const KernelStampMatcher* matcher,
                         std::function<uint64_t(UnixNanos)> ticks_of_realtime) {
    kernel_stamps_ = matcher;
    ticks_of_realtime_ = std::move(ticks_of_realtime);
  }

  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override;
  // Requests leave from `port` (none: the port given at construction) from the next one on;
  // the lcore decodes as NTP the port its last request left from, so replies follow.
  std::optional<std::string> set_source_port(std::optional<uint16_t> port) override {
    client_port_ = port.value_or(default_client_port_);
    return std::nullopt;
  }
  uint16_t client_port() const { return client_port_; }
  // Asks the dataplane to resolve the next hop towards `peer` ahead of the first poll.
  void prepare(const runtime::Peer& peer);
  // The loop's events for one event of the dataplane's rings (0, 1, or 2: a kernel-stamped
  // exchange first replaces the request's T1), valid while `event` is (a reply's MAC points
  // into it).
  using Events = std::array<runtime::TransportEvent, 2>;
  size_t translate(const dpdk::DataplaneEvent& event, Events& out);

  uint64_t ring_full() const { return ring_full_; }
  uint64_t other_port() const { return other_port_; }
  // Signed requests whose MAC does not fit the command record.
  uint64_t mac_too_long() const { return mac_too_long_; }
  // With kernel stamps in use: replies whose exchange got them, and replies that kept the TSC.
  uint64_t kernel_exchanges() const { return kernel_exchanges_; }
  uint64_t tsc_exchanges() const { return tsc_exchanges_; }

 private:
  uint16_t default_client_port_;
  uint16_t client_port_;
  Push push_;
  uint64_t mac_too_long_ = 0;
  uint64_t ring_full_ = 0;
  uint64_t other_port_ = 0;
  const KernelStampMatcher* kernel_stamps_ = nullptr;
  std::function<uint64_t(UnixNanos)> ticks_of_realtime_;
  uint64_t kernel_exchanges_ = 0;
  uint64_t tsc_exchanges_ = 0;
};

}  // namespace wiretime::daemon

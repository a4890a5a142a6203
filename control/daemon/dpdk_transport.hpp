// The control loop's Transport over the routed DPDK dataplane (dpdk::Dataplane): a request
// becomes a routed TX command (server, VRF, optional source interface; the dataplane routes it,
// resolves the next hop by ARP or ND and stamps T1), and the dataplane's events go back to the
// loop: T1 reports, dropped requests, and replies demultiplexed by (VRF, address, port) with
// the provenance of their T4. Keyed associations: control signs each request (the lcore writes
// a header that is a pure function of the command) and verifies each reply's MAC, which the
// ring record carries back (control/auth/README.md, "Where it runs"). Pure: the command ring
// is reached through `push`.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "control/auth/key_table.hpp"
#include "control/auth/ntp_mac.hpp"
#include "control/daemon/kernel_stamp_matcher.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/dpdk/ring_records.hpp"

namespace wiretime::daemon {

// How the dataplane took a stamp, as the engine names it (shown by `display` commands).
engine::TimestampSource timestamp_source(dpdk::StampSource stamp);

class DpdkTransport final : public runtime::Transport {
 public:
  using Push = std::function<bool(const dpdk::TxCommand&)>;

  // `client_port`: our UDP port; replies to any other port are not ours. `keys` (may be null:
  // no authentication) must outlive the transport.
  DpdkTransport(uint16_t client_port, Push push, const auth::KeyTable* keys = nullptr);
  // The loop events are delivered to (and whose keys sign requests, once attached).
  void attach(runtime::ControlLoop& loop) { loop_ = &loop; }
  // Replies the dataplane stamped with the TSC take the kernel's stamps of the exchange from
  // `matcher` (fed by packet-socket taps) where it has both; `ticks_of_realtime` maps a kernel
  // CLOCK_REALTIME stamp onto the tick scale. `matcher` must outlive the transport.
  void use_kernel_stamps(const KernelStampMatcher* matcher,
                         std::function<uint64_t(UnixNanos)> ticks_of_realtime) {
    kernel_stamps_ = matcher;
    ticks_of_realtime_ = std::move(ticks_of_realtime);
  }

  bool send_request(const runtime::Peer& peer, const engine::SendRequest& request) override;
  // Asks the dataplane to resolve the next hop towards `peer` ahead of the first poll.
  void prepare(const runtime::Peer& peer);
  // One event of the dataplane's rings.
  void deliver(const dpdk::DataplaneEvent& event);

  uint64_t ring_full() const { return ring_full_; }
  uint64_t other_port() const { return other_port_; }
  // Replies of keyed associations by verdict, and requests that could not be signed.
  uint64_t verdicts(auth::MacVerdict v) const { return verdicts_[static_cast<size_t>(v)]; }
  uint64_t sign_failures() const { return sign_failures_; }
  // With kernel stamps in use: replies whose exchange got them, and replies that kept the TSC.
  uint64_t kernel_exchanges() const { return kernel_exchanges_; }
  uint64_t tsc_exchanges() const { return tsc_exchanges_; }

 private:
  bool sign(uint32_t key_id, dpdk::TxCommand& command);
  auth::MacVerdict verify(const dpdk::DataplaneEvent& event, uint32_t key_id) const;

  uint16_t client_port_;
  Push push_;
  const auth::KeyTable* keys_;
  runtime::ControlLoop* loop_ = nullptr;
  std::array<uint64_t, static_cast<size_t>(auth::MacVerdict::kCount)> verdicts_{};
  uint64_t sign_failures_ = 0;
  uint64_t ring_full_ = 0;
  uint64_t other_port_ = 0;
  const KernelStampMatcher* kernel_stamps_ = nullptr;
  std::function<uint64_t(UnixNanos)> ticks_of_realtime_;
  uint64_t kernel_exchanges_ = 0;
  uint64_t tsc_exchanges_ = 0;
};

}  // namespace wiretime::daemon

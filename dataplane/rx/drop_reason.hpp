// Why the dataplane dropped a received frame or failed to send one, and what it did with the
// frames it kept. Every received frame ends in exactly one counter: a wire decode error, an RX
// drop reason, or an RX outcome (so their sum equals rx_frames). TX-side reasons count failed
// sends, which are not received frames.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "dataplane/server/latency_histogram.hpp"
#include "dataplane/server/server_counters.hpp"
#include "dataplane/wire/decode_error.hpp"
#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::dpdk {

enum class DropReason : uint8_t {
  kNotForUs,          // unicast to another MAC, or IP to another address
  kArpNotForUs,       // ARP request for another address
  kIpv6,              // legacy lcore: IPv6 is not served there
  kNotNtpReply,       // UDP/NTP that is not a server reply to our client port
  kNtpNotTimePacket,  // mode 6/7
  kEventRingFull,     // control did not keep up
  kTxMbufAlloc,       // TX: no mbuf for a reply or request
  kTxEncode,          // TX: encoder refused (buffer too small)
  kTxQueueFull,       // TX: tx burst did not take the frame
  // Routed dataplane additions.
  kNoInterface,           // port/VLAN with no interface configured (e.g. unknown VLAN)
  kMulticastNotJoined,    // multicast MAC or IPv6 group we do not listen to
  kUnknownProtocol,       // IP protocol that is neither UDP, ICMP nor ICMPv6
  kIcmpIgnored,           // ICMP/ICMPv6 other than echo request and ND (RA, MLD, ...)
  kIcmpBadEcho,           // echo request we will not answer (bad checksum, to multicast)
  kNdInvalid,             // NS/NA failing RFC 4861 section 7.1 checks (see nd_errors)
  kNdNotForUs,            // NS for another target
  kNtpRequestNotServed,   // client-mode request not answered (why: DataplaneCounters::server)
  kNtpUnexpectedMode,     // symmetric/broadcast modes
  kTxNoRoute,             // TX: routed request without a route in its VRF
  kTxNoSourceAddress,     // TX: egress interface has no address of the server's family
  kTxNeighborUnresolved,  // TX: next hop did not answer ARP/ND (or the cache was full)
  kTxHeldReplaced,        // TX: a newer request replaced one waiting for the same neighbour
  kCount,
};

std::string_view to_string(DropReason reason);
// True for reasons that end a received frame (false for the TX-side reasons).
bool is_rx_drop(DropReason reason);

// What the routed dataplane did with a received frame it did not drop.
enum class RxOutcome : uint8_t {
  kArpAnswered,        // ARP request for our address: answered (sender learned)
  kArpLearned,         // ARP reply to us: neighbour confirmed
  kArpGratuitous,      // gratuitous ARP: an existing entry refreshed
  kNdAnswered,         // NS for our address: NA sent
  kNdLearned,          // NA: neighbour learned or confirmed
  kIcmpEchoAnswered,   // ICMP / ICMPv6 echo reply sent
  kNtpReplyToControl,  // NTP server-mode packet handed to control
  kNtpRequestServed,   // NTP client request answered in place (server mode)
  kCount,
};
std::string_view to_string(RxOutcome outcome);

// NTP traffic of one interface (telemetry, Prometheus); written by the lcore like the rest.
struct InterfaceCounters {
  std::atomic<uint64_t> rx_frames{0};       // frames classified to this interface
  std::atomic<uint64_t> ntp_tx{0};          // NTP requests sent from it
  std::atomic<uint64_t> ntp_tx_failed{0};   // requests naming it as source that were not sent
  std::atomic<uint64_t> ntp_rx{0};          // NTP replies handed to control
  std::atomic<uint64_t> ntp_rx_dropped{0};  // NTP replies dropped: its event ring was full
};

// NTP packets the dataplane dropped before control saw them, by the reason `display ntp
// statistics packet` shows (a view over some DropReasons and the NTP decode errors, per family).
enum class NtpDrop : uint8_t {
  kInvalid,          // NTP decode error, mode 6/7, symmetric or broadcast mode
  kProcessingDelay,  // reply lost because control's event ring was full
  kCount,
};

// Written by one lcore, read by anyone: relaxed atomics are enough for statistics.
struct DataplaneCounters {
  // Interfaces with a higher index are counted only in the totals.
  static constexpr size_t kCountedInterfaces = 64;
  std::array<std::atomic<uint64_t>, wire::kDecodeErrorCount> decode{};
  std::array<std::atomic<uint64_t>, static_cast<size_t>(DropReason::kCount)> drop{};
  std::array<std::atomic<uint64_t>, static_cast<size_t>(RxOutcome::kCount)> outcome{};
  std::array<std::atomic<uint64_t>, wire::kNdErrorCount> nd_errors{};  // detail of kNdInvalid
  // [0] IPv4, [1] IPv6.
  std::array<std::array<std::atomic<uint64_t>, static_cast<size_t>(NtpDrop::kCount)>, 2>
      ntp_drops{};
  std::atomic<uint64_t> rx_frames{0};
  std::atomic<uint64_t> tx_frames{0};
  std::atomic<uint64_t> rx_hw_stamps{0};  // NTP replies with a NIC RX timestamp
  std::atomic<uint64_t> tx_hw_stamps{0};  // requests with a NIC TX timestamp
  // Served replies' departures control sent back (ServedDeparture), and those whose
  // interleaved-store entry was still there to take them.
  std::atomic<uint64_t> server_departures{0};
  std::atomic<uint64_t> server_departures_stored{0};
  // Requests served on ports with a kernel request ring (net_af_packet): T2 from the kernel's
  // stamp of the request, or from the TSC (not found in the ring, or its clock map not ready).
  std::atomic<uint64_t> server_t2_kernel{0};
  std::atomic<uint64_t> server_t2_tsc{0};
  // Every NTP client request, by outcome, interface and family: served ones are also counted
  // as RxOutcome::kNtpRequestServed, the others as DropReason::kNtpRequestNotServed.
  server::ServerCounters server;
  // Per reply, TSC ticks from its RX burst's read to the TX burst call, and to that call's
  // return (benchmarks; on net_af_packet the return includes the kernel's delivery).
  server::LatencyHistogram server_latency;
  server::LatencyHistogram server_tx_return;
  std::array<InterfaceCounters, kCountedInterfaces> interfaces{};
  // The lcore's polling passes: all of them and those that found work, with the TSC cycles
  // they took (busy ratio = busy cycles / cycles; naps count as idle).
  std::atomic<uint64_t> lcore_passes{0};
  std::atomic<uint64_t> lcore_busy_passes{0};
  std::atomic<uint64_t> lcore_cycles{0};
  std::atomic<uint64_t> lcore_busy_cycles{0};

  void count(DropReason r) { bump(drop[static_cast<size_t>(r)]); }
  void count(wire::DecodeError e) { bump(decode[static_cast<size_t>(e)]); }
  void count(RxOutcome o) { bump(outcome[static_cast<size_t>(o)]); }
  void count(NtpDrop d, bool ipv6) { bump(ntp_drops[ipv6 ? 1 : 0][static_cast<size_t>(d)]); }
  static void bump(std::atomic<uint64_t>& c) { add(c, 1); }
  static void add(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  InterfaceCounters* interface(size_t index) {
    return index < kCountedInterfaces ? &interfaces[index] : nullptr;
  }
  // decode errors + RX drops + outcomes: equals rx_frames once the lcore is idle.
  uint64_t rx_accounted() const;
};

}  // namespace wiretime::dpdk

// Why the dataplane dropped a received frame or failed to send one. Every drop path counts
// under exactly one reason; decode failures count under the wire codec's own reasons.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

#include "dataplane/wire/decode_error.hpp"

namespace wiretime::dpdk {

enum class DropReason : uint8_t {
  kNotForUs,          // unicast to another MAC, or IPv4 to another address
  kArpNotForUs,       // ARP request for another address
  kIpv6,              // IPv6 is not served yet
  kNotNtpReply,       // UDP/NTP that is not a server reply to our client port
  kNtpNotTimePacket,  // mode 6/7
  kEventRingFull,     // control did not keep up
  kTxMbufAlloc,       // no mbuf for a reply or request
  kTxEncode,          // encoder refused (buffer too small)
  kTxQueueFull,       // tx burst did not take the frame
  kCount,
};

std::string_view to_string(DropReason reason);

// Written by one lcore, read by anyone: relaxed atomics are enough for statistics.
struct DataplaneCounters {
  std::array<std::atomic<uint64_t>, wire::kDecodeErrorCount> decode{};
  std::array<std::atomic<uint64_t>, static_cast<size_t>(DropReason::kCount)> drop{};
  std::atomic<uint64_t> rx_frames{0};
  std::atomic<uint64_t> tx_frames{0};
  std::atomic<uint64_t> arp_replies{0};
  std::atomic<uint64_t> ntp_replies{0};

  void count(DropReason r) { bump(drop[static_cast<size_t>(r)]); }
  void count(wire::DecodeError e) { bump(decode[static_cast<size_t>(e)]); }
  static void bump(std::atomic<uint64_t>& c) {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

}  // namespace wiretime::dpdk

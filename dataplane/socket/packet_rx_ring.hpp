// A memory-mapped packet ring (PACKET_RX_RING, TPACKET_V2) on one Linux interface that receives
// a copy of every NTP client request arriving there, each with the kernel's stamp of its
// arrival. Opened by control at start (system calls); read by the lcore with plain loads and
// stores to the shared ring - peek() and release() make no system call - to date the requests
// it answers on net_af_packet ports (rx::KernelRequestStamps).
//
// The kernel stamps a frame as it enters the interface (netif_rx) when some socket asks for
// stamps; this one does (SO_TIMESTAMPNS), so the stamp is not taken later, at the ring copy,
// after a backlog. A classic BPF filter passes only UDP requests (NTP mode 3) over IPv4/IPv6
// and tagged frames; frames we send are not seen (PACKET_IGNORE_OUTGOING). One thread reads it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace wiretime::socket {

struct RingFrame {
  std::span<const uint8_t> bytes;  // from the Ethernet header, at most the ring's snap length
  uint64_t unix_ns = 0;            // the kernel's stamp, CLOCK_REALTIME
};

class PacketRxRing {
 public:
  // 256-byte slots hold the headers of any request (Ethernet, two tags, IPv6, UDP, NTP header)
  // after the ring's own frame header.
  static constexpr size_t kFrameBytes = 256;
  static constexpr size_t kBlockBytes = 4096;
  static constexpr size_t kDefaultFrames = 1024;  // 256 KiB

  // Needs CAP_NET_RAW. `frames`: a power of two, 16 or more. Null with `error` set on failure.
  static std::unique_ptr<PacketRxRing> open(const std::string& ifname, std::string& error,
                                            size_t frames = kDefaultFrames);
  PacketRxRing(const PacketRxRing&) = delete;
  PacketRxRing& operator=(const PacketRxRing&) = delete;
  ~PacketRxRing();

  // The i-th frame not yet released, nullopt when the kernel has not filled it (yet).
  std::optional<RingFrame> peek(size_t i) const;
  // Hands the first n frames back to the kernel.
  void release(size_t n);
  // CLOCK_REALTIME now (vDSO, no system call on x86-64): the lcore pairs it with the TSC to map
  // the stamps onto the TSC, as it does with a NIC's clock.
  static uint64_t realtime_ns();
  // Frames the kernel dropped because the ring was full (PACKET_STATISTICS; a system call,
  // control thread or shutdown only; resets the kernel's count).
  uint64_t take_drops();

  const std::string& ifname() const { return ifname_; }
  size_t frames() const { return frames_; }

 private:
  PacketRxRing(int fd, std::string ifname) : fd_(fd), ifname_(std::move(ifname)) {}
  uint8_t* slot(size_t index) const { return map_ + (index & (frames_ - 1)) * kFrameBytes; }

  int fd_ = -1;
  std::string ifname_;
  uint8_t* map_ = nullptr;
  size_t map_bytes_ = 0;
  size_t frames_ = 0;
  size_t head_ = 0;  // the oldest frame not yet released
};

}  // namespace wiretime::socket

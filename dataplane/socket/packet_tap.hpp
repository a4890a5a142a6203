// A packet-socket tap on one Linux interface: the kernel's software timestamps of the frames
// it sees leave (at the device's transmit taps) and arrive (at netif_rx), read without blocking.
// For DPDK's net_af_packet ports, whose PMD (22.11) keeps the kernel's stamps to itself: the tap
// sees the same frames, so their stamps can replace the TSC reads around the PMD's system
// calls. Transmitted frames reach the taps only when the PMD does not bypass the qdisc layer
// (`qdisc_bypass=0` on the vdev). A classic BPF filter keeps everything but UDP out.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::socket {

class PacketTap {
 public:
  using Sink = std::function<void(std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp)>;

  // Opens the tap on `ifname` (needs CAP_NET_RAW). Null with `error` set on failure.
  static std::unique_ptr<PacketTap> open(const std::string& ifname, std::string& error);
  PacketTap(const PacketTap&) = delete;
  PacketTap& operator=(const PacketTap&) = delete;
  ~PacketTap();

  // Hands every queued frame to `sink` (outgoing: we sent it), at most `max` of them; returns
  // how many. Frames the kernel could not stamp are skipped.
  size_t drain(const Sink& sink, size_t max = 256);
  const std::string& ifname() const { return ifname_; }

 private:
  PacketTap(int fd, std::string ifname) : fd_(fd), ifname_(std::move(ifname)) {}
  int fd_;
  std::string ifname_;
};

}  // namespace wiretime::socket

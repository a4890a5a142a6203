// The kernel's receive stamp of a client request, for its T2, on ports whose PMD has no RX stamps
// but whose frames the kernel stamps (net_af_packet): a memory-mapped packet ring on the port's
// Linux interface holds a copy of every request with the kernel's stamp of its arrival
// (socket::PacketRxRing), and the lcore reads it with plain loads - no system call.
//
// Why: the TSC read at the RX burst is late by wherever the request landed in the lcore's
// polling gap (a nap and its wake-up, tens of microseconds on a shared core) and by any time the
// kernel held it; a correction by the median lag leaves that spread in every T2. The kernel's
// stamp is taken as the frame enters the interface, where the client's kernel stamps its
// departure.
//
// The ring and the PMD's own ring receive the same frames in the same order, so the stamps are
// found by walking the ring in step with the requests: the request is matched by its key (who
// sent it, and its transmit timestamp), the frames before it are released with it. A frame the
// lcore never asks for (a request it did not serve, one the PMD dropped) is released when a
// later request is matched past it, or by age(). Pure: tests give it a ring of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::rx {

// One client request among the frames: its sender and the transmit timestamp it carries (the
// client's own; chronyd fills the low bits with random ones).
struct RequestKey {
  wire::IpAddress source;
  uint16_t source_port = 0;
  uint64_t transmit = 0;  // the raw 64-bit NTP timestamp, host order
  bool operator==(const RequestKey&) const = default;
};

// The key of an Ethernet frame that carries an NTP client request (mode 3) over UDP: IPv4, or
// IPv6 with UDP as the next header; up to two 802.1Q/802.1ad tags. nullopt for anything else,
// and for a frame cut short (never reads past `frame`).
std::optional<RequestKey> request_key(std::span<const uint8_t> frame);

// `Ring` has `peek(size_t i)`: the i-th frame not yet released as an optional of a record with
// `bytes` (a span from the Ethernet header, as far as the ring captured it) and `unix_ns` (the
// kernel's stamp, CLOCK_REALTIME), nullopt past the last frame the kernel has filled; and
// `release(size_t n)`, which hands the first n back to the kernel.
template <class Ring>
class KernelRequestStamps {
 public:
  // Frames looked at per request: the ring holds what arrived since the last burst, and the
  // request is among the first of them unless frames were not asked for.
  static constexpr size_t kScan = 32;

  // The kernel's stamp of the request `key`, the frames up to it released; nullopt (nothing
  // released) when it is not among the next kScan frames: the caller keeps its TSC stamp.
  std::optional<uint64_t> find(Ring& ring, const RequestKey& key) {
    for (size_t i = 0; i < kScan; ++i) {
      const auto frame = ring.peek(i);
      if (!frame) break;
      const std::optional<RequestKey> k = request_key(frame->bytes);
      if (!k || !(*k == key)) continue;
      ring.release(i + 1);
      released_ += i + 1;
      ++matched_;
      return frame->unix_ns;
    }
    ++missed_;
    return std::nullopt;
  }

  // Called every tick (1 ms): the frames that were in the ring at the last tick and are still
  // there are released. A request is served within a pass of its arrival, so anything that old
  // was not asked for; without this a ring the lcore stopped asking (service disabled) would
  // fill and the kernel would drop the copies of the next requests.
  void age(Ring& ring) {
    const size_t old = waiting_ > released_ ? waiting_ - released_ : 0;
    if (old != 0) {
      ring.release(old);
      aged_ += old;
    }
    released_ = 0;
    waiting_ = 0;
    while (waiting_ < kAgeCount && ring.peek(waiting_)) ++waiting_;
  }

  uint64_t matched() const { return matched_; }
  uint64_t missed() const { return missed_; }
  uint64_t aged() const { return aged_; }

 private:
  // Frames counted per tick at most: a ring fuller than this is drained over a few ticks.
  static constexpr size_t kAgeCount = 4096;
  size_t waiting_ = 0;   // frames in the ring at the last tick
  size_t released_ = 0;  // released by find() since
  uint64_t matched_ = 0;
  uint64_t missed_ = 0;
  uint64_t aged_ = 0;
};

}  // namespace wiretime::rx

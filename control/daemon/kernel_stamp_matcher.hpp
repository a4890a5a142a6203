// Pairs the kernel's stamps of NTP frames, as a packet-socket tap saw them (socket::PacketTap),
// with the exchanges the dataplane reports: our request is the outgoing client-mode frame whose
// transmit field (basic mode) or receive field (its interleaved nonce) the reply echoes as
// origin, the reply the incoming frame carrying that origin and the reply's transmit field. An
// exchange gets kernel stamps at both ends or at neither: a kernel T4 against a TSC T1 would trade
// one bias for another. Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::daemon {

struct TapRecord {
  bool outgoing = false;
  wire::NtpMode mode = wire::NtpMode::kClient;
  NtpTimestamp origin;
  NtpTimestamp receive;
  NtpTimestamp transmit;
  UnixNanos stamp = 0;  // the kernel's CLOCK_REALTIME stamp of the frame
  // The frame's IP addresses: the server's frames are ours only to or from our addresses (a
  // kernel process may serve NTP on the same device).
  wire::IpAddress source;
  wire::IpAddress destination;
};

// The NTP frame a tap saw, or nothing for any other frame (checksums are not verified: the
// frame is matched by its 64-bit fields, and the dataplane has judged it already).
std::optional<TapRecord> tap_record(std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp,
                                    uint16_t extra_ntp_port = 0);

class KernelStampMatcher {
 public:
  // The most recent frames kept: covers a full event batch of replies and their requests.
  static constexpr size_t kCapacity = 512;

  struct Exchange {
    NtpTimestamp cookie;  // our request's transmit field, as the control loop knows it
    UnixNanos t1 = 0;
    UnixNanos t4 = 0;
  };

  void add(const TapRecord& record);
  // The kernel's T1 and T4 of the exchange `reply` completes, if the tap saw both frames.
  std::optional<Exchange> exchange(const wire::NtpHeader& reply) const;
  // Whether any outgoing frame was seen: none means the PMD bypasses the kernel's taps.
  bool saw_outgoing() const { return saw_outgoing_; }

 private:
  std::array<TapRecord, kCapacity> records_{};
  size_t next_ = 0;
  size_t size_ = 0;
  bool saw_outgoing_ = false;
};

}  // namespace wiretime::daemon

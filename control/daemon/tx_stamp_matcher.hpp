// Pairs the kernel's transmit timestamps (socket error queue) with the requests they stamp.
// A stamp names its datagram by the looped-back packet (our request's cookie sits in it,
// whatever headers come before) and by the SOF_TIMESTAMPING_OPT_ID key. The packet is the
// primary match; the key only where the data is withheld, and then relative to the first key
// matched: a kernel counts from 0, a syscall-interposing simulator may start anywhere
// (issue 13 item 8). Pure: no system calls, so it is tested without a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::daemon {

class TxStampMatcher {
 public:
  struct Pending {
    uint32_t sequence = 0;  // UdpSocket::send()'s datagram number
    NtpTimestamp cookie;    // the request's transmit field
    UnixNanos before = 0;   // the clock read before sendto (fallback T1)
  };

  void sent(const Pending& p) {
    if (!first_sequence_) first_sequence_ = p.sequence;
    pending_.push_back(p);
  }
  // The request a stamp belongs to, removed from the pending list; none when it is no request
  // of ours still waiting (a duplicate, or one already reported with its fallback T1).
  std::optional<Pending> match(bool has_key, uint32_t key, std::span<const uint8_t> packet);
  // Every request still waiting, in sending order; the list is emptied.
  std::vector<Pending> take_all();
  size_t pending() const { return pending_.size(); }

 private:
  std::optional<Pending> take(size_t index);

  std::vector<Pending> pending_;
  // key - sequence, learnt from the first stamp matched by its packet or, failing that, from
  // the first stamp seen: the error queue is in sending order, so it stamps the first datagram
  // sent, even if that request was reported with its fallback T1 meanwhile.
  std::optional<uint32_t> key_offset_;
  std::optional<uint32_t> first_sequence_;
  bool seen_any_ = false;
};

}  // namespace wiretime::daemon

// Our NTP server's frames on a net_af_packet port, as the port's packet-socket tap saw them
// (socket::PacketTap, TapRecord): the kernel stamped each request as it arrived and each reply
// as it left, which is what the client's kernel stamps of the same frames pair with. Against
// the timestamps the lcore served (the reply's receive and transmit fields) this gives
// - the true departure of every reply, for the interleaved store (RFC 9769): fed back to the
//   lcore under the key its entry has, the reply's receive field (T2);
// - the lag of the lcore's T2 behind the kernel's RX stamp (its RX burst, after its nap and
//   wake-up) and of its T3 read before the kernel's TX stamp (the PMD's sendto in between):
//   the median of the recent ones (both have a long tail: a preempted lcore) is what the lcore
//   takes off T2 and adds to T3 (the advances);
// - the errors of what was served, for the shutdown line.
// The lcore already applies the advances: a served timestamp's error is the lag left after
// them, so the lag itself is that error plus the advance (the current one: the lcore takes a
// new value within a burst or two, and the median moves little per reply).
// Every time is on the served clock (the caller maps the kernel's stamps onto it). Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "control/daemon/kernel_stamp_matcher.hpp"
#include "dataplane/server/interleaved_store.hpp"
#include "dataplane/server/stamp_lag.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::daemon {

class ServedStamps {
 public:
  // Requests kept for their replies: a reply follows its request by the lcore's RX-to-TX
  // time, so a few bursts' worth suffice.
  static constexpr size_t kRequests = 128;
  // Departures kept to judge interleaved replies, which carry one from a poll ago.
  static constexpr size_t kDepartures = 4096;

  // A served reply as the kernel saw it leave.
  struct Reply {
    NtpTimestamp receive;    // its T2: the key of its interleaved-store entry
    NtpTimestamp kernel_tx;  // its true departure, for that entry
    bool interleaved = false;
    std::optional<int64_t> t2_error_ns;  // T2 - the kernel's RX stamp (its request was seen)
    std::optional<int64_t> t3_error_ns;  // T3 - the kernel's TX stamp of the reply it dates
  };

  // Served minus kernel, over the replies seen.
  struct Errors {
    uint64_t count = 0;
    int64_t sum_ns = 0;
    int64_t min_ns = 0;
    int64_t max_ns = 0;
    void add(int64_t ns);
    int64_t mean_ns() const { return count == 0 ? 0 : sum_ns / static_cast<int64_t>(count); }
  };

  // An incoming client request (mode 3) the kernel received at `kernel_rx`.
  void request(const TapRecord& request, NtpTimestamp kernel_rx);
  // An outgoing reply (mode 4) the kernel sent at `kernel_tx`: the lags and errors move.
  // Nothing for a kiss-o'-death (no T2, nothing stored for it).
  std::optional<Reply> reply(const TapRecord& reply, NtpTimestamp kernel_tx);

  // What the lcore takes off T2 and adds to T3 of a basic reply, in nanoseconds.
  int64_t rx_advance_ns() const { return rx_lag_.median_ns(); }
  int64_t tx_advance_ns() const { return tx_lag_.median_ns(); }

  uint64_t replies() const { return replies_; }
  const Errors& t2_errors() const { return t2_; }  // replies whose request was seen
  const Errors& t3_basic_errors() const { return t3_basic_; }
  const Errors& t3_interleaved_errors() const { return t3_interleaved_; }  // departure known
  // "N replies: T2 - kernel RX mean .., min .., max ..; ..." for the shutdown line.
  std::string summary() const;

 private:
  struct Request {
    NtpTimestamp origin;
    NtpTimestamp receive;
    NtpTimestamp transmit;
    NtpTimestamp kernel_rx;
  };
  const Request* find_request(NtpTimestamp origin) const;

  std::array<Request, kRequests> requests_{};
  size_t next_ = 0;
  size_t size_ = 0;
  server::InterleavedStore departures_{kDepartures};
  // A lag over 1 ms is a stall (the exchange's round trip is over 1 ms too), not a bias.
  server::StampLag rx_lag_{1'000'000};
  server::StampLag tx_lag_{1'000'000};
  uint64_t replies_ = 0;
  Errors t2_;
  Errors t3_basic_;
  Errors t3_interleaved_;
};

}  // namespace wiretime::daemon

// The walking skeleton's client association: resolve the next hop by ARP, poll one server
// every 2^poll s with a random cookie in the transmit field, and turn a matching reply into
// an offset/delay sample (RFC 5905 section 8). Pure: time comes in as values, randomness from
// a seeded generator, and the caller carries out the returned commands.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "dataplane/clock/clock_model.hpp"
#include "dataplane/dpdk/ring_records.hpp"
#include "dataplane/time/ntp_duration.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::daemon {

struct SkeletonClientConfig {
  wire::Ipv4Address own_ip;
  uint32_t own_mask = 0;  // host order
  std::optional<wire::Ipv4Address> gateway;
  wire::Ipv4Address server_ip;
  uint16_t server_port = 123;
  uint16_t client_port = 0;
  int poll_exponent = 6;  // may be negative (lab extension)
};

struct Sample {
  wire::Ipv4Address server;
  uint16_t server_port = 0;
  NtpTimestamp t1, t2, t3, t4;
  UnixNanos t4_utc = 0;
  NtpDuration offset;
  NtpDuration delay;
  uint8_t stratum = 0;
  dpdk::DataplaneEvent::RxStamp rx_stamp = dpdk::DataplaneEvent::RxStamp::kTsc;
};

// Why a reply was or was not turned into a sample.
enum class ReplyVerdict : uint8_t {
  kAccepted,
  kWrongSource,  // not from the server's address and port, or not to our port
  kNotServerMode,
  kNoRequestPending,      // nothing outstanding (a duplicate, or a reply after the timeout)
  kBogusOrigin,           // origin != our cookie: spoofed, stale or misdirected
  kTransmitUnknown,       // matched, but the dataplane has not reported T1 yet
  kKissOfDeath,           // stratum 0
  kServerUnsynchronized,  // leap indicator 3
  kZeroTimestamp,         // receive or transmit timestamp not set
  kCount,
};

std::string_view to_string(ReplyVerdict verdict);

struct ReplyResult {
  ReplyVerdict verdict = ReplyVerdict::kAccepted;
  std::optional<Sample> sample;
};

class SkeletonClient {
 public:
  static constexpr int64_t kArpRetryNs = 1'000'000'000;

  SkeletonClient(const SkeletonClientConfig& config, uint64_t seed);

  // The address whose MAC we need: the server on-link, else the gateway.
  wire::Ipv4Address next_hop() const { return next_hop_; }
  bool next_hop_resolved() const { return next_hop_mac_.has_value(); }

  // Call regularly with a monotonic time; returns what to send now, if anything: an ARP
  // request each second until the next hop is known, then a request every poll interval.
  std::optional<dpdk::TxCommand> on_timer(int64_t now_ns);
  void on_neighbor(wire::Ipv4Address ip, wire::MacAddress mac);
  void on_transmitted(NtpTimestamp cookie, uint64_t t1_ticks);
  ReplyResult on_reply(const dpdk::DataplaneEvent& reply, const clock::ClockModel& model);

  uint64_t requests_sent() const { return requests_; }
  uint64_t requests_unanswered() const { return unanswered_; }

 private:
  int64_t poll_interval_ns() const;
  NtpTimestamp new_cookie();

  SkeletonClientConfig config_;
  wire::Ipv4Address next_hop_;
  std::optional<wire::MacAddress> next_hop_mac_;
  std::mt19937_64 random_;
  std::optional<int64_t> next_arp_ns_;
  std::optional<int64_t> next_poll_ns_;
  // The outstanding request: only one at a time, as a new poll supersedes the old one.
  std::optional<NtpTimestamp> pending_cookie_;
  std::optional<uint64_t> pending_t1_ticks_;
  uint64_t requests_ = 0;
  uint64_t unanswered_ = 0;
};

}  // namespace wiretime::daemon

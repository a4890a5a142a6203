// A received frame's timestamp, pure: what the port's PMD stamped (if anything) turned into the
// record's provenance and value, and a request's T2 from it. The lcore reads the raw stamp from
// the mbuf and the TSC at the burst; everything after that is arithmetic, tested without EAL.
#pragma once

#include <cstdint>
#include <optional>

#include "dataplane/clock/clock_model.hpp"
#include "dataplane/rx/nic_clock_regression.hpp"
#include "dataplane/rx/ring_records.hpp"
#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::dpdk {

// What a port's RX timestamps are (Port::stamp_kind()).
enum class NicStampKind : uint8_t {
  kNone,       // no stamps: the TSC at the burst is T4
  kUtcMicros,  // net_pcap: the capture time in microseconds since the Unix epoch
  kNicClock,   // mlx5/ice style: the device clock, also readable with rte_eth_read_clock
};

}  // namespace wiretime::dpdk

namespace wiretime::rx {

struct RxStamp {
  dpdk::StampSource source = dpdk::StampSource::kTsc;
  uint64_t ticks = 0;  // TSC scale (kTsc, kNicTsc)
  int64_t utc_ns = 0;  // kNicUtc: Unix nanoseconds
};

// The frame's stamp: the NIC's where the port has one (`raw`; a device clock is mapped onto
// the TSC by `nic_clock`, once that has its pairs), else the TSC read at the burst.
inline RxStamp rx_stamp(uint64_t burst_tsc, const std::optional<uint64_t>& raw,
                        dpdk::NicStampKind kind, const dpdk::NicClockRegression& nic_clock) {
  RxStamp s;
  s.ticks = burst_tsc;
  if (!raw) return s;
  switch (kind) {
    case dpdk::NicStampKind::kUtcMicros:
      s.source = dpdk::StampSource::kNicUtc;
      s.utc_ns = static_cast<int64_t>(*raw) * 1000;
      break;
    case dpdk::NicStampKind::kNicClock:
      if (const auto tsc = nic_clock.to_tsc(*raw)) {
        s.source = dpdk::StampSource::kNicTsc;
        s.ticks = *tsc;
      }
      break;
    case dpdk::NicStampKind::kNone:
      break;
  }
  return s;
}

// T2 of the `index`-th request answered in a burst. Requests of one burst share its TSC: one
// 2^-32 s step per reply keeps every T2 unique, so each names one entry of the interleaved
// store.
inline NtpTimestamp request_receive_time(const RxStamp& stamp, const clock::ClockModel& model,
                                         uint16_t index) {
  const NtpTimestamp t = stamp.source == dpdk::StampSource::kNicUtc
                             ? NtpTimestamp::from_unix_nanos(stamp.utc_ns)
                             : model.ntp(stamp.ticks);
  return NtpTimestamp::from_raw(t.raw() + index);
}

}  // namespace wiretime::rx

// A fixed-size latency histogram for the hot path: log-linear buckets (32 per power of two, so
// a bucket is at most 1/32 = 3.1 % wide relative to its value; exact below 32), counters
// written by one thread with relaxed load + store (no read-modify-write, no lock, no
// allocation), read by anyone. Units are the caller's (the lcore records TSC ticks, the load
// generator nanoseconds); readers convert. Values past 2^kMaxExponent units share the last
// bucket, and the exact maximum is kept beside.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wiretime::server {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBits = 5;  // 32 buckets per power of two
  static constexpr unsigned kSub = 1u << kSubBits;
  static constexpr unsigned kMaxExponent = 40;  // 2^40 ticks: minutes at a few GHz
  static constexpr size_t kBuckets = (kMaxExponent - kSubBits + 2) * kSub;

  static constexpr size_t bucket(uint64_t v) {
    if (v < kSub) return static_cast<size_t>(v);
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(v));
    if (msb > kMaxExponent) return kBuckets - 1;
    const unsigned shift = msb - kSubBits;
    return static_cast<size_t>((msb - kSubBits + 1) * kSub + ((v >> shift) & (kSub - 1)));
  }
  // The smallest value of bucket `b` (and of the next one: its upper bound).
  static constexpr uint64_t lower_bound(size_t b) {
    if (b < kSub) return b;
    const unsigned octave = static_cast<unsigned>(b / kSub);  // >= 1
    const uint64_t sub = b % kSub;
    return (uint64_t{kSub} + sub) << (octave - 1);
  }

  // `count` requests that each took `v`.
  void record(uint64_t v, uint64_t count = 1) {
    bump(counts_[bucket(v)], count);
    bump(total_, count);
    if (v > max_.load(std::memory_order_relaxed)) max_.store(v, std::memory_order_relaxed);
  }

  uint64_t count(size_t b) const { return counts_[b].load(std::memory_order_relaxed); }
  uint64_t total() const { return total_.load(std::memory_order_relaxed); }
  uint64_t max() const { return max_.load(std::memory_order_relaxed); }

  // The value below which a fraction `q` (0..1] of the recorded values lie: the upper bound of
  // the bucket holding that rank (never below the true quantile; at most one bucket above),
  // capped at the maximum. 0 when empty.
  uint64_t quantile(double q) const {
    const uint64_t n = total();
    if (n == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(n) + 0.5);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    uint64_t seen = 0;
    for (size_t b = 0; b < kBuckets; ++b) {
      seen += count(b);
      if (seen >= rank) {
        const uint64_t upper = b + 1 < kBuckets ? lower_bound(b + 1) - 1 : max();
        return upper < max() ? upper : max();
      }
    }
    return max();
  }

  void reset() {
    for (auto& c : counts_) c.store(0, std::memory_order_relaxed);
    total_.store(0, std::memory_order_relaxed);
    max_.store(0, std::memory_order_relaxed);
  }

 private:
  static void bump(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  std::array<std::atomic<uint64_t>, kBuckets> counts_{};
  std::atomic<uint64_t> total_{0};
  std::atomic<uint64_t> max_{0};
};

// "server latency (WHAT): N replies, p50 x us, p99 ..., max ..." for logs; `units_per_us`
// converts the recorded unit (TSC ticks per microsecond for the lcore's histogram).
std::string latency_summary(const LatencyHistogram& h, double units_per_us, const char* what);

}  // namespace wiretime::server

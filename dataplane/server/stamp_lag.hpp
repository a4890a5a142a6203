// How far a served timestamp is from the kernel's stamp of the same frame: the time from the
// server's clock read to the kernel's transmit stamp of the reply (T3), or from the kernel's
// receive stamp of the request to the server's read (T2). A running mean and the median of
// the recent lags (what the next reply's timestamp is moved by), and totals for the shutdown
// line. Pure.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace wiretime::server {

class StampLag {
 public:
  // Lags the median is taken over.
  static constexpr size_t kWindow = 64;

  // A lag over `max_followed_ns` met a descheduled thread: not what the next reply will see,
  // so it moves neither the mean nor the median (it is still counted).
  explicit StampLag(int64_t max_followed_ns = 10'000'000) : max_followed_ns_(max_followed_ns) {}

  void add(int64_t lag_ns);
  // 7/8 old + 1/8 new, the first lag setting it.
  int64_t mean_ns() const { return mean_ns_; }
  // The median of the last kWindow followed lags (0 before any): unlike the mean, not pulled
  // by the tail a preempted thread adds to a lag now and then.
  int64_t median_ns() const;
  uint64_t count() const { return count_; }
  int64_t total_mean_ns() const { return count_ == 0 ? 0 : sum_ns_ / static_cast<int64_t>(count_); }
  int64_t max_ns() const { return max_ns_; }

 private:
  int64_t max_followed_ns_;
  int64_t mean_ns_ = 0;
  uint64_t count_ = 0;
  int64_t sum_ns_ = 0;
  int64_t max_ns_ = 0;
  std::array<int64_t, kWindow> window_{};
  size_t window_size_ = 0;
  size_t window_next_ = 0;
};

// "12.3 us" (signed when negative), for log lines of lags and stamp errors.
std::string format_us(int64_t ns);

}  // namespace wiretime::server

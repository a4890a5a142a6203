#include "dataplane/server/stamp_lag.hpp"

#include <algorithm>
#include <cstdio>

namespace wiretime::server {

void StampLag::add(int64_t lag_ns) {
  ++count_;
  sum_ns_ += lag_ns;
  max_ns_ = count_ == 1 ? lag_ns : std::max(max_ns_, lag_ns);
  if (lag_ns < 0 || lag_ns > max_followed_ns_) return;
  mean_ns_ = mean_ns_ == 0 ? lag_ns : (7 * mean_ns_ + lag_ns) / 8;
  window_[window_next_] = lag_ns;
  window_next_ = (window_next_ + 1) % kWindow;
  window_size_ = std::min(window_size_ + 1, kWindow);
}

int64_t StampLag::median_ns() const {
  if (window_size_ == 0) return 0;
  std::array<int64_t, kWindow> sorted = window_;
  const auto end = sorted.begin() + static_cast<std::ptrdiff_t>(window_size_);
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(window_size_ / 2);
  std::nth_element(sorted.begin(), middle, end);
  return *middle;
}

std::string format_us(int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f us", static_cast<double>(ns) / 1000.0);
  return text;
}

}  // namespace wiretime::server

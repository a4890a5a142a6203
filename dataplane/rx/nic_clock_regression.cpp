#include "dataplane/rx/nic_clock_regression.hpp"

#include <cmath>

namespace wiretime::dpdk {

void NicClockRegression::add(uint64_t nic, uint64_t tsc) {
  if (count_ > 0) {
    const size_t last = (next_ + kWindow - 1) % kWindow;
    if (nic <= nic_[last] || tsc <= tsc_[last]) count_ = 0;
  }
  nic_[next_] = nic;
  tsc_[next_] = tsc;
  next_ = (next_ + 1) % kWindow;
  if (count_ < kWindow) ++count_;
  if (count_ >= 2) fit();
}

void NicClockRegression::fit() {
  const size_t newest = (next_ + kWindow - 1) % kWindow;
  nic0_ = nic_[newest];
  const uint64_t t0 = tsc_[newest];
  // Offsets from the newest pair are small integers: exact in double, no cancellation.
  double sx = 0, sy = 0;
  for (size_t k = 0; k < count_; ++k) {
    const size_t i = (newest + kWindow - k) % kWindow;
    sx += -static_cast<double>(nic0_ - nic_[i]);
    sy += -static_cast<double>(t0 - tsc_[i]);
  }
  const double n = static_cast<double>(count_);
  const double mx = sx / n, my = sy / n;
  double sxx = 0, sxy = 0;
  for (size_t k = 0; k < count_; ++k) {
    const size_t i = (newest + kWindow - k) % kWindow;
    const double x = -static_cast<double>(nic0_ - nic_[i]) - mx;
    const double y = -static_cast<double>(t0 - tsc_[i]) - my;
    sxx += x * x;
    sxy += x * y;
  }
  if (sxx <= 0) return;
  slope_ = sxy / sxx;
  // Line through the centroid, expressed at nic0.
  tsc0_ = t0;
  tsc0_offset_ = my - slope_ * mx;
}

std::optional<uint64_t> NicClockRegression::to_tsc(uint64_t nic) const {
  if (!ready()) return std::nullopt;
  const double dx =
      nic >= nic0_ ? static_cast<double>(nic - nic0_) : -static_cast<double>(nic0_ - nic);
  const double delta = tsc0_offset_ + slope_ * dx;
  if (!std::isfinite(delta) || (delta < 0 && -delta > static_cast<double>(tsc0_))) {
    return std::nullopt;
  }
  return static_cast<uint64_t>(static_cast<int64_t>(tsc0_) + std::llround(delta));
}

}  // namespace wiretime::dpdk

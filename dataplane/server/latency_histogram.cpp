#include "dataplane/server/latency_histogram.hpp"

#include <cstdio>

namespace wiretime::server {

std::string latency_summary(const LatencyHistogram& h, double units_per_us, const char* what) {
  if (h.total() == 0) return std::string("server latency (") + what + "): no replies";
  const auto us = [&](uint64_t v) { return static_cast<double>(v) / units_per_us; };
  char line[256];
  std::snprintf(line, sizeof line,
                "server latency (%s): %llu replies, p50 %.2f us, p99 %.2f us, p99.9 %.2f us, "
                "max %.2f us",
                what, static_cast<unsigned long long>(h.total()), us(h.quantile(0.5)),
                us(h.quantile(0.99)), us(h.quantile(0.999)), us(h.max()));
  return line;
}

}  // namespace wiretime::server

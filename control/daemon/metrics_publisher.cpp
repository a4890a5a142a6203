#include "control/daemon/metrics_publisher.hpp"

#include "control/daemon/metrics_collect.hpp"

#ifndef WIRETIME_VERSION
#define WIRETIME_VERSION "unknown"
#endif

namespace wiretime::daemon {

MetricsPublisher::MetricsPublisher(const config::LogSection& log, std::string backend,
                                   UnixNanos start_utc)
    : backend_(std::move(backend)),
      start_utc_(start_utc),
      textfile_(log.metrics_textfile, int64_t{log.metrics_interval_s} * 1'000'000'000) {}

void MetricsPublisher::poll(const runtime::ControlLoop& loop, int64_t monotonic_ns, UnixNanos utc,
                            const DaemonLog& log) {
  if (monotonic_ns < next_ns_) return;
  next_ns_ = monotonic_ns + 1'000'000'000;
  auto snapshot = std::make_shared<MetricsSnapshot>();
  snapshot->backend = backend_;
  snapshot->version = WIRETIME_VERSION;
  snapshot->start_unix_seconds = static_cast<double>(start_utc_) / 1e9;
  collect_metrics(loop.status(), utc, *snapshot);
  if (extra_) extra_(*snapshot);
  if (textfile_.due(monotonic_ns)) {
    std::string e = textfile_.write(*snapshot, monotonic_ns);
    // One message per distinct failure, and one when it works again: no log flood.
    if (e != last_error_) {
      if (!e.empty()) {
        log.warning("metrics textfile: " + e);
      } else {
        log.info("metrics textfile " + textfile_.path() + " written again");
      }
      last_error_ = e;
    }
  }
  box_.publish(std::move(snapshot));
}

}  // namespace wiretime::daemon

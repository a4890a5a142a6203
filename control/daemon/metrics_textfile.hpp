// The node_exporter textfile convention: the Prometheus text of the daemon's metrics in a
// `.prom` file, rewritten every `interval` by the control thread as a whole (written to
// PATH.tmp, then renamed over PATH), so a scrape never reads half a file.
#pragma once

#include <cstdint>
#include <string>

#include "control/daemon/metrics_snapshot.hpp"

namespace wiretime::daemon {

class MetricsTextfile {
 public:
  // Empty path: disabled (due() is never true).
  MetricsTextfile(std::string path, int64_t interval_ns)
      : path_(std::move(path)), interval_ns_(interval_ns) {}

  bool enabled() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  bool due(int64_t monotonic_ns) const { return enabled() && monotonic_ns >= next_ns_; }
  // Renders and writes; schedules the next write. An error message (the file is left as it was).
  std::string write(const MetricsSnapshot& snapshot, int64_t monotonic_ns);

 private:
  std::string path_;
  int64_t interval_ns_;
  int64_t next_ns_ = 0;
};

// Writes `text` to `path` atomically (PATH.tmp, fsync-free rename). Empty string on success.
std::string write_file_atomically(const std::string& path, const std::string& text);

}  // namespace wiretime::daemon

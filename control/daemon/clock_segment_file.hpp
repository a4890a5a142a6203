// The shared-memory clock's file: created (or taken over from an earlier run) with mode 0644,
// sized to one segment and mapped read-write by the daemon; applications map it read-only
// through include/wiretime/clock_reader.h.
#pragma once

#include <memory>
#include <string>

#include "include/wiretime/clock_segment.h"

namespace wiretime::daemon {

class ClockSegmentFile {
 public:
  // nullptr and `error` set when the file cannot be created or mapped.
  static std::unique_ptr<ClockSegmentFile> open(const std::string& path, std::string& error);
  ~ClockSegmentFile();
  ClockSegmentFile(const ClockSegmentFile&) = delete;
  ClockSegmentFile& operator=(const ClockSegmentFile&) = delete;

  wt_clock_segment* segment() { return segment_; }
  const std::string& path() const { return path_; }

 private:
  ClockSegmentFile(std::string path, wt_clock_segment* segment)
      : path_(std::move(path)), segment_(segment) {}
  std::string path_;
  wt_clock_segment* segment_;
};

// clock.shm-path, or clock.shm beside the management socket when it is empty.
std::string clock_segment_path(const std::string& configured, const std::string& mgmt_socket);

}  // namespace wiretime::daemon

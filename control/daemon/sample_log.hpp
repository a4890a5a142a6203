// One line per sample, for people and for scripts (key=value after a UTC time stamp):
//   2025-11-27T20:41:02.123456789Z sample server=198.18.0.1:123 offset_ns=-1234
//   delay_ns=45678 stratum=1 rx_stamp=tsc
#pragma once

#include <cstdio>
#include <string>

#include "control/daemon/skeleton_client.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::daemon {

// RFC 3339 UTC with nanoseconds.
std::string format_utc(UnixNanos t);
std::string format_ipv4(wire::Ipv4Address a);
std::string format_sample(const Sample& s);

// Writes sample lines to stdout and, when configured, appends them to a file (flushed per line
// so that a test or an operator tailing it sees each sample at once).
class SampleLog {
 public:
  SampleLog() = default;
  SampleLog(const SampleLog&) = delete;
  SampleLog& operator=(const SampleLog&) = delete;
  ~SampleLog();

  // Empty string on success, else the reason.
  std::string open(const std::string& path);
  void write(const Sample& s);

 private:
  std::FILE* file_ = nullptr;
};

}  // namespace wiretime::daemon

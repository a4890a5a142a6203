// An append-only text log for people and scripts: a header of '#' lines once, then one line per
// record, flushed per line so that an operator or a test tailing it sees each record at once.
// Control thread only. Timestamps in the lines: dataplane/time/utc_text.hpp.
#pragma once

#include <cstdio>
#include <string>

#include "dataplane/time/utc_text.hpp"

namespace wiretime::daemon {

class LineFile {
 public:
  LineFile() = default;
  LineFile(const LineFile&) = delete;
  LineFile& operator=(const LineFile&) = delete;
  ~LineFile();

  // Opens `path` for appending and writes `header` if the file is new or empty. Empty string
  // on success, else the reason.
  std::string open(const std::string& path, const std::string& header);
  bool is_open() const { return file_ != nullptr; }
  void write_line(const std::string& line);

 private:
  std::FILE* file_ = nullptr;
};

}  // namespace wiretime::daemon

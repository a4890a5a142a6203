#include "control/daemon/log_file.hpp"

#include <cerrno>
#include <cstring>

namespace wiretime::daemon {

LineFile::~LineFile() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string LineFile::open(const std::string& path, const std::string& header) {
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr) return "cannot open " + path + ": " + std::strerror(errno);
  if (std::ftell(file_) == 0) {
    std::fputs(header.c_str(), file_);
    std::fflush(file_);
  }
  return "";
}

void LineFile::write_line(const std::string& line) {
  if (file_ == nullptr) return;
  std::fputs(line.c_str(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace wiretime::daemon

#include "control/daemon/metrics_textfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "control/daemon/prometheus_text.hpp"

namespace wiretime::daemon {

std::string write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp + ": " + std::strerror(errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string e = "cannot write " + tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string e = "cannot write " + tmp + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return e;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = "cannot rename " + tmp + " to " + path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

std::string MetricsTextfile::write(const MetricsSnapshot& snapshot, int64_t monotonic_ns) {
  next_ns_ = monotonic_ns + interval_ns_;
  return write_file_atomically(path_, render_prometheus(snapshot));
}

}  // namespace wiretime::daemon

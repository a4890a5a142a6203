#include "control/daemon/clock_segment_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretime::daemon {

std::unique_ptr<ClockSegmentFile> ClockSegmentFile::open(const std::string& path,
                                                         std::string& error) {
  // The run directory may not exist yet (the management socket creates it later, 0750).
  if (const size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    (void)::mkdir(path.substr(0, slash).c_str(), 0750);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "clock.shm-path " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  // Readers may see any mode of the file's parent umask: the segment is public by design.
  (void)fchmod(fd, 0644);
  if (ftruncate(fd, sizeof(wt_clock_segment)) != 0) {
    error = "clock.shm-path " + path + ": " + std::strerror(errno);
    ::close(fd);
    return nullptr;
  }
  void* p = mmap(nullptr, sizeof(wt_clock_segment), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) {
    error = "clock.shm-path " + path + ": mmap: " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<ClockSegmentFile>(
      new ClockSegmentFile(path, static_cast<wt_clock_segment*>(p)));
}

ClockSegmentFile::~ClockSegmentFile() {
  munmap(segment_, sizeof(wt_clock_segment));
}

std::string clock_segment_path(const std::string& configured, const std::string& mgmt_socket) {
  if (!configured.empty()) return configured;
  const size_t slash = mgmt_socket.rfind('/');
  return (slash == std::string::npos ? std::string(".") : mgmt_socket.substr(0, slash)) +
         "/clock.shm";
}

}  // namespace wiretime::daemon

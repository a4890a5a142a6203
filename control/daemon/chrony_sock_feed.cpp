#include "control/daemon/chrony_sock_feed.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretime::daemon {

ChronySockSample chrony_sock_sample(int64_t realtime_ns, int64_t utc_ns, int leap) {
  ChronySockSample s{};
  int64_t sec = realtime_ns / 1'000'000'000;
  int64_t nsec = realtime_ns % 1'000'000'000;
  if (nsec < 0) {
    nsec += 1'000'000'000;
    --sec;
  }
  s.tv.tv_sec = static_cast<time_t>(sec);
  // The microseconds chrony sees; the offset is taken against exactly that instant.
  s.tv.tv_usec = static_cast<suseconds_t>(nsec / 1000);
  const int64_t stamped = sec * 1'000'000'000 + (nsec / 1000) * 1000;
  s.offset = static_cast<double>(utc_ns - realtime_ns) * 1e-9 +
             static_cast<double>(realtime_ns - stamped) * 1e-9;
  s.pulse = 0;
  s.leap = leap;
  s.magic = kChronySockMagic;
  return s;
}

ChronySockFeed::ChronySockFeed(std::string path, const DaemonLog& log)
    : path_(std::move(path)), log_(log) {
  fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) log_.error(std::string("clock.chrony-sock: socket: ") + std::strerror(errno));
}

ChronySockFeed::~ChronySockFeed() {
  if (fd_ >= 0) close(fd_);
}

void ChronySockFeed::send(const ChronySockSample& sample) {
  if (fd_ < 0) return;
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::strncpy(to.sun_path, path_.c_str(), sizeof to.sun_path - 1);
  const ssize_t n =
      sendto(fd_, &sample, sizeof sample, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  if (n == static_cast<ssize_t>(sizeof sample)) {
    ++sent_;
    if (failing_) log_.info("clock.chrony-sock " + path_ + ": chronyd receives samples again");
    failing_ = false;
    return;
  }
  if (!failing_) {
    log_.warning("clock.chrony-sock " + path_ + ": " + std::strerror(errno) +
                 " (is chronyd running with `refclock SOCK " + path_ + "`?)");
  }
  failing_ = true;
}

}  // namespace wiretime::daemon

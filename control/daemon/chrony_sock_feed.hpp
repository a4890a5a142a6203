// clock.chrony-sock: samples for chronyd's `refclock SOCK PATH` driver, one Unix datagram each
// (chrony's struct sock_sample, refclock_sock.c): the system time of the sample, the offset of
// true time (our clock) from it, the leap second pending, magic "SOCK". chronyd owns and binds
// the socket; while it is not there the samples are dropped (one warning, and one note when it
// comes back).
#pragma once

#include <sys/time.h>

#include <cstdint>
#include <string>

#include "control/daemon/daemon_log.hpp"

namespace wiretime::daemon {

struct ChronySockSample {
  timeval tv;     // system time (CLOCK_REALTIME) of the sample
  double offset;  // true time minus system time, s
  int pulse;      // 0: a full time sample, not a PPS edge
  int leap;       // 0 none, 1 insert, 2 delete
  int pad;
  int magic;
};
static_assert(sizeof(ChronySockSample) == 40);
inline constexpr int kChronySockMagic = 0x534f434b;

// The sample for a clock reading `utc_ns` taken at system time `realtime_ns`.
ChronySockSample chrony_sock_sample(int64_t realtime_ns, int64_t utc_ns, int leap);

class ChronySockFeed {
 public:
  ChronySockFeed(std::string path, const DaemonLog& log);
  ~ChronySockFeed();
  ChronySockFeed(const ChronySockFeed&) = delete;
  ChronySockFeed& operator=(const ChronySockFeed&) = delete;

  void send(const ChronySockSample& sample);
  uint64_t sent() const { return sent_; }

 private:
  std::string path_;
  const DaemonLog& log_;
  int fd_ = -1;
  bool failing_ = false;
  uint64_t sent_ = 0;
};

}  // namespace wiretime::daemon

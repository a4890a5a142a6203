#include "control/daemon/kernel_clock_steering.hpp"

#include <sys/timex.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::daemon {

double KernelClockSteering::frequency() const {
  return socket::realtime_frequency();
}

void KernelClockSteering::set_frequency(double frequency) {
  if (std::string e = socket::set_realtime_frequency(frequency); !e.empty()) log_.error(e);
}

void KernelClockSteering::step(double seconds) {
  if (std::string e = socket::step_realtime(seconds); !e.empty()) log_.error(e);
}

void KernelClockSteering::set_status(double max_error, double est_error, bool synchronized) {
  timex tx{};
  if (clock_adjtime(CLOCK_REALTIME, &tx) < 0) return;
  const int status = synchronized ? (tx.status & ~STA_UNSYNC) : (tx.status | STA_UNSYNC);
  tx.modes = ADJ_MAXERROR | ADJ_ESTERROR | ADJ_STATUS;
  // The kernel's unit is microseconds and it adds 500 us/s to maxerror by itself; beyond
  // NTP_PHASE_LIMIT (16 s) it declares the clock unsynchronised.
  tx.maxerror = static_cast<long>(std::min(16e6, std::ceil(max_error * 1e6)));
  tx.esterror = static_cast<long>(std::min(16e6, std::ceil(est_error * 1e6)));
  tx.status = status;
  if (clock_adjtime(CLOCK_REALTIME, &tx) < 0 && !status_failed_) {
    status_failed_ = true;
    log_.error(std::string("clock_adjtime(ADJ_MAXERROR|ADJ_ESTERROR|ADJ_STATUS): ") +
               std::strerror(errno));
  }
}

}  // namespace wiretime::daemon

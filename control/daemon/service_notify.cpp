#include "control/daemon/service_notify.hpp"

#ifdef WIRETIME_WITH_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace wiretime::daemon {

void notify_ready(const std::string& status) {
#ifdef WIRETIME_WITH_LIBSYSTEMD
  // unset_environment 0: the variable stays for anything else of the process that reports.
  // Failures are not fatal: a missing listener only costs the manager's readiness signal.
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
#else
  (void)status;
#endif
}

void notify_stopping() {
#ifdef WIRETIME_WITH_LIBSYSTEMD
  sd_notify(0, "STOPPING=1");
#endif
}

}  // namespace wiretime::daemon

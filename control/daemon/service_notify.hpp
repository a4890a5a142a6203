// The systemd service-manager notification protocol (sd_notify(3)) for `Type=notify`: the
// daemon says READY=1 once the dataplane and the management socket are up, so units ordered
// After=wiretimed.service (and `systemctl start`) see a daemon that already answers
// wiretime-cli; STOPPING=1 when it starts to shut down. Without NOTIFY_SOCKET in the
// environment (not started by systemd) each call returns at once without a system call. Built
// without libsystemd, the calls do nothing.
#pragma once

#include <string>

namespace wiretime::daemon {

// READY=1 with STATUS=`status` (shown by `systemctl status`).
void notify_ready(const std::string& status);
// STOPPING=1.
void notify_stopping();

}  // namespace wiretime::daemon

// What the daemon does with the control loop's reports: measurement and tracking log lines,
// and operator messages when a source's status or the synchronisation changes (a falseticker
// is named with its reason). The clock's error against the host CLOCK_REALTIME is test
// instrumentation supplied by the backend (it pairs a tick with a CLOCK_REALTIME read).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "control/daemon/daemon_log.hpp"
#include "control/daemon/log_file.hpp"
#include "control/runtime/control_loop.hpp"

namespace wiretime::daemon {

class DaemonObserver final : public runtime::RuntimeObserver {
 public:
  using TestError = std::function<std::optional<int64_t>()>;

  DaemonObserver(const DaemonLog& log, TestError test_error)
      : log_(log), test_error_(std::move(test_error)) {}

  // Empty string on success, else the reason. Unopened logs are simply not written.
  std::string open_measurements(const std::string& path);
  std::string open_tracking(const std::string& path);
  // Both, each when its path is non-empty: the first error, or empty.
  std::string open_logs(const std::string& measurements, const std::string& tracking);

  void on_measurement(const runtime::MeasurementRecord& m) override;
  void on_tracking(const runtime::TrackingRecord& t) override;
  void on_source_status(const engine::AssociationStatus& s,
                        std::optional<engine::SelectionStatus> previous) override;
  void on_synchronization(bool synchronized, const engine::SystemStatus& s) override;
  void on_panic(double offset) override;
  void on_send_failure(const runtime::Peer& peer) override;

 private:
  const DaemonLog& log_;
  TestError test_error_;
  LineFile measurements_;
  LineFile tracking_;
  bool authentication_warned_ = false;
};

// A multi-line, human-readable status dump (system variables and one line per source).
std::string format_status(const runtime::RuntimeStatus& status);

}  // namespace wiretime::daemon

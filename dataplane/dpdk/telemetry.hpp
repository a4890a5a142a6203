// DPDK telemetry (rte_telemetry) commands of the application: `dpdk-telemetry.py` and any
// client of /var/run/dpdk/<file-prefix>/dpdk_telemetry.v2 can call them. Handlers run on DPDK's
// telemetry thread: they must only read what is safe to read from another thread (relaxed
// atomics, published snapshots), never take a lock the lcore takes.
//
//   TelemetryCommands commands;
//   commands.add("/wiretime/clock", "help text", [](const std::string& params, TelemetryDict& d) {
//     d.u64("stratum", 2);
//   });
//   ... ~TelemetryCommands(): the handlers are dropped (the commands then answer an error),
//       after any call in progress has returned.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct rte_tel_data;

namespace wiretime::dpdk {

// One reply: a dict of scalars and dicts of scalars (DPDK 22.11 encodes one level of nesting).
// Keys: letters, digits and '_' (DPDK refuses others; they are replaced by '_'). DPDK 22.11 has
// no floating-point or signed 64-bit values: real() writes the number as a decimal string.
class TelemetryDict {
 public:
  explicit TelemetryDict(rte_tel_data* data) : data_(data) {}
  void u64(const std::string& name, uint64_t value);
  void str(const std::string& name, const std::string& value);
  void real(const std::string& name, double value);
  // A nested dict (only scalars inside); a no-op dict when the reply is full.
  TelemetryDict child(const std::string& name);

 private:
  rte_tel_data* data_;
};

using TelemetryHandler = std::function<void(const std::string& params, TelemetryDict& out)>;

class TelemetryCommands {
 public:
  TelemetryCommands() = default;
  TelemetryCommands(const TelemetryCommands&) = delete;
  TelemetryCommands& operator=(const TelemetryCommands&) = delete;
  ~TelemetryCommands();
  // Registers `command` (after rte_eal_init). Empty string on success, else why not.
  std::string add(const std::string& command, const std::string& help, TelemetryHandler handler);

 private:
  std::vector<std::string> mine_;
};

}  // namespace wiretime::dpdk

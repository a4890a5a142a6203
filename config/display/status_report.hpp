// What `display ntp status`, `display ntp sessions [verbose]` and `display ntp trace` show, as
// plain report values: the renderers of config/display take these, never the engine's types
// (control/daemon/status_report.* converts the engine's status into them), so the display and
// the management client need no engine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::display {

inline constexpr uint8_t kStratumUnsynchronized = 16;
inline constexpr size_t kFilterStages = 8;  // RFC 5905's clock filter (NSTAGE)

// RFC 5905's local clock states (section 7.3 "synchronization state").
enum class ClockState : uint8_t { kNset, kFset, kSpik, kFreq, kSync };

// How a source's last sample was stamped.
enum class TimestampSource : uint8_t { kUnknown, kNicHardware, kTsc, kKernel, kSimulated };

struct SystemReport {
  bool synchronized = false;
  uint8_t stratum = kStratumUnsynchronized;
  uint32_t reference_id = 0;
  std::string reference_name = "none";  // system peer's address, "none" when unsynchronised
  double nominal_frequency_hz = 0.0;
  double actual_frequency_hz = 0.0;
  int8_t precision = 0;          // log2 s
  double clock_offset = 0.0;     // s, offset of the last update
  double root_delay = 0.0;       // s
  double root_dispersion = 0.0;  // s
  double peer_dispersion = 0.0;  // s
  NtpTimestamp reference_time;   // last clock update
  ClockState sync_state = ClockState::kNset;
  double spike_countdown = 0.0;  // s until a spike is stepped (sync_state kSpik)
};

struct SessionReport {
  std::string source;
  // `clock status` flags (section 7.2).
  bool configured = true;
  bool master = false;
  bool selected = false;
  bool candidate = false;
  bool vpn_instance = false;
  bool sane = false;
  bool valid = false;
  bool unsynced = false;
  uint8_t stratum = kStratumUnsynchronized;
  uint32_t reference_id = 0;
  uint8_t reach = 0;
  double current_poll = 0.0;  // s
  double now = 0.0;           // s since the last accepted reply
  double offset = 0.0;        // s, clock filter
  double delay = 0.0;
  double dispersion = 0.0;
  // Verbose (section 7.3).
  int local_poll = 0;
  int peer_poll = 0;
  double root_delay = 0.0;
  double root_dispersion = 0.0;
  double sync_distance = 0.0;
  int sync_state = 0;  // 0 not set .. 4 synchronized, 5 spike
  int8_t precision = 0;
  uint8_t version = 0;
  wire::NtpMode local_mode = wire::NtpMode::kClient;
  wire::NtpMode peer_mode = wire::NtpMode::kReserved;  // kReserved: unspecified
  std::string peer_interface;
  NtpTimestamp reftime, orgtime, rcvtime, xmttime;
  std::array<double, kFilterStages> filter_delay{};
  std::array<double, kFilterStages> filter_offset{};
  std::array<double, kFilterStages> filter_dispersion{};
  TimestampSource timestamp_source = TimestampSource::kUnknown;
};

}  // namespace wiretime::display

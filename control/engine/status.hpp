// Everything `display ntp status`, `display ntp sessions [verbose]` show (vrp-ntp-cli.md
// section 7), plus per-source rejection reason and sample provenance, as plain data.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "control/engine/association.hpp"
#include "control/engine/local_clock.hpp"
#include "control/engine/on_wire.hpp"
#include "control/engine/selection_status.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/kiss_code.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::engine {

struct SystemStatus {
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
  double frequency = 0.0;        // correction, s/s
  double jitter = 0.0;           // s
  double wander = 0.0;           // s/s
  int poll = 0;                  // system poll exponent
  wire::LeapIndicator leap = wire::LeapIndicator::kUnsynchronized;
};

struct AssociationStatus {
  AssociationId id = 0;
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
  double jitter = 0.0;
  // Verbose (section 7.3).
  int local_poll = 0;
  int peer_poll = 0;
  double root_delay = 0.0;
  double root_dispersion = 0.0;
  double sync_distance = 0.0;
  int sync_state = 0;  // 0 not set .. 4 synchronized, 5 spike
  int8_t precision = 0;
  uint8_t version = 0;  // of the last accepted reply; before one, the version we send
  // Modes of our requests and of the last accepted reply (kReserved before one: unspecified).
  wire::NtpMode local_mode = wire::NtpMode::kClient;
  wire::NtpMode peer_mode = wire::NtpMode::kReserved;
  std::string peer_interface;
  NtpTimestamp reftime, orgtime, rcvtime, xmttime;
  std::array<double, kNstage> filter_delay{};
  std::array<double, kNstage> filter_offset{};
  std::array<double, kNstage> filter_dispersion{};
  // Beyond VRP: why the source is (not) used, kiss code, provenance, counters.
  SelectionStatus selection = SelectionStatus::kNoSamples;
  wire::KissCode kiss = wire::KissCode::kNone;
  SampleProvenance provenance;
  OnWireCounters on_wire{};
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t accepted = 0;
  uint64_t offset_limited = 0;  // accepted replies beyond `ntp offset-limit`
  uint64_t interleaved = 0;     // accepted replies that completed an exchange in interleaved mode
  int unreach = 0;
};

}  // namespace wiretime::engine

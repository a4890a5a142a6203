#include "config/display/ntp_status_display.hpp"

#include <cmath>

#include "config/display/display_format.hpp"

namespace wiretime::display {

std::string synchronization_state(const SystemReport& system) {
  switch (system.sync_state) {
    case ClockState::kNset:
      return "clock not set";
    case ClockState::kFset:
      return "frequency set by configuration";
    case ClockState::kFreq:
      return "clock set but frequency not determined";
    case ClockState::kSpik:
      return format("spike (clock will be set in %lld secs)",
                    static_cast<long long>(std::ceil(std::max(0.0, system.spike_countdown))));
    case ClockState::kSync:
      return "clock synchronized";
  }
  return "clock not set";
}

std::string render_ntp_status(const SystemReport& s, UnixNanos pivot) {
  std::string out;
  out += format(" clock status: %s\n", s.synchronized ? "synchronized" : "unsynchronized");
  out += format(" clock stratum: %u\n", static_cast<unsigned>(s.stratum));
  out += " reference clock ID: " + (s.reference_name.empty() ? "none" : s.reference_name) + "\n";
  out += format(" nominal frequency: %.4f Hz\n", s.nominal_frequency_hz);
  out += format(" actual frequency: %.4f Hz\n", s.actual_frequency_hz);
  out += " clock precision: " + precision(s.precision) + "\n";
  out += " clock offset: " + milliseconds(s.clock_offset, 4) + " ms\n";
  out += " root delay: " + milliseconds(s.root_delay, 2) + " ms\n";
  out += " root dispersion: " + milliseconds(s.root_dispersion, 2) + " ms\n";
  out += " peer dispersion: " + milliseconds(s.peer_dispersion, 2) + " ms\n";
  out += " reference time: " + ntp_time(s.reference_time, pivot) + "\n";
  out += " synchronization state: " + synchronization_state(s) + "\n";
  return out;
}

}  // namespace wiretime::display

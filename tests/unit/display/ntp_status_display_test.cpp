#include "config/display/ntp_status_display.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

constexpr UnixNanos kPivot = 1'767'225'600LL * 1'000'000'000;

TEST(NtpStatusDisplay, SynchronizedAsInTheSpec) {
  display::SystemReport s;
  s.synchronized = true;
  s.stratum = 3;
  s.reference_id = 0x02020202;
  s.reference_name = "2.2.2.2";
  s.nominal_frequency_hz = 60.0002;
  s.actual_frequency_hz = 60.0002;
  s.precision = -18;
  s.clock_offset = 0.0038128;
  s.root_delay = 0.03126;
  s.root_dispersion = 0.0742;
  s.peer_dispersion = 0.0343;
  s.reference_time = NtpTimestamp::from_parts(0xC7B15BCC, 0xD5604189);
  s.sync_state = display::ClockState::kSync;
  // The spec's sample, with the date its hex timestamp actually encodes.
  EXPECT_EQ(render_ntp_status(s, kPivot),
            " clock status: synchronized\n"
            " clock stratum: 3\n"
            " reference clock ID: 2.2.2.2\n"
            " nominal frequency: 60.0002 Hz\n"
            " actual frequency: 60.0002 Hz\n"
            " clock precision: 2^18\n"
            " clock offset: 3.8128 ms\n"
            " root delay: 31.26 ms\n"
            " root dispersion: 74.20 ms\n"
            " peer dispersion: 34.30 ms\n"
            " reference time: 11:55:56.833 UTC Mar 2 2006(C7B15BCC.D5604189)\n"
            " synchronization state: clock synchronized\n");
}

TEST(NtpStatusDisplay, Unsynchronized) {
  display::SystemReport s;  // the engine's state before any update
  s.nominal_frequency_hz = 1e9;
  s.actual_frequency_hz = 1e9;
  s.precision = -24;
  EXPECT_EQ(render_ntp_status(s, kPivot),
            " clock status: unsynchronized\n"
            " clock stratum: 16\n"
            " reference clock ID: none\n"
            " nominal frequency: 1000000000.0000 Hz\n"
            " actual frequency: 1000000000.0000 Hz\n"
            " clock precision: 2^24\n"
            " clock offset: 0.0000 ms\n"
            " root delay: 0.00 ms\n"
            " root dispersion: 0.00 ms\n"
            " peer dispersion: 0.00 ms\n"
            " reference time: 00:00:00.000 UTC Jan 1 1900(00000000.00000000)\n"
            " synchronization state: clock not set\n");
}

TEST(NtpStatusDisplay, SynchronizationStates) {
  display::SystemReport s;
  s.sync_state = display::ClockState::kFset;
  EXPECT_EQ(synchronization_state(s), "frequency set by configuration");
  s.sync_state = display::ClockState::kFreq;
  EXPECT_EQ(synchronization_state(s), "clock set but frequency not determined");
  s.sync_state = display::ClockState::kSpik;
  s.spike_countdown = 299.2;
  EXPECT_EQ(synchronization_state(s), "spike (clock will be set in 300 secs)");
  s.sync_state = display::ClockState::kNset;
  EXPECT_EQ(synchronization_state(s), "clock not set");
}

}  // namespace
}  // namespace wiretime::display

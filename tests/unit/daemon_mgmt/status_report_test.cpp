#include "control/daemon/status_report.hpp"

#include <gtest/gtest.h>

#include "config/display/ntp_sessions_display.hpp"
#include "config/display/ntp_status_display.hpp"

namespace wiretime::daemon {
namespace {

// Each engine clock state reaches the display as the state VRP names for it.
TEST(StatusReport, ClockStatesKeepTheirMeaning) {
  engine::SystemStatus s;
  const std::pair<engine::ClockState, const char*> cases[] = {
      {engine::ClockState::kNset, "clock not set"},
      {engine::ClockState::kFset, "frequency set by configuration"},
      {engine::ClockState::kFreq, "clock set but frequency not determined"},
      {engine::ClockState::kSpik, "spike (clock will be set in 3 secs)"},
      {engine::ClockState::kSync, "clock synchronized"},
  };
  s.spike_countdown = 2.5;
  for (const auto& [state, text] : cases) {
    s.sync_state = state;
    EXPECT_EQ(display::synchronization_state(system_report(s)), text);
  }
}

TEST(StatusReport, SessionFieldsAndStampSourceAreCarried) {
  engine::AssociationStatus a;
  a.source = "198.18.0.1";
  a.master = true;
  a.sane = true;
  a.valid = true;
  a.stratum = 2;
  a.reach = 0377;
  a.offset = 0.00125;
  a.filter_delay[7] = 0.004;
  a.peer_mode = wire::NtpMode::kServer;
  a.provenance.source = engine::TimestampSource::kKernel;
  const display::SessionReport r = session_report(a);
  EXPECT_EQ(r.source, "198.18.0.1");
  EXPECT_EQ(display::clock_status_flags(r), "configured, master, sane, valid");
  EXPECT_EQ(r.stratum, 2);
  EXPECT_EQ(r.reach, 0377);
  EXPECT_DOUBLE_EQ(r.offset, 0.00125);
  EXPECT_DOUBLE_EQ(r.filter_delay[7], 0.004);
  EXPECT_EQ(r.peer_mode, wire::NtpMode::kServer);
  EXPECT_EQ(r.timestamp_source, display::TimestampSource::kKernel);
  a.provenance.source = engine::TimestampSource::kNicHardware;
  EXPECT_NE(display::render_ntp_sessions({session_report(a)}, true, 0)
                .find("timestamp source: nic-hardware"),
            std::string::npos);
}

TEST(StatusReport, PeerRowsFromTheAssociationsCounters) {
  engine::AssociationStatus a;
  a.sent = 20;
  a.received = 17;
  a.accepted = 12;
  a.on_wire[static_cast<size_t>(engine::OnWireReason::kOk)] = 12;
  a.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)] = 2;
  a.on_wire[static_cast<size_t>(engine::OnWireReason::kBogus)] = 1;
  const display::PacketStatistics p = peer_packet_statistics(a);
  EXPECT_EQ(p.sent, 20u);
  EXPECT_EQ(p.processed, 12u);
  EXPECT_EQ(p.validity_test_failures, 3u);
  EXPECT_EQ(p.authentication_failures, 2u);
  EXPECT_EQ(p.others, 2u);  // received without an on-wire verdict
  EXPECT_EQ(p.dropped, 5u);
  EXPECT_EQ(p.received, 17u);
}

}  // namespace
}  // namespace wiretime::daemon

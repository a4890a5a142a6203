#include "config/display/ntp_trace_display.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

TEST(NtpTraceDisplay, LocalHostThenSystemPeerThenItsReference) {
  engine::SystemStatus system;
  system.synchronized = true;
  system.stratum = 5;
  system.clock_offset = 0.024099;
  system.root_delay = 0.02;
  system.root_dispersion = 0.05337;
  engine::AssociationStatus other;
  other.source = "10.1.7.9";
  other.stratum = 1;
  engine::AssociationStatus peer;
  peer.source = "10.1.7.1";
  peer.master = true;
  peer.stratum = 2;
  peer.offset = 0.039855;
  peer.root_delay = 0.01;
  peer.root_dispersion = 0.00596;
  peer.reference_id = 0x7F7F0100;
  // The spec's sample.
  EXPECT_EQ(render_ntp_trace(system, {other, peer}),
            "server 127.0.0.1, stratum 5, offset 0.024099 s, synch distance 0.06337\n"
            "server 10.1.7.1, stratum 2, offset 0.039855 s, synch distance 0.01096\n"
            "refid 127.127.1.0\n");
}

TEST(NtpTraceDisplay, UnsynchronizedStopsAtThisHost) {
  engine::SystemStatus system;
  engine::AssociationStatus candidate;
  candidate.source = "10.1.7.1";
  EXPECT_EQ(render_ntp_trace(system, {candidate}),
            "server 127.0.0.1, stratum 16, offset 0.000000 s, synch distance 0.00000\n"
            "refid none\n");
}

TEST(NtpTraceDisplay, LocalReferenceClockMaster) {
  engine::SystemStatus system;
  system.synchronized = true;
  system.stratum = 8;
  system.reference_id = 0x7F7F0100;
  EXPECT_EQ(render_ntp_trace(system, {}),
            "server 127.0.0.1, stratum 8, offset 0.000000 s, synch distance 0.00000\n"
            "refid 127.127.1.0\n");
}

}  // namespace
}  // namespace wiretime::display

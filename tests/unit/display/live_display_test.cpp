#include "config/display/live_display.hpp"

#include <gtest/gtest.h>

#include "config/display/interface_brief.hpp"
#include "config/display/ntp_sessions_display.hpp"
#include "config/display/ntp_status_display.hpp"
#include "config/display/ntp_trace_display.hpp"
#include "config/display/packet_statistics.hpp"

namespace wiretime::display {
namespace {

TEST(LiveDisplay, EachNameTheShellSendsRendersItsDisplay) {
  StatusSnapshot snapshot;
  snapshot.now = 1'767'225'600LL * 1'000'000'000;
  snapshot.system.stratum = 3;
  display::SessionReport a;
  a.source = "10.1.1.1";
  snapshot.associations = {a};
  snapshot.ipv4_packets.sent = 7;
  snapshot.ipv6_packets.sent = 9;
  snapshot.interfaces = {{"100GE1/0/1", LinkState::kUp, LinkState::kUp, {}, {}, 0, 0}};

  EXPECT_EQ(render_live_display("status", snapshot),
            render_ntp_status(snapshot.system, snapshot.now));
  EXPECT_EQ(render_live_display("sessions", snapshot),
            render_ntp_sessions(snapshot.associations, false, snapshot.now));
  EXPECT_EQ(render_live_display("sessions verbose", snapshot),
            render_ntp_sessions(snapshot.associations, true, snapshot.now));
  EXPECT_EQ(render_live_display("trace", snapshot),
            render_ntp_trace(snapshot.system, snapshot.associations));
  // Both families, as the spec's blocks; `ipv6` only the IPv6 one.
  EXPECT_EQ(render_live_display("statistics", snapshot),
            render_packet_statistics(snapshot.ipv4_packets) + "\n" +
                render_packet_statistics(snapshot.ipv6_packets, true));
  EXPECT_EQ(render_live_display("statistics ipv6", snapshot),
            render_packet_statistics(snapshot.ipv6_packets, true));
  EXPECT_EQ(render_live_display("interface", snapshot),
            render_interface_brief(snapshot.interfaces));
  EXPECT_FALSE(render_live_display("clock", snapshot).has_value());
  EXPECT_FALSE(render_live_display("", snapshot).has_value());
}

}  // namespace
}  // namespace wiretime::display

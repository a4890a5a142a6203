#include "config/display/clock_unsync_display.hpp"

#include <gtest/gtest.h>

#include "config/display/live_display.hpp"

namespace wiretime::display {
namespace {

constexpr UnixNanos kNewYear2026 = 1'767'225'600LL * 1'000'000'000;

TEST(ClockUnsyncDisplay, NoEventSaysSo) {
  EXPECT_EQ(render_clock_unsync({}, kNewYear2026), " No clock unsynchronization event.\n");
}

TEST(ClockUnsyncDisplay, GoldenNewestFirstWithVrfAndSessionType) {
  const std::vector<ClockUnsyncEvent> events = {
      {"2001:db8::1", "vpn1", true, "Authentication failure",
       kNewYear2026 + 90LL * 1'000'000'000 + 500'000'000},
      {"198.18.0.2", "", false, "Peer reachability lost", kNewYear2026},
  };
  EXPECT_EQ(render_clock_unsync(events, kNewYear2026),
            " Clock source  : 2001:db8::1(vpn1)\n"
            " Session type  : client, configured\n"
            " Unsync reason : Authentication failure\n"
            " Unsync time   : 00:01:30.500 UTC Jan 1 2026(ED0037DA.80000000)\n"
            "\n"
            " Clock source  : 198.18.0.2\n"
            " Session type  : client, dynamic\n"
            " Unsync reason : Peer reachability lost\n"
            " Unsync time   : 00:00:00.000 UTC Jan 1 2026(ED003780.00000000)\n");
}

TEST(ClockUnsyncDisplay, LiveNameTheShellSendsRendersIt) {
  StatusSnapshot snapshot;
  snapshot.now = kNewYear2026;
  snapshot.unsync_events = {{"198.18.0.2", "", true, "Clock selection failed", kNewYear2026}};
  EXPECT_EQ(render_live_display("event clock-unsync", snapshot),
            render_clock_unsync(snapshot.unsync_events, snapshot.now));
}

}  // namespace
}  // namespace wiretime::display

#include "config/display/ntp_sessions_display.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

constexpr UnixNanos kPivot = 1'767'225'600LL * 1'000'000'000;

display::SessionReport brief_sample() {
  display::SessionReport s;
  s.source = "10.1.1.1";
  s.stratum = 8;
  s.configured = true;
  s.master = true;
  s.sane = true;
  s.valid = true;
  s.reference_id = 0x7F7F0100;
  s.reach = 255;
  s.current_poll = 1024;
  s.now = 355.4;
  s.offset = 0.00059951;
  s.delay = 0.00301;
  s.dispersion = 0.02542;
  return s;
}

TEST(NtpSessionsDisplay, BriefAsInTheCommandReference) {
  EXPECT_EQ(render_ntp_sessions({brief_sample()}, false, kPivot),
            " clock source: 10.1.1.1\n"
            " clock stratum: 8\n"
            " clock status: configured, master, sane, valid\n"
            " reference clock ID: LOCAL(0)\n"
            " reach: 255\n"
            " current poll: 1024\n"
            " now: 355\n"
            " offset: 0.5995 ms\n"
            " delay: 3.01 ms\n"
            " disper: 25.42 ms\n");
}

TEST(NtpSessionsDisplay, VerboseAsInTheCommandReference) {
  display::SessionReport s;
  s.source = "127.127.1.0";
  s.stratum = 0;
  s.master = true;
  s.sane = true;
  s.valid = true;
  s.reference_id = 0x7F7F0100;
  s.local_poll = 2;
  s.current_poll = 2;
  s.peer_mode = wire::NtpMode::kServer;
  s.peer_poll = 2;
  s.now = 0;
  s.dispersion = 0.00008;
  s.root_dispersion = 0.01;
  s.reach = 255;
  s.sync_distance = 0.010;
  s.sync_state = 4;
  s.precision = -17;
  s.version = 3;
  s.peer_interface = "InLoopBack0";
  s.reftime = NtpTimestamp::from_parts(0xE224561B, 0x7E379B77);
  s.orgtime = NtpTimestamp::from_parts(0xE224561B, 0x7E379B77);
  s.rcvtime = NtpTimestamp::from_parts(0xE224561B, 0x7E383276);
  s.xmttime = NtpTimestamp::from_parts(0xE224561B, 0x7E36F3B2);
  // The CE sample, with `2^17` for its `217` (spec Q23) and without trailing blanks.
  EXPECT_EQ(render_ntp_sessions({s}, true, kPivot),
            " clock source: 127.127.1.0\n"
            " clock stratum: 0\n"
            " clock status: configured, master, sane, valid\n"
            " reference clock ID: LOCAL(0)\n"
            " local mode: client, local poll: 2, current poll: 2\n"
            " peer mode: server, peer poll: 2, now: 0\n"
            " offset: 0.0000 ms, delay: 0.00 ms, disper: 0.08 ms\n"
            " root delay: 0.00 ms, root disper: 10.00 ms\n"
            " reach: 255, sync dist: 0.010, sync state: 4\n"
            " precision: 2^17, version: 3, peer interface: InLoopBack0\n"
            " reftime: 09:49:15.493 UTC Mar 24 2020(E224561B.7E379B77)\n"
            " orgtime: 09:49:15.493 UTC Mar 24 2020(E224561B.7E379B77)\n"
            " rcvtime: 09:49:15.493 UTC Mar 24 2020(E224561B.7E383276)\n"
            " xmttime: 09:49:15.493 UTC Mar 24 2020(E224561B.7E36F3B2)\n"
            " filter delay :  0.00   0.00   0.00   0.00   0.00   0.00   0.00   0.00\n"
            " filter offset:  0.00   0.00   0.00   0.00   0.00   0.00   0.00   0.00\n"
            " filter disper:  0.00   0.00   0.00   0.00   0.00   0.00   0.00   0.00\n"
            " reference clock status: normal\n");
}

TEST(NtpSessionsDisplay, VerboseModesAndVersionComeFromTheExchange) {
  display::SessionReport s;
  s.source = "198.18.0.1";
  s.version = 4;
  s.peer_interface = "GE0/0/0";
  // Before any accepted reply the peer's mode is unknown.
  std::string text = render_ntp_sessions({s}, true, kPivot);
  EXPECT_NE(text.find(" local mode: client, local poll: 0"), std::string::npos) << text;
  EXPECT_NE(text.find(" peer mode: unspecified, peer poll: 0"), std::string::npos) << text;
  s.peer_mode = wire::NtpMode::kSymmetricPassive;
  s.version = 3;
  text = render_ntp_sessions({s}, true, kPivot);
  EXPECT_NE(text.find(" peer mode: passive, peer poll: 0"), std::string::npos) << text;
  EXPECT_NE(text.find(", version: 3, peer interface: GE0/0/0\n"), std::string::npos) << text;
}

TEST(NtpSessionsDisplay, FilterRowsKeepTheirColumnsWithRealValues) {
  display::SessionReport s = brief_sample();
  s.filter_delay = {0.01234, 0.1, 0.0005, 0, 0, 0, 0, 0};
  s.filter_offset = {-0.01234, 0.000004, -0.0001, 0, 0, 0, 0, 0};
  const std::string text = render_ntp_sessions({s}, true, kPivot);
  EXPECT_NE(text.find(" filter delay : 12.34 100.00   0.50   0.00"), std::string::npos) << text;
  EXPECT_NE(text.find(" filter offset: -12.34   0.00  -0.10   0.00"), std::string::npos) << text;
  EXPECT_NE(text.find(" peer interface: -\n"), std::string::npos) << text;
}

TEST(NtpSessionsDisplay, VerboseShowsTheTimestampSourceOnceKnown) {
  display::SessionReport s = brief_sample();
  EXPECT_EQ(render_ntp_sessions({s}, true, kPivot).find("timestamp source"), std::string::npos);
  s.timestamp_source = display::TimestampSource::kNicHardware;
  EXPECT_NE(render_ntp_sessions({s}, true, kPivot).find(" timestamp source: nic-hardware\n"),
            std::string::npos);
  s.timestamp_source = display::TimestampSource::kTsc;
  EXPECT_NE(render_ntp_sessions({s}, true, kPivot).find(" timestamp source: tsc-software\n"),
            std::string::npos);
  EXPECT_EQ(render_ntp_sessions({s}, false, kPivot).find("timestamp source"), std::string::npos);
}

TEST(NtpSessionsDisplay, BlocksAreSeparatedByAnEmptyLine) {
  display::SessionReport second = brief_sample();
  second.source = "2001:db8::1";
  second.master = false;
  second.configured = true;
  second.selected = true;
  second.candidate = true;
  second.vpn_instance = true;
  const std::string text = render_ntp_sessions({brief_sample(), second}, false, kPivot);
  const std::string first = render_ntp_sessions({brief_sample()}, false, kPivot);
  ASSERT_EQ(text.substr(0, first.size() + 1), first + "\n");
  EXPECT_EQ(text.substr(first.size() + 1, 27), " clock source: 2001:db8::1\n");
  EXPECT_NE(
      text.find(" clock status: configured, selected, candidate, vpn-instance, sane, valid\n"),
      std::string::npos);
}

TEST(NtpSessionsDisplay, NothingWithoutAssociations) {
  EXPECT_EQ(render_ntp_sessions({}, false, kPivot), "");
  EXPECT_EQ(render_ntp_sessions({}, true, kPivot), "");
}

TEST(NtpSessionsDisplay, UnusableSourceFlags) {
  display::SessionReport s;
  s.configured = false;
  s.unsynced = true;
  EXPECT_EQ(clock_status_flags(s), "dynamic, insane, invalid, unsynced");
  s.source = "10.9.9.9";
  s.current_poll = 0.0625;  // lab poll exponent -4
  const std::string text = render_ntp_sessions({s}, true, kPivot);
  EXPECT_NE(text.find(" reference clock ID: none\n"), std::string::npos) << text;
  EXPECT_NE(text.find("current poll: 0.0625\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" reference clock status: abnormal\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace wiretime::display

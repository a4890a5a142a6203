#include "config/display/ntp_trace_display.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

TEST(NtpTraceDisplay, LocalHostThenSystemPeerThenItsReference) {
  display::SystemReport system;
  system.synchronized = true;
  system.stratum = 5;
  system.clock_offset = 0.024099;
  system.root_delay = 0.02;
  system.root_dispersion = 0.05337;
  display::SessionReport other;
  other.source = "10.1.7.9";
  other.stratum = 1;
  display::SessionReport peer;
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
  display::SystemReport system;
  display::SessionReport candidate;
  candidate.source = "10.1.7.1";
  EXPECT_EQ(render_ntp_trace(system, {candidate}),
            "server 127.0.0.1, stratum 16, offset 0.000000 s, synch distance 0.00000\n"
            "refid none\n");
}

TEST(NtpTraceDisplay, LocalReferenceClockMaster) {
  display::SystemReport system;
  system.synchronized = true;
  system.stratum = 8;
  system.reference_id = 0x7F7F0100;
  EXPECT_EQ(render_ntp_trace(system, std::vector<display::SessionReport>{}),
            "server 127.0.0.1, stratum 8, offset 0.000000 s, synch distance 0.00000\n"
            "refid 127.127.1.0\n");
}

// The walk the daemon makes (one query per hop), golden in ntptrace's format.
display::SystemReport synced_host() {
  display::SystemReport system;
  system.synchronized = true;
  system.stratum = 3;
  system.clock_offset = -0.000012;
  system.root_delay = 0.0004;
  system.root_dispersion = 0.0011;
  return system;
}

TraceHop answered(const char* address, uint8_t stratum, uint32_t refid, double offset) {
  TraceHop h;
  h.address = address;
  h.stratum = stratum;
  h.reference_id = refid;
  h.offset = offset;
  h.root_delay = 0.0002;
  h.root_dispersion = 0.001;
  return h;
}

TEST(NtpTraceDisplay, TwoHopsUpToAPrimarySource) {
  TraceReport trace;
  trace.hops = {answered("198.18.0.1", 2, 0xC6120002, 0.000015),
                answered("198.18.0.2", 1, 0x4C4F434C, -0.000021)};
  trace.end = TraceEnd::kPrimary;
  EXPECT_EQ(render_ntp_trace(synced_host(), trace),
            "server 127.0.0.1, stratum 3, offset -0.000012 s, synch distance 0.00130\n"
            "server 198.18.0.1, stratum 2, offset 0.000015 s, synch distance 0.00110\n"
            "server 198.18.0.2, stratum 1, offset -0.000021 s, synch distance 0.00110\n"
            "refid LOCL\n");
}

TEST(NtpTraceDisplay, UnansweredHopIsShownAndEndsTheWalk) {
  TraceReport trace;
  TraceHop lost;
  lost.address = "203.0.113.9";
  lost.result = TraceHop::Result::kTimedOut;
  trace.hops = {answered("198.18.0.1", 2, 0xCB007109, 0.000015), lost};
  trace.end = TraceEnd::kUnreachable;
  EXPECT_EQ(render_ntp_trace(synced_host(), trace),
            "server 127.0.0.1, stratum 3, offset -0.000012 s, synch distance 0.00130\n"
            "server 198.18.0.1, stratum 2, offset 0.000015 s, synch distance 0.00110\n"
            "server 203.0.113.9: timed out, nothing received\n"
            "***Request timed out\n");
  trace.hops.back().result = TraceHop::Result::kNotSent;
  EXPECT_NE(render_ntp_trace(synced_host(), trace)
                .find("server 203.0.113.9: unreachable, request not sent\n"),
            std::string::npos);
}

TEST(NtpTraceDisplay, LoopMaxHopsAndUnsynchronizedEnds) {
  TraceReport trace;
  trace.hops = {answered("198.18.0.1", 2, 0xC6120002, 0.0),
                answered("198.18.0.2", 3, 0xC6120001, 0.0)};
  trace.end = TraceEnd::kLoop;
  EXPECT_EQ(render_ntp_trace(synced_host(), trace),
            "server 127.0.0.1, stratum 3, offset -0.000012 s, synch distance 0.00130\n"
            "server 198.18.0.1, stratum 2, offset 0.000000 s, synch distance 0.00110\n"
            "server 198.18.0.2, stratum 3, offset 0.000000 s, synch distance 0.00110\n"
            "refid 198.18.0.1\n"
            "***Loop: 198.18.0.1 is already on the path\n");
  trace.end = TraceEnd::kMaxHops;
  trace.max_hops = 2;
  EXPECT_EQ(render_ntp_trace(synced_host(), trace)
                .substr(render_ntp_trace(synced_host(), trace).rfind("refid")),
            "refid 198.18.0.1\n***Maximum hops (2) reached\n");
  trace.hops = {answered("198.18.0.1", 16, 0, 0.0)};
  trace.end = TraceEnd::kUnsynchronized;
  EXPECT_EQ(render_ntp_trace(synced_host(), trace),
            "server 127.0.0.1, stratum 3, offset -0.000012 s, synch distance 0.00130\n"
            "server 198.18.0.1, stratum 16, offset 0.000000 s, synch distance 0.00110\n"
            "***Server 198.18.0.1 is unsynchronized\n");
}

TEST(NtpTraceDisplay, NoSystemPeerShowsThisHostOnly) {
  EXPECT_EQ(render_ntp_trace(display::SystemReport{}, TraceReport{}),
            "server 127.0.0.1, stratum 16, offset 0.000000 s, synch distance 0.00000\n"
            "refid none\n");
}

}  // namespace
}  // namespace wiretime::display

// The live displays of section 7 fed from a ControlLoop: per-family packet statistics and
// their reset, and `display ntp trace` walking up a simulated hierarchy with one query per hop.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/apply/apply_plan.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "control/daemon/mgmt_hooks.hpp"
#include "control/daemon/ntp_trace_run.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::daemon {
namespace {

constexpr uint64_t kTick0 = 1'000'000'000'000;
constexpr UnixNanos kUtc0 = int64_t{1'700'000'000} * 1'000'000'000;
constexpr uint64_t kMs = 1'000'000;

wire::IpAddress ip(const char* text) {
  if (const auto v4 = config::parse_ipv4(text)) {
    return wire::IpAddress::from(wire::Ipv4Address::from_host_order(*v4));
  }
  wire::Ipv6Address v6;
  v6.bytes = *config::parse_ipv6(text);
  return wire::IpAddress::from(v6);
}

struct Server {
  uint8_t stratum = 1;
  uint32_t refid = 0x4C4F434C;  // "LOCL"
  bool answers = true;
};

class Recorder : public runtime::Transport {
 public:
  struct Sent {
    runtime::Peer peer;
    NtpTimestamp cookie;
    engine::AssociationId association = 0;
  };
  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override {
    if (refuse) return false;
    sent.push_back({peer, request.cookie(), request.association});
    return true;
  }
  std::vector<Sent> sent;
  bool refuse = false;
};

// A loop, its hooks, and a network of servers by address that answer at once.
class Lab {
 public:
  Lab()
      : clock_(published_, clock::ClockModel::from_rate(kTick0, kUtc0, 1e9),
               [this] { return ticks_; }),
        loop_(engine::EngineConfig{}, 1, clock_, transport_, observer_) {
    hooks_.emplace(
        loop_, config::NtpConfig{}, config::InterfaceInventory{{"GE1/0/1"}}, [] { return kUtc0; },
        [this] { return drops_; }, nullptr, MgmtHooks::Interfaces{},
        [](uint16_t index) { return index == 3 ? std::string("GE1/0/1") : std::string(); });
  }

  void commit(const config::NtpConfig& c) {
    ASSERT_EQ(hooks_->apply(apply::plan_apply(hooks_->running(), c), c), std::nullopt);
  }
  // Advances by `ms` in 10 ms steps, answering every request of a server that answers.
  void run(uint64_t ms) {
    for (uint64_t t = 0; t < ms; t += 10) {
      ticks_ += 10 * kMs;
      loop_.run_due();
      deliver();
    }
  }
  void deliver() {
    std::vector<Recorder::Sent> sent;
    sent.swap(transport_.sent);
    for (const Recorder::Sent& s : sent) {
      loop_.on_transmitted(s.cookie, ticks_);
      ++requests_to_[l3::to_string(s.peer.address)];
      const auto it = servers.find(l3::to_string(s.peer.address));
      if (it == servers.end() || !it->second.answers) continue;
      wire::NtpPacket p;
      p.header.leap = wire::LeapIndicator::kNoWarning;
      p.header.mode = wire::NtpMode::kServer;
      p.header.version = 4;
      p.header.stratum = it->second.stratum;
      p.header.reference_id = it->second.refid;
      p.header.precision = -20;
      p.header.root_delay = NtpShort::from_duration(NtpDuration::from_nanos(200'000));
      p.header.root_dispersion = NtpShort::from_duration(NtpDuration::from_nanos(1'000'000));
      p.header.origin = s.cookie;
      p.header.reference = clock_.to_ntp(ticks_);
      p.header.receive = clock_.to_ntp(ticks_ + 50'000);
      p.header.transmit = p.header.receive;
      runtime::Peer from = s.peer;
      from.interface = 3;  // the interface the reply arrives on
      loop_.on_reply(from, p, ticks_ + 100'000, engine::TimestampSource::kSimulated);
    }
  }
  // A reply from a host no association has.
  void stray_reply(const char* address) {
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    runtime::Peer from;
    from.address = ip(address);
    loop_.on_reply(from, p, ticks_, engine::TimestampSource::kSimulated);
  }
  // `display ntp trace`, run until it answers (bounded).
  std::string trace() {
    std::optional<std::string> text;
    hooks_->trace([&text](std::string t) { text = std::move(t); });
    for (int i = 0; i < 1000 && !text; ++i) run(10);
    return text.value_or("(no answer)");
  }

  std::map<std::string, Server> servers;
  BackendCounters drops_;
  std::map<std::string, int> requests_to_;
  runtime::ControlLoop& loop() { return loop_; }
  MgmtHooks& hooks() { return *hooks_; }
  // The daemon's (disciplined) clock now: what the loop stamps events with.
  UnixNanos utc_now() { return clock_.to_utc(ticks_); }
  Recorder& transport() { return transport_; }

 private:
  uint64_t ticks_ = kTick0;
  clock::PublishedClock published_;
  runtime::VirtualClock clock_;
  Recorder transport_;
  runtime::RuntimeObserver observer_;
  runtime::ControlLoop loop_;
  std::optional<MgmtHooks> hooks_;
};

config::Association server(const char* address, bool ipv6 = false) {
  config::Association a;
  a.address = address;
  a.kind = ipv6 ? config::ServerKind::kIpv6 : config::ServerKind::kIpv4;
  a.minpoll = 0;  // lab exponent: a request every second
  a.maxpoll = 0;
  return a;
}

TEST(PacketStatisticsLive, PerFamilyCountersAndBackendDropsAddUp) {
  Lab lab;
  lab.servers["198.18.0.1"] = Server{};
  lab.servers["2001:db8::1"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1"), server("2001:db8::1", true)};
  lab.commit(c);
  lab.run(5000);
  lab.stray_reply("198.18.0.99");
  lab.drops_.family[1].invalid = 4;
  lab.drops_.family[0].server[static_cast<size_t>(server::ServeOutcome::kDisabled)] = 2;

  const display::StatusSnapshot s = lab.hooks().status();
  const runtime::FamilyCounters& v4 = lab.loop().counters().family[0];
  ASSERT_GE(v4.requests, 4u);
  EXPECT_EQ(s.ipv4_packets.sent, v4.requests);
  EXPECT_EQ(s.ipv6_packets.sent, lab.loop().counters().family[1].requests);
  EXPECT_GT(s.ipv4_packets.processed, 0u);
  EXPECT_GT(s.ipv6_packets.processed, 0u);
  EXPECT_EQ(s.ipv4_packets.others, 1u);
  EXPECT_EQ(s.ipv4_packets.server_disabled, 2u);
  EXPECT_EQ(s.ipv6_packets.invalid_packets, 4u);
  EXPECT_EQ(s.ipv4_packets.dropped, 3u);
  EXPECT_EQ(s.ipv4_packets.received, s.ipv4_packets.processed + s.ipv4_packets.dropped);
  ASSERT_EQ(s.ipv4_packets.last_drop_reasons.size(), 1u);
  EXPECT_EQ(s.ipv4_packets.last_drop_reasons[0],
            "Others: reply from a host that is not a configured server");
  EXPECT_TRUE(s.ipv6_packets.last_drop_reasons.empty());
}

// Requests the server refused for authentication are authentication failures (nested in the
// validity test failures) of their family's display.
TEST(PacketStatisticsLive, ServerAuthenticationFailuresCount) {
  Lab lab;
  lab.servers["198.18.0.1"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1")};
  lab.commit(c);
  lab.run(3000);
  const display::StatusSnapshot before = lab.hooks().status();
  lab.drops_.family[0].server[static_cast<size_t>(server::ServeOutcome::kAuthFailed)] = 3;
  const display::StatusSnapshot s = lab.hooks().status();
  EXPECT_EQ(s.ipv4_packets.authentication_failures,
            before.ipv4_packets.authentication_failures + 3);
  EXPECT_EQ(s.ipv4_packets.validity_test_failures, before.ipv4_packets.validity_test_failures + 3);
  EXPECT_EQ(s.ipv4_packets.dropped, before.ipv4_packets.dropped + 3);
  EXPECT_EQ(s.ipv4_packets.received, s.ipv4_packets.processed + s.ipv4_packets.dropped);
  EXPECT_EQ(s.ipv6_packets.authentication_failures, 0u);
}

// Every server outcome lands in exactly one VRP row (or Processed), so Received = Processed +
// Dropped counts each request once; replies (time and KoDs) are Sent. Per interface too.
TEST(PacketStatisticsLive, EveryServerOutcomeInExactlyOneRow) {
  using server::ServeOutcome;
  Lab lab;
  const display::StatusSnapshot before = lab.hooks().status();
  ServeCounts c{};
  for (size_t o = 0; o < c.size(); ++o) c[o] = uint64_t{1} << o;  // a distinct bit each
  lab.drops_.family[1].server = c;
  lab.drops_.interfaces.push_back(InterfaceServeCounts{"GE1/0/1", {ServeCounts{}, c}});
  const display::StatusSnapshot s = lab.hooks().status();
  auto n = [&c](ServeOutcome o) { return c[static_cast<size_t>(o)]; };
  for (const display::PacketStatistics* p : {&s.ipv6_packets, &s.interface_packets.at(0).ipv6}) {
    EXPECT_EQ(p->processed, n(ServeOutcome::kServedBasic) + n(ServeOutcome::kServedInterleaved) +
                                n(ServeOutcome::kTxFailed));
    EXPECT_EQ(p->send_failures, n(ServeOutcome::kTxFailed));
    EXPECT_EQ(p->sent, n(ServeOutcome::kServedBasic) + n(ServeOutcome::kServedInterleaved) +
                           n(ServeOutcome::kDenyKodSent) + n(ServeOutcome::kRateKodSent));
    EXPECT_EQ(p->server_disabled, n(ServeOutcome::kDisabled));
    EXPECT_EQ(p->interface_disabled, n(ServeOutcome::kNotListening));
    EXPECT_EQ(p->access_denied, n(ServeOutcome::kDeniedAcl) + n(ServeOutcome::kDenyKodSent));
    EXPECT_EQ(p->rate_limited, n(ServeOutcome::kRateKodSent) + n(ServeOutcome::kRateDropped));
    EXPECT_EQ(p->authentication_failures, n(ServeOutcome::kAuthFailed));
    EXPECT_EQ(p->validity_test_failures, n(ServeOutcome::kAuthFailed));
    EXPECT_EQ(p->invalid_packets, n(ServeOutcome::kMalformed) + n(ServeOutcome::kNotRequest) +
                                      n(ServeOutcome::kBadVersion));
    EXPECT_EQ(p->others, n(ServeOutcome::kBroadcast) + n(ServeOutcome::kUnsupportedFrame));
    // Each outcome's bit once: the rows partition the requests.
    EXPECT_EQ(p->received, (uint64_t{1} << server::kServeOutcomeCount) - 1);
    EXPECT_EQ(p->received, p->processed + p->dropped);
  }
  EXPECT_EQ(s.interface_packets.at(0).interface, "GE1/0/1");
  EXPECT_EQ(s.interface_packets.at(0).ipv4.received, 0u);
  EXPECT_EQ(s.ipv4_packets.received, before.ipv4_packets.received);

  // The reset restarts the interface blocks too.
  lab.hooks().reset_packet_statistics(true, true);
  lab.drops_.interfaces[0].family[1][static_cast<size_t>(ServeOutcome::kServedBasic)] += 5;
  const display::StatusSnapshot after = lab.hooks().status();
  EXPECT_EQ(after.interface_packets.at(0).ipv6.received, 5u);
  EXPECT_EQ(after.interface_packets.at(0).ipv6.processed, 5u);
}

// `... peer <address>`: one association's requests and replies.
TEST(PacketStatisticsLive, PeerBlocksCountTheAssociationsExchanges) {
  Lab lab;
  lab.servers["198.18.0.1"] = Server{};
  lab.servers["2001:db8::1"] = Server{.answers = false};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1"), server("2001:db8::1", true)};
  lab.commit(c);
  lab.run(5000);
  const display::StatusSnapshot s = lab.hooks().status();
  ASSERT_EQ(s.peer_packets.size(), 2u);
  const display::PeerPacketStatistics& v4 = s.peer_packets[0];
  EXPECT_EQ(v4.kind, display::PeerKind::kIpv4);
  EXPECT_EQ(v4.address, "198.18.0.1");
  EXPECT_EQ(v4.packets.sent, static_cast<uint64_t>(lab.requests_to_["198.18.0.1"]));
  EXPECT_GE(v4.packets.processed, 4u);
  EXPECT_EQ(v4.packets.received, v4.packets.processed + v4.packets.dropped);
  const display::PeerPacketStatistics& v6 = s.peer_packets[1];
  EXPECT_EQ(v6.kind, display::PeerKind::kIpv6);
  EXPECT_GE(v6.packets.sent, 4u);
  EXPECT_EQ(v6.packets.received, 0u);
  lab.hooks().reset_packet_statistics(true, false);
  const display::StatusSnapshot after = lab.hooks().status();
  EXPECT_EQ(after.peer_packets[0].packets.sent, 0u);
  EXPECT_EQ(after.peer_packets[1].packets.sent, v6.packets.sent);  // IPv6 not reset
}

TEST(PacketStatisticsLive, ResetZeroesTheDisplayNotTheCounters) {
  Lab lab;
  lab.servers["198.18.0.1"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1")};
  lab.commit(c);
  lab.run(3000);
  lab.stray_reply("198.18.0.99");
  lab.drops_.family[0].invalid = 5;
  const uint64_t requests = lab.loop().counters().family[0].requests;
  ASSERT_GT(requests, 0u);

  lab.hooks().reset_packet_statistics(true, true);
  display::StatusSnapshot s = lab.hooks().status();
  EXPECT_EQ(s.ipv4_packets.sent, 0u);
  EXPECT_EQ(s.ipv4_packets.received, 0u);
  EXPECT_EQ(s.ipv4_packets.invalid_packets, 0u);
  EXPECT_EQ(s.ipv4_packets.others, 0u);
  EXPECT_TRUE(s.ipv4_packets.last_drop_reasons.empty());
  // Monotonic underneath (metrics read these).
  EXPECT_EQ(lab.loop().counters().family[0].requests, requests);

  lab.run(2000);
  lab.drops_.family[0].invalid = 6;
  s = lab.hooks().status();
  EXPECT_GT(s.ipv4_packets.sent, 0u);
  EXPECT_EQ(s.ipv4_packets.sent, lab.loop().counters().family[0].requests - requests);
  EXPECT_EQ(s.ipv4_packets.invalid_packets, 1u);

  // `ipv6` alone leaves the IPv4 block counting.
  lab.hooks().reset_packet_statistics(false, true);
  EXPECT_EQ(lab.hooks().status().ipv4_packets.sent, s.ipv4_packets.sent);
}

TEST(SessionsVerboseLive, PeerInterfaceIsWhereRepliesArrive) {
  Lab lab;
  lab.servers["198.18.0.1"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1")};
  lab.commit(c);
  EXPECT_EQ(lab.hooks().status().associations.front().peer_interface, "");
  lab.run(2000);
  const display::SessionReport a = lab.hooks().status().associations.front();
  EXPECT_EQ(a.peer_interface, "GE1/0/1");
  EXPECT_EQ(a.peer_mode, wire::NtpMode::kServer);
  EXPECT_EQ(a.version, 4);
}

// `display ntp event clock-unsync`: each loss of synchronisation is recorded with the source
// that was lost, the reason and the time; the daemon keeps the last 10.
TEST(ClockUnsyncLive, RemovingTheSystemPeerRecordsItWithTime) {
  Lab lab;
  EXPECT_TRUE(lab.hooks().status().unsync_events.empty());
  lab.servers["198.18.0.1"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1")};
  c.unicast_servers[0].vpn_instance = "vpn1";
  lab.commit(c);
  lab.run(12000);
  ASSERT_TRUE(lab.loop().status().system.synchronized);
  EXPECT_TRUE(lab.hooks().status().unsync_events.empty());

  const UnixNanos removed_at = lab.utc_now();
  lab.commit(config::NtpConfig{});
  ASSERT_FALSE(lab.loop().status().system.synchronized);
  const std::vector<display::ClockUnsyncEvent> events = lab.hooks().status().unsync_events;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].source, "198.18.0.1");
  EXPECT_EQ(events[0].vpn_instance, "vpn1");
  EXPECT_TRUE(events[0].configured);
  EXPECT_EQ(events[0].reason, "Peer removed");
  EXPECT_EQ(events[0].time, removed_at);
}

TEST(ClockUnsyncLive, SilentSourceIsReachabilityLost) {
  Lab lab;
  lab.servers["198.18.0.2"] = Server{};
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.2")};
  lab.commit(c);
  lab.run(12000);
  ASSERT_TRUE(lab.loop().status().system.synchronized);
  lab.servers["198.18.0.2"].answers = false;
  // Bounded: reach empties after 8 one-second polls.
  for (int i = 0; i < 60 && lab.loop().status().system.synchronized; ++i) lab.run(1000);
  ASSERT_FALSE(lab.loop().status().system.synchronized);
  const std::vector<display::ClockUnsyncEvent> events = lab.hooks().status().unsync_events;
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].source, "198.18.0.2");
  EXPECT_EQ(events[0].vpn_instance, "");
  EXPECT_EQ(events[0].reason, "Peer reachability lost");
}

TEST(ClockUnsyncLive, OnlyTheLastTenAreKeptNewestFirst) {
  Lab lab;
  std::vector<UnixNanos> times;
  for (int i = 1; i <= 12; ++i) {
    const std::string address = "198.18.0." + std::to_string(i);
    lab.servers[address] = Server{};
    config::NtpConfig c;
    c.unicast_servers = {server(address.c_str())};
    lab.commit(c);
    for (int k = 0; k < 30 && !lab.loop().status().system.synchronized; ++k) lab.run(1000);
    ASSERT_TRUE(lab.loop().status().system.synchronized) << address;
    times.push_back(lab.utc_now());
    lab.commit(config::NtpConfig{});
  }
  const std::vector<display::ClockUnsyncEvent> events = lab.hooks().status().unsync_events;
  ASSERT_EQ(events.size(), 10u);
  for (size_t n = 0; n < 10; ++n) {
    EXPECT_EQ(events[n].source, "198.18.0." + std::to_string(12 - n));
    EXPECT_EQ(events[n].time, times[11 - n]);
  }
  EXPECT_EQ(lab.loop().counters().unsyncs, 12u);
  // The shell's name renders them.
  const std::optional<std::string> text =
      display::render_live_display("event clock-unsync", lab.hooks().status());
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find(" Clock source  : 198.18.0.12\n"), std::string::npos);
  EXPECT_EQ(text->find("198.18.0.2\n"), std::string::npos);
}

// A lab where 198.18.0.1 (stratum 3) follows 198.18.0.2 (stratum 2), which follows
// 198.18.0.3 (stratum 1); wiretime is synchronised to .1.
Lab& synced_to_chain(Lab& lab) {
  lab.servers["198.18.0.1"] = Server{3, 0xC6120002, true};
  lab.servers["198.18.0.2"] = Server{2, 0xC6120003, true};
  lab.servers["198.18.0.3"] = Server{1, 0x47505300, true};  // "GPS"
  config::NtpConfig c;
  c.unicast_servers = {server("198.18.0.1")};
  lab.commit(c);
  lab.run(12000);
  return lab;
}

TEST(NtpTraceLive, FollowsRefidsUpToTheStratumOneServer) {
  Lab lab;
  synced_to_chain(lab);
  ASSERT_TRUE(lab.loop().status().system.synchronized);
  const engine::AssociationStatus before = lab.loop().status().associations.front();
  lab.requests_to_.clear();

  const std::string text = lab.trace();
  EXPECT_EQ(text.rfind("server 127.0.0.1, stratum 4, offset ", 0), 0u) << text;
  EXPECT_NE(text.find("\nserver 198.18.0.1, stratum 3, offset "), std::string::npos) << text;
  EXPECT_NE(text.find("\nserver 198.18.0.2, stratum 2, offset "), std::string::npos) << text;
  EXPECT_NE(text.find("\nserver 198.18.0.3, stratum 1, offset "), std::string::npos) << text;
  EXPECT_EQ(text.substr(text.size() - 10), "refid GPS\n") << text;
  // One query per hop; the association was not touched by them.
  EXPECT_EQ(lab.requests_to_["198.18.0.2"], 1);
  EXPECT_EQ(lab.requests_to_["198.18.0.3"], 1);
  const engine::AssociationStatus after = lab.loop().status().associations.front();
  EXPECT_EQ(after.received,
            before.received + static_cast<uint64_t>(lab.requests_to_["198.18.0.1"] - 1));
  EXPECT_EQ(lab.loop().counters().replies_unknown_source, 0u);
  EXPECT_EQ(lab.loop().counters().queries, 3u);
}

TEST(NtpTraceLive, AnUnreachableHopIsShownAfterItsTimeout) {
  Lab lab;
  synced_to_chain(lab);
  lab.servers["198.18.0.2"].refid = 0xCB007109;  // 203.0.113.9: beyond the lab, no answer
  const std::string text = lab.trace();
  EXPECT_NE(text.find("\nserver 198.18.0.2, stratum 2, "), std::string::npos) << text;
  EXPECT_NE(text.find("\nserver 203.0.113.9: timed out, nothing received\n***Request timed out\n"),
            std::string::npos)
      << text;
}

TEST(NtpTraceLive, ALoopEndsTheWalk) {
  Lab lab;
  synced_to_chain(lab);
  lab.servers["198.18.0.2"] = Server{2, 0xC6120001, true};  // back to .1
  const std::string text = lab.trace();
  EXPECT_NE(text.find("***Loop: 198.18.0.1 is already on the path\n"), std::string::npos) << text;
  EXPECT_EQ(lab.requests_to_["198.18.0.3"], 0);
}

TEST(NtpTraceLive, RequestThatCannotBeSentIsUnreachableAtOnce) {
  Lab lab;
  synced_to_chain(lab);
  lab.transport().refuse = true;
  std::optional<std::string> text;
  lab.hooks().trace([&text](std::string t) { text = std::move(t); });
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("server 198.18.0.1: unreachable, request not sent\n"), std::string::npos)
      << *text;
}

TEST(NtpTraceLive, WithoutSystemPeerOnlyThisHost) {
  Lab lab;
  EXPECT_EQ(lab.trace(),
            "server 127.0.0.1, stratum 16, offset 0.000000 s, synch distance 0.00000\n"
            "refid none\n");
}

TEST(NtpTraceHop, MaxHopsBoundsTheWalk) {
  display::TraceReport report;
  report.max_hops = 2;
  display::TraceHop hop;
  hop.stratum = 3;
  hop.reference_id = 0xC6120009;
  report.hops = {hop, hop};
  const std::vector<wire::IpAddress> visited = {ip("198.18.0.1"), ip("198.18.0.2")};
  display::TraceEnd end = display::TraceEnd::kPrimary;
  EXPECT_FALSE(next_trace_hop(report, visited, end).has_value());
  EXPECT_EQ(end, display::TraceEnd::kMaxHops);
  report.max_hops = 16;
  const auto next = next_trace_hop(report, visited, end);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->to_host_order(), 0xC6120009u);
  // ntpd's local reference clock at stratum > 1 is a primary source for the walk.
  report.hops.back().reference_id = 0x7F7F0100;
  EXPECT_FALSE(next_trace_hop(report, visited, end).has_value());
  EXPECT_EQ(end, display::TraceEnd::kPrimary);
}

}  // namespace
}  // namespace wiretime::daemon

#include "control/runtime/control_loop.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

#include "control/runtime/virtual_clock.hpp"

namespace wiretime::runtime {
namespace {

constexpr uint64_t kTick0 = 1'000'000'000'000;
constexpr UnixNanos kUtc0 = int64_t{1'700'000'000} * 1'000'000'000;
constexpr uint64_t kMs = 1'000'000;

Peer peer_v4(uint8_t last) {
  return Peer{wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, last}}), 123};
}

class RecordingTransport : public Transport {
 public:
  struct Sent {
    Peer peer;
    engine::SendRequest request;
    uint64_t ticks = 0;
  };
  bool send_request(const Peer& peer, const OutgoingRequest& out) override {
    if (fail) return false;
    // What went on the wire, in the engine's terms (the header the loop built).
    engine::SendRequest request;
    request.association = out.association;
    request.cookie = out.header.transmit;
    request.version = out.header.version;
    request.poll = out.header.poll;
    request.origin = out.header.origin;
    request.receive = out.header.receive;
    sent.push_back({peer, request, *ticks});
    return true;
  }
  const uint64_t* ticks = nullptr;
  bool fail = false;
  std::deque<Sent> sent;
};

class RecordingObserver : public RuntimeObserver {
 public:
  void on_measurement(const MeasurementRecord& m) override { measurements.push_back(m); }
  void on_tracking(const TrackingRecord& t) override { tracking.push_back(t); }
  void on_source_status(const engine::AssociationStatus& s,
                        std::optional<engine::SelectionStatus>) override {
    selection[s.source] = s.selection;
    ++status_changes;
  }
  void on_synchronization(bool synced, const engine::SystemStatus&) override {
    sync_changes.push_back(synced);
  }
  void on_send_failure(const Peer&) override { ++send_failures; }
  std::vector<MeasurementRecord> measurements;
  std::vector<TrackingRecord> tracking;
  std::map<std::string, engine::SelectionStatus> selection;
  std::vector<bool> sync_changes;
  int status_changes = 0;
  int send_failures = 0;
};

// Servers keep true time (the tick counter at exactly 1 GHz from kUtc0) plus a per-server
// error; the virtual clock starts with the test knobs' error, +5 ms and +20 ppm.
class Harness {
 public:
  explicit Harness(std::vector<double> server_errors, double offset = 0.005, double ppm = 20.0)
      : errors_(std::move(server_errors)),
        clock_(published_,
               clock::ClockModel::from_rate(kTick0, kUtc0 + static_cast<int64_t>(offset * 1e9), 1e9)
                   .with_frequency(kTick0, ppm * 1000),
               [this] { return ticks_; }) {
    transport_.ticks = &ticks_;
    engine::EngineConfig config;
    loop_.emplace(config, 42, clock_, transport_, observer_);
    for (size_t i = 0; i < errors_.size(); ++i) {
      engine::AssociationConfig a;
      a.address = "198.18.0." + std::to_string(i + 1);
      a.version = 4;
      a.min_poll = 0;
      a.max_poll = 4;
      loop_->add(a, peer_v4(static_cast<uint8_t>(i + 1)));
    }
  }

  UnixNanos truth(uint64_t ticks) const { return kUtc0 + static_cast<int64_t>(ticks - kTick0); }
  double error() const {
    return static_cast<double>(published_.read().utc_nanos(ticks_) - truth(ticks_)) * 1e-9;
  }

  // Runs the loop for `seconds`: requests take 50 us each way, the server turns them around in
  // 10 us, and the dataplane reports T1 as soon as the request is sent.
  void run(double seconds, double* max_error_after = nullptr, double after = 0.0) {
    const uint64_t end = ticks_ + static_cast<uint64_t>(seconds * 1e9);
    const uint64_t start = ticks_;
    while (ticks_ < end) {
      uint64_t next = loop_->run_due();
      while (!transport_.sent.empty()) {
        const auto s = transport_.sent.front();
        transport_.sent.pop_front();
        loop_->on_transmitted(s.request.cookie, s.ticks);
        in_flight_.push_back(s);
      }
      if (!in_flight_.empty()) next = std::min(next, in_flight_.front().ticks + 110'000);
      ticks_ = std::max(ticks_ + 1, std::min(next, end));
      while (!in_flight_.empty() && in_flight_.front().ticks + 110'000 <= ticks_) {
        deliver(in_flight_.front());
        in_flight_.pop_front();
      }
      if (max_error_after != nullptr && ticks_ - start >= static_cast<uint64_t>(after * 1e9)) {
        *max_error_after = std::max(*max_error_after, std::abs(error()));
      }
    }
  }

  void deliver(const RecordingTransport::Sent& s) {
    const size_t server = s.peer.address.v4.bytes[3] - 1u;
    const auto server_time = [&](uint64_t t) {
      return NtpTimestamp::from_unix_nanos(truth(t) + static_cast<int64_t>(errors_[server] * 1e9));
    };
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.version = 4;
    p.header.stratum = 1;
    p.header.precision = -20;
    p.header.reference_id = 0x47505300;
    p.header.poll = s.request.poll;
    p.header.origin = s.request.cookie;
    p.header.receive = server_time(s.ticks + 50'000);
    p.header.transmit = server_time(s.ticks + 60'000);
    p.header.reference = server_time(s.ticks);
    const uint64_t t4 = ticks_;
    ticks_ = s.ticks + 110'000;
    loop_->on_reply(s.peer, p, ticks_, engine::TimestampSource::kTsc);
    ticks_ = std::max(ticks_, t4);
  }

  uint64_t ticks_ = kTick0;
  std::vector<double> errors_;
  clock::PublishedClock published_;
  VirtualClock clock_;
  RecordingTransport transport_;
  RecordingObserver observer_;
  std::optional<ControlLoop> loop_;
  std::deque<RecordingTransport::Sent> in_flight_;
};

TEST(ControlLoop, FirstPollSendsARequestWithACookieAndReportsT1) {
  Harness h({0.0});
  h.loop_->run_due();
  ASSERT_EQ(h.transport_.sent.size(), 1u);
  const auto s = h.transport_.sent.front();
  EXPECT_EQ(s.peer, peer_v4(1));
  EXPECT_FALSE(s.request.cookie.is_zero());
  EXPECT_EQ(h.loop_->counters().requests, 1u);
  h.loop_->on_transmitted(NtpTimestamp::from_raw(12345), kTick0);  // not our cookie
  EXPECT_EQ(h.loop_->counters().transmitted_unmatched, 1u);
}

TEST(ControlLoop, MeasurementRecordCarriesTheRawOnWireOffset) {
  Harness h({0.0}, 0.005, 0.0);
  h.loop_->run_due();
  const auto s = h.transport_.sent.front();
  h.transport_.sent.clear();
  h.loop_->on_transmitted(s.request.cookie, s.ticks);
  h.ticks_ += 110'000;
  h.deliver(s);
  ASSERT_EQ(h.observer_.measurements.size(), 1u);
  const MeasurementRecord& m = h.observer_.measurements.front();
  EXPECT_EQ(m.reason, engine::OnWireReason::kOk);
  EXPECT_EQ(m.peer, peer_v4(1));
  // The clock is 5 ms ahead: the server appears 5 ms behind.
  EXPECT_NEAR(m.offset, -0.005, 1e-8);
  EXPECT_NEAR(m.delay, 100e-6, 1e-8);
  EXPECT_EQ(m.provenance, engine::TimestampSource::kTsc);
}

TEST(ControlLoop, RepliesFromUnknownSourcesAreCountedNotMeasured) {
  Harness h({0.0});
  h.loop_->run_due();
  wire::NtpPacket p;
  p.header.mode = wire::NtpMode::kServer;
  h.loop_->on_reply(peer_v4(77), p, h.ticks_, engine::TimestampSource::kTsc);
  EXPECT_EQ(h.loop_->counters().replies_unknown_source, 1u);
  EXPECT_TRUE(h.observer_.measurements.empty());
}

TEST(ControlLoop, RepliesAreDemultiplexedByVrfAddressAndPort) {
  Harness h({0.0});
  h.loop_->run_due();
  wire::NtpPacket p;
  p.header.mode = wire::NtpMode::kServer;
  Peer other_vrf = peer_v4(1);
  other_vrf.vrf = 3;
  h.loop_->on_reply(other_vrf, p, h.ticks_, engine::TimestampSource::kTsc);
  EXPECT_EQ(h.loop_->counters().replies_unknown_source, 1u);
  // The interface a reply arrived on does not matter.
  Peer arrived = peer_v4(1);
  arrived.interface = 9;
  EXPECT_TRUE(same_server(arrived, peer_v4(1)));
  EXPECT_FALSE(same_server(other_vrf, peer_v4(1)));
  EXPECT_EQ(to_string(other_vrf), "198.18.0.1:123@vrf3");
  EXPECT_EQ(to_string(peer_v4(1)), "198.18.0.1:123");
  // IPv6 in the RFC 5952 form the configuration and the displays use, bracketed before the port.
  Peer v6 = peer_v4(1);
  v6.address.version = wire::IpVersion::kV6;
  v6.address.v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(to_string(v6), "[2001:db8::1]:123");
}

TEST(ControlLoop, ResolvedNameKeepsTheConfiguredVrfAndInterface) {
  Harness h({});
  engine::AssociationConfig a;
  a.address = "ntp.example";
  a.is_domain = true;
  a.version = 4;
  a.min_poll = 0;
  a.max_poll = 4;
  const auto id = h.loop_->add(a, Peer{{}, 123, 4, 7});
  h.loop_->on_resolved(id, Peer{wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 9}}), 1123});
  for (int i = 0; i < 100 && h.transport_.sent.empty(); ++i) {
    h.ticks_ = std::max(h.ticks_ + 1, h.loop_->run_due());
  }
  ASSERT_FALSE(h.transport_.sent.empty());
  const Peer& sent = h.transport_.sent.front().peer;
  EXPECT_EQ(sent.address, wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 9}}));
  EXPECT_EQ(sent.port, 1123);
  EXPECT_EQ(sent.vrf, 4);
  EXPECT_EQ(sent.interface, 7);
}

TEST(ControlLoop, PlacementMapsVpnInstanceAndSourceInterfaceOnAddAndReconfigure) {
  Harness h({});
  h.loop_->set_placement([](const engine::AssociationConfig& c, Peer& p) {
    p.vrf = c.vpn_instance == "red" ? 1 : 0;
    p.interface = c.source_interface.empty() ? kAnyInterface : uint16_t{4};
  });
  engine::AssociationConfig a;
  a.address = "198.18.0.1";
  a.version = 4;
  a.min_poll = 0;
  a.max_poll = 4;
  a.vpn_instance = "red";
  const auto id = h.loop_->add(a, peer_v4(1));
  h.loop_->run_due();
  ASSERT_EQ(h.transport_.sent.size(), 1u);
  EXPECT_EQ(h.transport_.sent.front().peer.vrf, 1);
  EXPECT_EQ(h.transport_.sent.front().peer.interface, kAnyInterface);
  a.source_interface = "GE1/0/1.100";
  ASSERT_TRUE(h.loop_->reconfigure(id, a));
  h.transport_.sent.clear();
  for (int i = 0; i < 100 && h.transport_.sent.empty(); ++i) {
    h.ticks_ = std::max(h.ticks_ + 1, h.loop_->run_due());
  }
  ASSERT_FALSE(h.transport_.sent.empty());
  EXPECT_EQ(h.transport_.sent.front().peer.interface, 4);
}

TEST(ControlLoop, StaleReplyIsRejectedWithItsReason) {
  Harness h({0.0});
  h.loop_->run_due();
  auto s = h.transport_.sent.front();
  h.transport_.sent.clear();
  h.loop_->on_transmitted(s.request.cookie, s.ticks);
  s.request.cookie = NtpTimestamp::from_raw(999);  // forged origin
  h.ticks_ += 110'000;
  h.deliver(s);
  ASSERT_EQ(h.observer_.measurements.size(), 1u);
  EXPECT_EQ(h.observer_.measurements.front().reason, engine::OnWireReason::kBogus);
}

TEST(ControlLoop, SendFailureIsReported) {
  Harness h({0.0});
  h.transport_.fail = true;
  h.loop_->run_due();
  EXPECT_EQ(h.loop_->counters().send_failures, 1u);
  EXPECT_EQ(h.observer_.send_failures, 1);
}

// `display ntp trace`'s one-shot queries: answered with the server's offset against our clock,
// dropped by the dataplane, or timed out by run_due(); none of them touches an association.
TEST(ControlLoop, OneShotQueryIsAnsweredOutsideTheAssociations) {
  Harness h({0.002});
  std::vector<QueryResult> results;
  ASSERT_TRUE(h.loop_->query(peer_v4(1), 1.0, [&](const QueryResult& r) { results.push_back(r); }));
  ASSERT_EQ(h.transport_.sent.size(), 1u);
  EXPECT_EQ(h.transport_.sent.front().request.association, 0u);
  const uint64_t received_before = h.loop_->status().associations.front().received;
  h.run(0.001);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, QueryResult::Outcome::kAnswered);
  EXPECT_EQ(results[0].header.stratum, 1);
  // The server is 2 ms ahead of true time, our clock 5 ms ahead: -3 ms; 110 us round trip
  // less the server's 10 us.
  EXPECT_EQ(results[0].reason, engine::OnWireReason::kOk);
  ASSERT_TRUE(results[0].measured);
  EXPECT_NEAR(results[0].offset, -0.003, 1e-4);
  EXPECT_NEAR(results[0].delay, 100e-6, 1e-6);
  // The association's own first poll went out and was answered; the query reply was not its.
  EXPECT_EQ(h.loop_->status().associations.front().received, received_before + 1);
  EXPECT_EQ(h.loop_->counters().replies_unknown_source, 0u);
  EXPECT_EQ(h.loop_->counters().queries, 1u);
}

// The query's reply goes through the engine's on-wire checks and sample (one computation for
// associations and queries): an unsynchronised server's answer is measured but flagged, and a
// reply whose T1 was never reported has no sample.
TEST(ControlLoop, OneShotQueryGetsTheEnginesVerdictAndSample) {
  Harness h({0.0});
  std::vector<QueryResult> results;
  auto done = [&](const QueryResult& r) { results.push_back(r); };
  auto answer = [&](bool report_t1) {
    const auto sent = h.transport_.sent.back();
    h.transport_.sent.clear();
    if (report_t1) h.loop_->on_transmitted(sent.request.cookie, sent.ticks);
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.version = 4;
    p.header.stratum = 16;
    p.header.leap = wire::LeapIndicator::kUnsynchronized;
    p.header.origin = sent.request.cookie;
    p.header.receive = h.clock_.to_ntp(sent.ticks + 50'000);
    p.header.transmit = h.clock_.to_ntp(sent.ticks + 60'000);
    h.loop_->on_reply(sent.peer, p, sent.ticks + 110'000, engine::TimestampSource::kTsc);
  };
  ASSERT_TRUE(h.loop_->query(peer_v4(1), 1.0, done));
  answer(true);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, QueryResult::Outcome::kAnswered);
  EXPECT_EQ(results[0].reason, engine::OnWireReason::kUnsynchronized);
  ASSERT_TRUE(results[0].measured);
  EXPECT_NEAR(results[0].offset, 0.0, 1e-6);
  EXPECT_NEAR(results[0].delay, 100e-6, 1e-6);

  ASSERT_TRUE(h.loop_->query(peer_v4(1), 1.0, done));
  answer(false);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].outcome, QueryResult::Outcome::kAnswered);
  EXPECT_FALSE(results[1].measured);
}

TEST(ControlLoop, OneShotQueryNotSentOrTimedOut) {
  Harness h({0.0});
  std::vector<QueryResult> results;
  auto done = [&](const QueryResult& r) { results.push_back(r); };
  ASSERT_TRUE(h.loop_->query(peer_v4(9), 0.5, done));
  const NtpTimestamp dropped = h.transport_.sent.back().request.cookie;
  h.loop_->on_not_sent(dropped);  // e.g. the dataplane has no route
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].outcome, QueryResult::Outcome::kNotSent);
  EXPECT_EQ(h.loop_->counters().not_sent, 0u) << "not an association's request";

  h.transport_.sent.clear();
  ASSERT_TRUE(h.loop_->query(peer_v4(9), 0.5, done));
  h.transport_.sent.clear();  // never answered
  const uint64_t next = h.loop_->run_due();
  EXPECT_LE(next, h.ticks_ + 500 * kMs) << "the deadline wakes the loop";
  h.ticks_ += 499 * kMs;
  h.loop_->run_due();
  EXPECT_EQ(results.size(), 1u);
  h.ticks_ += 2 * kMs;
  h.loop_->run_due();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].outcome, QueryResult::Outcome::kTimedOut);
  EXPECT_EQ(results[1].peer, peer_v4(9));

  h.transport_.fail = true;
  EXPECT_FALSE(h.loop_->query(peer_v4(9), 0.5, done));
  EXPECT_EQ(results.size(), 2u);
}

TEST(ControlLoop, CountersPerFamily) {
  Harness h({0.0});
  h.run(3.0);
  const RuntimeCounters& c = h.loop_->counters();
  EXPECT_EQ(c.family[0].requests, c.requests);
  EXPECT_EQ(c.family[0].replies, c.replies);
  EXPECT_GT(c.family[0].on_wire[0], 0u);
  EXPECT_EQ(c.family[1].requests, 0u);
  Peer v6;
  wire::Ipv6Address a;
  a.bytes[0] = 0x20;
  v6.address = wire::IpAddress::from(a);
  wire::NtpPacket p;
  p.header.mode = wire::NtpMode::kServer;
  h.loop_->on_reply(v6, p, h.ticks_, engine::TimestampSource::kTsc);
  EXPECT_EQ(c.family[1].replies_unknown_source, 1u);
  EXPECT_EQ(c.drops, 1u);
  EXPECT_TRUE(c.last_drops[0].unknown_source);
  EXPECT_EQ(c.last_drops[0].family, wire::IpVersion::kV6);
}

TEST(ControlLoop, DisciplinesTheVirtualClockFromFiveMillisecondsAndTwentyPpm) {
  Harness h({0.0});
  EXPECT_NEAR(h.error(), 0.005, 1e-9);
  double max_late = 0.0;
  h.run(60.0);
  EXPECT_LT(std::abs(h.error()), 100e-6);
  h.run(240.0, &max_late, 0.0);
  EXPECT_LT(max_late, 20e-6);
  ASSERT_FALSE(h.observer_.sync_changes.empty());
  EXPECT_TRUE(h.observer_.sync_changes.back());
  EXPECT_FALSE(h.observer_.tracking.empty());
  EXPECT_EQ(h.observer_.selection["198.18.0.1"], engine::SelectionStatus::kSystemPeer);
  // The frequency correction found the injected +20 ppm.
  EXPECT_NEAR(h.clock_.info().frequency, -20e-6, 1e-6);
  const RuntimeStatus status = h.loop_->status();
  EXPECT_TRUE(status.system.synchronized);
  EXPECT_EQ(status.associations.size(), 1u);
  EXPECT_GT(status.counters.clock_updates, 0u);
}

TEST(ControlLoop, FalsetickerIsRejectedAndReported) {
  Harness h({0.0, 0.0, 0.010});
  double max_late = 0.0;
  h.run(300.0, &max_late, 120.0);
  EXPECT_EQ(h.observer_.selection["198.18.0.3"], engine::SelectionStatus::kFalseticker);
  EXPECT_LT(max_late, 20e-6);
}

TEST(ControlLoop, TrackingRecordsDescribeEachClockUpdate) {
  Harness h({0.0});
  h.run(30.0);
  ASSERT_FALSE(h.observer_.tracking.empty());
  const TrackingRecord& first = h.observer_.tracking.front();
  EXPECT_TRUE(first.kind == ClockUpdateKind::kStep || first.kind == ClockUpdateKind::kSlew ||
              first.kind == ClockUpdateKind::kFrequency);
  for (size_t i = 1; i < h.observer_.tracking.size(); ++i) {
    EXPECT_GE(h.observer_.tracking[i].ticks, h.observer_.tracking[i - 1].ticks);
  }
  EXPECT_EQ(h.loop_->counters().clock_updates, h.observer_.tracking.size());
}

}  // namespace
}  // namespace wiretime::runtime

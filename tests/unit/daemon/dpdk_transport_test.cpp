#include "control/daemon/dpdk_transport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "control/runtime/virtual_clock.hpp"

namespace wiretime::daemon {
namespace {

constexpr uint64_t kTick0 = 1'000'000'000'000;
constexpr UnixNanos kUtc0 = int64_t{1'700'000'000} * 1'000'000'000;

wire::IpAddress v4(uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{198, 18, 1, d}});
}

wire::IpAddress v6(uint8_t last) {
  wire::Ipv6Address a{};
  a.bytes[0] = 0x20;
  a.bytes[1] = 0x01;
  a.bytes[2] = 0x0d;
  a.bytes[3] = 0xb8;
  a.bytes[15] = last;
  return wire::IpAddress::from(a);
}

class Measurements : public runtime::RuntimeObserver {
 public:
  void on_measurement(const runtime::MeasurementRecord& m) override { records.push_back(m); }
  std::vector<runtime::MeasurementRecord> records;
};

// A control loop on a manual tick counter, fed through the transport like the backend does.
struct Fixture {
  explicit Fixture(const auth::KeyTable* keys = nullptr)
      : clock(published, clock::ClockModel::from_rate(kTick0, kUtc0, 1e9),
              [this] { return ticks; }),
        transport(50000, [this](const dpdk::TxCommand& c) {
          if (full) return false;
          pushed.push_back(c);
          return true;
        }) {
    engine::EngineConfig config;
    config.authentication_enabled = keys != nullptr;  // as the backend does with a key file
    loop.emplace(config, 7, clock, transport, observer);
    loop->set_keys(keys);
  }

  // What the backend does with one event of the rings.
  void deliver(const dpdk::DataplaneEvent& e) {
    DpdkTransport::Events events;
    const size_t n = transport.translate(e, events);
    for (size_t i = 0; i < n; ++i) loop->deliver(events[i]);
  }

  uint64_t verdicts(auth::MacVerdict v) const {
    return loop->counters().auth_verdicts[static_cast<size_t>(v)];
  }

  engine::AssociationId add(const runtime::Peer& peer, uint32_t key_id = 0, uint8_t version = 4) {
    engine::AssociationConfig a;
    a.key_id = key_id;
    a.address = "server";
    a.version = version;
    a.min_poll = 0;
    a.max_poll = 4;
    return loop->add(a, peer);
  }

  // Runs the loop until it has asked for a request; returns that command.
  std::optional<dpdk::TxCommand> next_request() {
    for (int i = 0; i < 100; ++i) {
      const size_t before = pushed.size();
      ticks = std::max(ticks + 1, loop->run_due());
      if (pushed.size() > before) return pushed.back();
    }
    return std::nullopt;
  }

  dpdk::DataplaneEvent transmitted(const dpdk::TxCommand& c) const {
    dpdk::DataplaneEvent e;
    e.kind = dpdk::DataplaneEvent::Kind::kNtpTransmitted;
    e.cookie = c.cookie;
    e.ticks = ticks;
    return e;
  }

  dpdk::DataplaneEvent reply(const dpdk::TxCommand& c, uint16_t vrf, uint8_t stratum,
                             dpdk::StampSource stamp = dpdk::StampSource::kTsc) const {
    dpdk::DataplaneEvent e;
    e.kind = dpdk::DataplaneEvent::Kind::kNtpReply;
    e.src = c.server;
    e.src_port = c.dst_port;
    e.dst_port = c.src_port;
    e.vrf = vrf;
    e.interface = vrf;
    e.ticks = ticks + 100'000;
    e.stamp = stamp;
    e.ntp.mode = wire::NtpMode::kServer;
    e.ntp.version = 4;
    e.ntp.stratum = stratum;
    e.ntp.precision = -20;
    e.ntp.origin = c.cookie;
    e.ntp.receive =
        NtpTimestamp::from_unix_nanos(kUtc0 + static_cast<int64_t>(ticks - kTick0) + 50'000);
    e.ntp.transmit = e.ntp.receive + NtpDuration::from_nanos(1'000);
    e.ntp.reference = e.ntp.receive;
    return e;
  }

  uint64_t ticks = kTick0;
  clock::PublishedClock published;
  runtime::VirtualClock clock;
  Measurements observer;
  std::vector<dpdk::TxCommand> pushed;
  bool full = false;
  DpdkTransport transport;
  std::optional<runtime::ControlLoop> loop;
};

TEST(DpdkTransport, RequestsAreRoutedByServerVrfAndSourceInterface) {
  Fixture f;
  f.add(runtime::Peer{v6(1), 123, 2, 5});
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, dpdk::TxCommand::Kind::kNtpRequest);
  EXPECT_EQ(c->server, v6(1));
  EXPECT_EQ(c->vrf, 2);
  EXPECT_EQ(c->interface, 5);
  EXPECT_EQ(c->src_port, 50000);
  EXPECT_EQ(c->dst_port, 123);
  EXPECT_FALSE(c->cookie.is_zero());
}

TEST(DpdkTransport, PrepareAsksTheDataplaneToResolveTheNextHop) {
  Fixture f;
  f.transport.prepare(runtime::Peer{v4(1), 123, 1, runtime::kAnyInterface});
  ASSERT_EQ(f.pushed.size(), 1u);
  EXPECT_EQ(f.pushed[0].kind, dpdk::TxCommand::Kind::kArpRequest);
  EXPECT_EQ(f.pushed[0].server, v4(1));
  EXPECT_EQ(f.pushed[0].vrf, 1);
  EXPECT_EQ(f.pushed[0].interface, dpdk::kAnyInterface);
}

TEST(DpdkTransport, FullCommandRingIsASendFailure) {
  Fixture f;
  f.full = true;
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface});
  for (int i = 0; i < 100 && f.loop->counters().send_failures == 0; ++i) {
    f.ticks = std::max(f.ticks + 1, f.loop->run_due());
  }
  EXPECT_EQ(f.loop->counters().send_failures, 1u);
  EXPECT_EQ(f.transport.ring_full(), 1u);
}

TEST(DpdkTransport, SameAddressInTwoVrfsIsTwoServersDemultiplexedByVrf) {
  Fixture f;
  const auto red = f.add(runtime::Peer{v4(1), 123, 1, runtime::kAnyInterface});
  const auto blue = f.add(runtime::Peer{v4(1), 123, 2, runtime::kAnyInterface});
  std::vector<dpdk::TxCommand> requests;
  for (int i = 0; i < 200 && requests.size() < 2; ++i) {
    const size_t before = f.pushed.size();
    f.ticks = std::max(f.ticks + 1, f.loop->run_due());
    for (size_t k = before; k < f.pushed.size(); ++k) {
      f.deliver(f.transmitted(f.pushed[k]));
      requests.push_back(f.pushed[k]);
    }
  }
  ASSERT_EQ(requests.size(), 2u);
  for (const dpdk::TxCommand& c : requests) {
    f.deliver(f.reply(c, c.vrf, static_cast<uint8_t>(c.vrf)));
  }
  // A reply in a VRF with no such server is from an unknown source.
  f.deliver(f.reply(requests[0], 3, 1));
  ASSERT_EQ(f.observer.records.size(), 2u);
  for (const runtime::MeasurementRecord& m : f.observer.records) {
    EXPECT_EQ(m.association, m.peer.vrf == 1 ? red : blue);
    EXPECT_EQ(m.header.stratum, m.peer.vrf);
    EXPECT_EQ(m.reason, engine::OnWireReason::kOk);
  }
  EXPECT_EQ(f.loop->counters().replies, 2u);
  EXPECT_EQ(f.loop->counters().replies_unknown_source, 1u);
}

TEST(DpdkTransport, ReplyToAnotherPortIsNotOurs) {
  Fixture f;
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface});
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  dpdk::DataplaneEvent e = f.reply(*c, 0, 1);
  e.dst_port = 123;
  f.deliver(e);
  EXPECT_EQ(f.transport.other_port(), 1u);
  EXPECT_EQ(f.loop->counters().replies, 0u);
}

// `ntp source-port`: requests leave from the committed port from the next one on, and the
// replies to it are ours (those to the old port no longer); undo returns to the start's port.
TEST(DpdkTransport, SourcePortMovesRequestsAndTheRepliesThatAreOurs) {
  Fixture f;
  f.add(runtime::Peer{v4(1), 5000, 0, runtime::kAnyInterface});
  ASSERT_EQ(f.loop->set_source_port(123), std::nullopt);
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->src_port, 123);
  EXPECT_EQ(c->dst_port, 5000);
  f.deliver(f.transmitted(*c));
  dpdk::DataplaneEvent old_port = f.reply(*c, 0, 1);
  old_port.dst_port = 50000;
  f.deliver(old_port);
  EXPECT_EQ(f.transport.other_port(), 1u);
  f.deliver(f.reply(*c, 0, 1));
  EXPECT_EQ(f.loop->counters().replies, 1u);
  ASSERT_EQ(f.loop->set_source_port(std::nullopt), std::nullopt);
  EXPECT_EQ(f.transport.client_port(), 50000);
}

TEST(DpdkTransport, StampProvenanceReachesTheEngine) {
  EXPECT_EQ(timestamp_source(dpdk::StampSource::kTsc), engine::TimestampSource::kTsc);
  EXPECT_EQ(timestamp_source(dpdk::StampSource::kNicTsc), engine::TimestampSource::kNicHardware);
  EXPECT_EQ(timestamp_source(dpdk::StampSource::kNicUtc), engine::TimestampSource::kNicHardware);

  Fixture f;
  const auto id = f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface});
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  f.deliver(f.transmitted(*c));
  f.deliver(f.reply(*c, 0, 1, dpdk::StampSource::kNicTsc));
  ASSERT_EQ(f.observer.records.size(), 1u);
  EXPECT_EQ(f.observer.records[0].provenance, engine::TimestampSource::kNicHardware);
  EXPECT_EQ(f.observer.records[0].reason, engine::OnWireReason::kOk);
  for (const engine::AssociationStatus& s : f.loop->status().associations) {
    if (s.id == id) {
      EXPECT_EQ(s.provenance.source, engine::TimestampSource::kNicHardware);
    }
  }
}

auth::KeyTable sha256_key(uint32_t id, uint8_t fill) {
  auth::KeyTable keys;
  auth::SymmetricKey k;
  k.id = id;
  k.algorithm = auth::MacAlgorithm::kSha256;
  k.secret.assign(32, fill);
  keys.add(k);
  return keys;
}

// The MAC the lcore will append covers the header it writes, and is what a server checks.
TEST(DpdkTransport, KeyedRequestsCarryTheMacOfTheHeaderTheLcoreWrites) {
  const auth::KeyTable keys = sha256_key(7, 0x5a);
  Fixture f(&keys);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface}, 7);
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->mac_key_id, 7u);
  EXPECT_EQ(c->mac_length, 20u);  // SHA256 truncated to 20 bytes in NTPv4
  const wire::NtpMac mac{c->mac_key_id, std::span<const uint8_t>(c->mac.data(), c->mac_length)};
  EXPECT_EQ(auth::verify_ntp_header(keys, dpdk::ntp_request_header(*c), &mac, 7u),
            auth::MacVerdict::kOk);
  EXPECT_EQ(f.loop->counters().sign_failures, 0u);
}

TEST(DpdkTransport, KeyedRepliesAreVerifiedAndFailuresCounted) {
  const auth::KeyTable keys = sha256_key(7, 0x5a);
  const auth::KeyTable wrong = sha256_key(7, 0x33);
  Fixture f(&keys);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface}, 7);
  // reply_with(KEYS): the next request answered, its reply signed with KEYS (null: no MAC).
  auto reply_with = [&f](const auth::KeyTable* signer) {
    const auto c = f.next_request();
    if (!c) return false;
    f.deliver(f.transmitted(*c));
    dpdk::DataplaneEvent e = f.reply(*c, 0, 1);
    if (signer != nullptr) {
      std::array<uint8_t, wire::kNtpHeaderSize> covered{};
      wire::encode_ntp(covered, e.ntp);
      auth::MacTrailer t;
      if (auth::sign_ntp(*signer, 7, covered, 4, t) != auth::SignError::kOk) return false;
      e.has_mac = true;
      e.mac_key_id = 7;
      e.mac_length = static_cast<uint8_t>(t.digest_length);
      std::copy_n(t.digest.begin(), t.digest_length, e.mac.begin());
    }
    f.deliver(e);
    return true;
  };
  ASSERT_TRUE(reply_with(&keys));
  ASSERT_EQ(f.observer.records.size(), 1u);
  EXPECT_EQ(f.observer.records[0].reason, engine::OnWireReason::kOk);
  EXPECT_EQ(f.verdicts(auth::MacVerdict::kOk), 1u);

  ASSERT_TRUE(reply_with(&wrong));
  ASSERT_TRUE(reply_with(nullptr));
  ASSERT_EQ(f.observer.records.size(), 3u);
  EXPECT_EQ(f.observer.records[1].reason, engine::OnWireReason::kAuthentication);
  EXPECT_EQ(f.observer.records[2].reason, engine::OnWireReason::kAuthentication);
  EXPECT_EQ(f.verdicts(auth::MacVerdict::kBadDigest), 1u);
  EXPECT_EQ(f.verdicts(auth::MacVerdict::kMissing), 1u);
  EXPECT_EQ(f.loop->counters().authentication_failures, 2u);
}

// NTPv3 keeps the whole digest (chronyd sends SHA256+ keys that way): the request goes out with
// its 32 bytes and a reply signed the same way verifies (the ring records once held 20 bytes,
// so such an association sent nothing).
TEST(DpdkTransport, NtpV3CarriesWholeSha256DigestsBothWays) {
  const auth::KeyTable keys = sha256_key(7, 0x5a);
  Fixture f(&keys);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface}, 7, 3);
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version, 3u);
  EXPECT_EQ(c->mac_length, 32u);
  const wire::NtpMac mac{c->mac_key_id, std::span<const uint8_t>(c->mac.data(), c->mac_length)};
  EXPECT_EQ(auth::verify_ntp_header(keys, dpdk::ntp_request_header(*c), &mac, 7u),
            auth::MacVerdict::kOk);
  EXPECT_EQ(f.transport.mac_too_long(), 0u);

  f.deliver(f.transmitted(*c));
  dpdk::DataplaneEvent e = f.reply(*c, 0, 1);
  e.ntp.version = 3;
  std::array<uint8_t, wire::kNtpHeaderSize> covered{};
  wire::encode_ntp(covered, e.ntp);
  auth::MacTrailer t;
  ASSERT_EQ(auth::sign_ntp(keys, 7, covered, 3, t), auth::SignError::kOk);
  ASSERT_EQ(t.digest_length, 32u);
  e.has_mac = true;
  e.mac_key_id = 7;
  e.mac_length = static_cast<uint8_t>(t.digest_length);
  std::copy_n(t.digest.begin(), t.digest_length, e.mac.begin());
  f.deliver(e);
  ASSERT_EQ(f.observer.records.size(), 1u);
  EXPECT_EQ(f.observer.records[0].reason, engine::OnWireReason::kOk);
  EXPECT_EQ(f.verdicts(auth::MacVerdict::kOk), 1u);
}

TEST(DpdkTransport, UnknownKeyLeavesTheRequestUnsent) {
  const auth::KeyTable keys = sha256_key(7, 0x5a);
  Fixture f(&keys);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface}, 8);
  for (int i = 0; i < 100 && f.loop->counters().send_failures == 0; ++i) {
    f.ticks = std::max(f.ticks + 1, f.loop->run_due());
  }
  EXPECT_TRUE(f.pushed.empty());
  EXPECT_EQ(f.loop->counters().sign_failures, 1u);
}

}  // namespace
}  // namespace wiretime::daemon

namespace wiretime::daemon {
namespace {

// Kernel stamps on the transport's clock: one tick per nanosecond from (kTick0, kUtc0).
uint64_t ticks_of_realtime(UnixNanos t) {
  return kTick0 + static_cast<uint64_t>(t - kUtc0);
}

TapRecord seen(const wire::NtpHeader& h, bool outgoing, UnixNanos stamp) {
  return TapRecord{outgoing, h.mode, h.origin, h.receive, h.transmit, stamp, {}, {}};
}

TEST(DpdkTransport, KernelStampsReplaceBothEndsOfAnExchange) {
  Fixture f;
  KernelStampMatcher matcher;
  f.transport.use_kernel_stamps(&matcher, ticks_of_realtime);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface});
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  f.deliver(f.transmitted(*c));
  const dpdk::DataplaneEvent r = f.reply(*c, 0, 1);
  // The kernel saw the request 3 us after the TSC read and the reply 4 us before the lcore.
  const UnixNanos t1 = kUtc0 + static_cast<int64_t>(f.ticks - kTick0) + 3'000;
  const UnixNanos t4 = kUtc0 + static_cast<int64_t>(r.ticks - kTick0) - 4'000;
  matcher.add(seen(dpdk::ntp_request_header(*c), true, t1));
  matcher.add(seen(r.ntp, false, t4));
  f.deliver(r);
  ASSERT_EQ(f.observer.records.size(), 1u);
  const runtime::MeasurementRecord& m = f.observer.records[0];
  EXPECT_EQ(m.reason, engine::OnWireReason::kOk);
  EXPECT_EQ(m.provenance, engine::TimestampSource::kKernel);
  EXPECT_EQ(m.t1.to_unix_nanos(kUtc0), t1);
  EXPECT_EQ(m.t4.to_unix_nanos(kUtc0), t4);
  EXPECT_NEAR(m.delay, 100e-6 - 7e-6 - 1e-6, 1e-9);  // 100 us by the TSC, less 7 us, less T3-T2
  EXPECT_EQ(f.transport.kernel_exchanges(), 1u);
  EXPECT_EQ(f.transport.tsc_exchanges(), 0u);
}

TEST(DpdkTransport, WithoutTheRequestsKernelStampTheTscStays) {
  Fixture f;
  KernelStampMatcher matcher;
  f.transport.use_kernel_stamps(&matcher, ticks_of_realtime);
  f.add(runtime::Peer{v4(1), 123, 0, runtime::kAnyInterface});
  const auto c = f.next_request();
  ASSERT_TRUE(c);
  f.deliver(f.transmitted(*c));
  const dpdk::DataplaneEvent r = f.reply(*c, 0, 1);
  matcher.add(seen(r.ntp, false, kUtc0 + static_cast<int64_t>(r.ticks - kTick0) - 4'000));
  f.deliver(r);
  ASSERT_EQ(f.observer.records.size(), 1u);
  EXPECT_EQ(f.observer.records[0].provenance, engine::TimestampSource::kTsc);
  EXPECT_NEAR(f.observer.records[0].delay, 100e-6 - 1e-6, 1e-9);
  EXPECT_EQ(f.transport.kernel_exchanges(), 0u);
  EXPECT_EQ(f.transport.tsc_exchanges(), 1u);
}

}  // namespace
}  // namespace wiretime::daemon

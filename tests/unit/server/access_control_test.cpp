// Access and rate control of the server (dataplane/server/access_control.hpp), without EAL:
// ACL matching, access levels, the per-address token buckets with leak and eviction, and the
// KoD packets the stage writes.
#include "dataplane/server/access_control.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

wire::IpAddress v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return wire::IpAddress::from(wire::Ipv4Address{{a, b, c, d}});
}
wire::IpAddress v6(uint16_t w0, uint16_t w1, uint16_t last) {
  wire::Ipv6Address a{};
  a.bytes[0] = static_cast<uint8_t>(w0 >> 8);
  a.bytes[1] = static_cast<uint8_t>(w0);
  a.bytes[2] = static_cast<uint8_t>(w1 >> 8);
  a.bytes[3] = static_cast<uint8_t>(w1);
  a.bytes[14] = static_cast<uint8_t>(last >> 8);
  a.bytes[15] = static_cast<uint8_t>(last);
  return wire::IpAddress::from(a);
}

// `rule permit|deny source <a.b.c.d> <wildcard>` as control compiles it.
AclEntry v4_rule(const wire::IpAddress& a, uint32_t wildcard, bool permit) {
  AclEntry e;
  e.permit = permit ? 1 : 0;
  e.mask = {0, ~wildcard};
  e.value = {0, a.v4.to_host_order() & ~wildcard};
  return e;
}
// `rule ... source <x::x>/<len>`.
AclEntry v6_rule(const wire::IpAddress& a, int len, bool permit) {
  AclEntry e;
  e.permit = permit ? 1 : 0;
  auto word_mask = [](int bits) {
    return bits <= 0 ? uint64_t{0} : bits >= 64 ? ~uint64_t{0} : ~uint64_t{0} << (64 - bits);
  };
  e.mask = {word_mask(len), word_mask(len - 64)};
  const auto k = acl_key(a);
  e.value = {k[0] & e.mask[0], k[1] & e.mask[1]};
  return e;
}
AclEntry any_rule(bool permit) {
  AclEntry e;
  e.permit = permit ? 1 : 0;
  return e;
}

AclTable table(std::vector<AclEntry> rules) {
  AclTable t;
  t.configured = 1;
  for (const AclEntry& r : rules) t.rules[t.count++] = r;
  return t;
}

void set_level(AccessTables& t, AccessLevelIndex level, bool ipv6, AclTable table) {
  t.levels[static_cast<size_t>(level)][ipv6 ? 1 : 0] = table;
}

NtpTimestamp at(double seconds) {
  return NtpTimestamp::from_raw(static_cast<uint64_t>(3'900'000'000.0 * 4294967296.0) +
                                static_cast<uint64_t>(seconds * 4294967296.0));
}

TEST(Acl, Ipv4WildcardIsAnInvertedMask) {
  const AclTable t = table({v4_rule(v4(198, 18, 0, 0), 0x000000ff, true)});  // 0.0.0.255
  EXPECT_EQ(acl_match(t, acl_key(v4(198, 18, 0, 1))), 1);
  EXPECT_EQ(acl_match(t, acl_key(v4(198, 18, 0, 255))), 1);
  EXPECT_EQ(acl_match(t, acl_key(v4(198, 18, 1, 1))), -1);
  // Host rule (wildcard 0) and a non-contiguous wildcard (0.0.255.0: any third octet).
  const AclTable host = table({v4_rule(v4(198, 18, 0, 7), 0, true)});
  EXPECT_EQ(acl_match(host, acl_key(v4(198, 18, 0, 7))), 1);
  EXPECT_EQ(acl_match(host, acl_key(v4(198, 18, 0, 8))), -1);
  const AclTable odd = table({v4_rule(v4(198, 18, 0, 9), 0x0000ff00, true)});
  EXPECT_EQ(acl_match(odd, acl_key(v4(198, 18, 77, 9))), 1);
  EXPECT_EQ(acl_match(odd, acl_key(v4(198, 18, 77, 10))), -1);
}

TEST(Acl, Ipv6Prefix) {
  const AclTable t = table({v6_rule(v6(0x2001, 0x0db8, 0), 32, true)});
  EXPECT_EQ(acl_match(t, acl_key(v6(0x2001, 0x0db8, 0x1234))), 1);
  EXPECT_EQ(acl_match(t, acl_key(v6(0x2001, 0x0db9, 1))), -1);
  const AclTable host = table({v6_rule(v6(0x2001, 0x0db8, 5), 128, false)});
  EXPECT_EQ(acl_match(host, acl_key(v6(0x2001, 0x0db8, 5))), 0);
  EXPECT_EQ(acl_match(host, acl_key(v6(0x2001, 0x0db8, 6))), -1);
  const AclTable all = table({v6_rule(v6(0x2001, 0x0db8, 5), 0, true)});
  EXPECT_EQ(acl_match(all, acl_key(v6(0xfd00, 0, 1))), 1);
}

TEST(Acl, FirstMatchingRuleDecidesAndNoMatchIsNone) {
  const AclTable t = table({v4_rule(v4(198, 18, 0, 1), 0, false),          // rule 5 deny host
                            v4_rule(v4(198, 18, 0, 0), 0x000000ff, true),  // rule 10 permit /24
                            any_rule(false)});                             // rule 15 deny any
  EXPECT_EQ(acl_match(t, acl_key(v4(198, 18, 0, 1))), 0);
  EXPECT_EQ(acl_match(t, acl_key(v4(198, 18, 0, 2))), 1);
  EXPECT_EQ(acl_match(t, acl_key(v4(203, 0, 113, 1))), 0);
  EXPECT_EQ(acl_match(table({}), acl_key(v4(198, 18, 0, 2))), -1);  // empty ACL: nothing
}

TEST(AccessLevels, OrderPeerServerSynchronizationQuery) {
  AccessTables t;
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 1)).access, AccessClass::kUncontrolled);
  // query permits the /24, synchronization permits .2 only, peer denies .2 explicitly.
  set_level(t, AccessLevelIndex::kQuery, false, table({v4_rule(v4(198, 18, 0, 0), 0xff, true)}));
  set_level(t, AccessLevelIndex::kSynchronization, false,
            table({v4_rule(v4(198, 18, 0, 2), 0, true)}));
  set_level(t, AccessLevelIndex::kPeer, false, table({v4_rule(v4(198, 18, 0, 2), 0, false)}));
  const AccessResult two = classify_access(t, v4(198, 18, 0, 2));
  EXPECT_EQ(two.access, AccessClass::kGranted);  // peer's deny only withholds peer
  EXPECT_EQ(two.level, AccessLevelIndex::kSynchronization);
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 3)).access, AccessClass::kQueryOnly);
  EXPECT_EQ(classify_access(t, v4(203, 0, 113, 1)).access, AccessClass::kDenied);
  // IPv6 is not controlled by IPv4 ACLs; a referenced but empty IPv6 ACL denies all.
  EXPECT_EQ(classify_access(t, v6(0x2001, 0xdb8, 1)).access, AccessClass::kUncontrolled);
  set_level(t, AccessLevelIndex::kServer, true, table({}));
  EXPECT_EQ(classify_access(t, v6(0x2001, 0xdb8, 1)).access, AccessClass::kDenied);
  // server grants before synchronization.
  set_level(t, AccessLevelIndex::kServer, false, table({any_rule(true)}));
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 2)).level, AccessLevelIndex::kServer);
}

TEST(AccessLevels, LimitedAloneDeniesNobody) {
  AccessTables t;
  set_level(t, AccessLevelIndex::kLimited, false, table({v4_rule(v4(198, 18, 0, 9), 0, true)}));
  EXPECT_EQ(classify_access(t, v4(198, 18, 0, 9)).access, AccessClass::kUncontrolled);
  EXPECT_TRUE(classify_access(t, v4(198, 18, 0, 9)).limited);
  EXPECT_FALSE(classify_access(t, v4(198, 18, 0, 8)).limited);
}

const auto kKey = acl_key(v4(198, 18, 0, 9));

TEST(RateLimiter, BurstThenMinInterval) {
  RateLimiter r(64);
  // min-interval 2 s (burst 4), avg-interval 32 s (burst 8): 4 back-to-back pass.
  int passed = 0;
  for (int i = 0; i < 10; ++i) {
    passed += r.charge(kKey, at(i * 0.01), 1, 5) == RateLimiter::Verdict::kPass;
  }
  EXPECT_EQ(passed, 4);
  // A refill of one min-interval lets exactly one more through.
  EXPECT_EQ(r.charge(kKey, at(2.1), 1, 5), RateLimiter::Verdict::kPass);
  EXPECT_EQ(r.charge(kKey, at(2.2), 1, 5), RateLimiter::Verdict::kLimited);
}

TEST(RateLimiter, AverageIntervalBoundsSustainedRate) {
  RateLimiter r(64);
  // One request every 2 s (allowed by min-interval) for 10 minutes: the 32 s average admits
  // the burst of 8 plus one per 32 s.
  int passed = 0;
  for (int i = 0; i < 300; ++i) {
    passed += r.charge(kKey, at(i * 2.0), 1, 5) == RateLimiter::Verdict::kPass;
  }
  EXPECT_GE(passed, 8 + 600 / 32 - 1);
  EXPECT_LE(passed, 8 + 600 / 32 + 1);
}

TEST(RateLimiter, PoliteClientIsNeverLimited) {
  RateLimiter r(64);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(r.charge(kKey, at(i * 64.0), 1, 5), RateLimiter::Verdict::kPass) << i;
  }
  // chronyd's iburst: 4 requests 2 s apart, then 64 s polls.
  RateLimiter r2(64);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(r2.charge(kKey, at(i * 2.0), 1, 5), RateLimiter::Verdict::kPass) << i;
  }
}

TEST(RateLimiter, ClockStepBackDoesNotLockOut) {
  RateLimiter r(64);
  for (int i = 0; i < 4; ++i) r.charge(kKey, at(1000.0), 1, 5);
  // The clock steps back an hour; after one min-interval the client is served again.
  EXPECT_EQ(r.charge(kKey, at(1000.0 - 3600.0 + 2.5), 1, 5), RateLimiter::Verdict::kPass);
}

TEST(RateLimiter, EvictsLeastRecentlySeenOfTheBucket) {
  RateLimiter r(4);  // one bucket of 4 ways: every address collides
  ASSERT_EQ(r.capacity(), 4u);
  const auto flood = acl_key(v4(198, 18, 0, 66));
  for (int i = 0; i < 4; ++i) r.charge(flood, at(0.0), 1, 5);
  ASSERT_EQ(r.charge(flood, at(0.0), 1, 5), RateLimiter::Verdict::kLimited);
  for (uint8_t a = 1; a <= 3; ++a) r.charge(acl_key(v4(198, 18, 0, a)), at(1.0 + a * 0.1), 1, 5);
  EXPECT_EQ(r.evictions(), 0u);
  // The flood keeps sending, so it is the most recent; a fifth address evicts .1 (oldest).
  int flood_passed = 0;
  for (int i = 0; i < 5; ++i) {
    flood_passed += r.charge(flood, at(5.0), 1, 5) == RateLimiter::Verdict::kPass;
  }
  EXPECT_LT(flood_passed, 5);
  r.charge(acl_key(v4(198, 18, 0, 4)), at(5.05), 1, 5);
  EXPECT_EQ(r.evictions(), 1u);
  EXPECT_EQ(r.charge(flood, at(5.06), 1, 5), RateLimiter::Verdict::kLimited);  // still tracked
  // .1 was forgotten: it starts again with a full bucket (and evicts .2).
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(r.charge(acl_key(v4(198, 18, 0, 1)), at(5.07), 1, 5), RateLimiter::Verdict::kPass);
  }
  EXPECT_EQ(r.evictions(), 2u);
}

TEST(RateLimiter, KodsAreLimitedPerAddress) {
  RateLimiter r(64);
  EXPECT_TRUE(r.kod_allowed(kKey, at(0.0), 1));
  EXPECT_FALSE(r.kod_allowed(kKey, at(1.0), 1));
  EXPECT_TRUE(r.kod_allowed(kKey, at(2.5), 1));
  EXPECT_TRUE(r.kod_allowed(acl_key(v4(198, 18, 0, 10)), at(2.5), 1));
}

AccessTables limited_tables(bool kod) {
  AccessTables t;
  t.kod_enable = kod ? 1 : 0;
  set_level(t, AccessLevelIndex::kLimited, false, table({any_rule(true)}));
  return t;
}

TEST(AccessGate, FloodGetsRateKodsLeakAndOthersAreServed) {
  AccessGate gate(1024);
  gate.set(limited_tables(true));
  int serve = 0, kod = 0, drop = 0;
  for (int i = 0; i < 2000; ++i) {  // 2000 requests in 2 s from one address
    switch (gate.decide(v4(198, 18, 0, 66), at(i * 0.001))) {
      case AccessAction::kServe:
        ++serve;
        break;
      case AccessAction::kRateKod:
        ++kod;
        break;
      case AccessAction::kRateDrop:
        ++drop;
        break;
      default:
        ADD_FAILURE();
    }
  }
  // 4 in the burst + 1 refill, then about a quarter leaked (chrony's leak 2).
  EXPECT_GT(serve, 2000 / 8);
  EXPECT_LT(serve, 2000 / 2);
  EXPECT_EQ(kod, 1);  // one KoD per min-interval (2 s): the rest is dropped
  EXPECT_EQ(serve + kod + drop, 2000);
  // Another client is unaffected.
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 7), at(2.0)), AccessAction::kServe);
}

TEST(AccessGate, WithoutKodLimitedRequestsAreDropped) {
  AccessGate gate(1024);
  gate.set(limited_tables(false));
  int kod = 0;
  for (int i = 0; i < 100; ++i) {
    kod += gate.decide(v4(198, 18, 0, 66), at(i * 0.001)) == AccessAction::kRateKod;
  }
  EXPECT_EQ(kod, 0);
}

TEST(AccessGate, DeniedGetsDenyKodOnlyWithKodEnable) {
  AccessTables t;
  set_level(t, AccessLevelIndex::kServer, false, table({v4_rule(v4(198, 18, 0, 1), 0, true)}));
  AccessGate gate(64);
  gate.set(t);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 1), at(0)), AccessAction::kServe);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(0)), AccessAction::kDeny);
  t.kod_enable = 1;
  gate.set(t);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(10)), AccessAction::kDenyKod);
  // A client that retries harder on DENY gets no second KoD within the min-interval.
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(10.5)), AccessAction::kDeny);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(12.5)), AccessAction::kDenyKod);
}

TEST(AccessGate, RefreshCopiesOnlyWhenPublishedChanges) {
  PublishedAccess published;
  AccessGate gate(64);
  gate.refresh(published);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(0)), AccessAction::kServe);
  AccessTables t;
  set_level(t, AccessLevelIndex::kPeer, false, table({}));
  published.store(t);
  gate.refresh(published);
  EXPECT_EQ(gate.decide(v4(198, 18, 0, 2), at(0)), AccessAction::kDeny);
}

// ---- the stage: KoD packets ----------------------------------------------------------------

const wire::Ipv4Address kClient4{{198, 18, 0, 1}};
const wire::Ipv4Address kServer4{{198, 18, 0, 2}};
const NtpTimestamp kClientTx = NtpTimestamp::from_raw(0x1122334455667788);

std::vector<uint8_t> request_frame(uint8_t version = 4) {
  std::vector<uint8_t> bytes(256);
  wire::Ipv4UdpSpec spec;
  spec.eth.dst = {{0x02, 0, 0, 0, 0, 2}};
  spec.eth.src = {{0x02, 0, 0, 0, 0, 1}};
  spec.src_ip = kClient4;
  spec.dst_ip = kServer4;
  spec.src_port = 40000;
  spec.dst_port = 123;
  wire::NtpHeader h;
  h.version = version;
  h.mode = wire::NtpMode::kClient;
  h.poll = 6;
  h.transmit = kClientTx;
  bytes.resize(wire::encode_ipv4_ntp(bytes, spec, h));
  return bytes;
}

ServerSnapshot serving() {
  ServerSnapshot s;
  s.clock.leap = 0;
  s.clock.stratum = 2;
  s.clock.reference_id = 0xc6120063;
  s.listen.ipv4_enabled = true;
  s.listen.ipv4_interfaces = 1;
  return s;
}

ServerInterface interface0() {
  ServerInterface itf;
  itf.has_primary_ipv4 = true;
  itf.primary_ipv4 = kServer4;
  return itf;
}

void expect_kod(const std::vector<uint8_t>& frame, const ServeResult& r, uint32_t kiss,
                uint8_t version) {
  ASSERT_GT(r.length, 0u);
  const wire::DecodedFrame d = wire::decode_frame(std::span<const uint8_t>(frame.data(), r.length));
  ASSERT_EQ(d.error, wire::DecodeError::kOk);  // checksums valid
  ASSERT_TRUE(d.is_ntp);
  const wire::NtpHeader& h = d.ntp.header;
  EXPECT_EQ(h.mode, wire::NtpMode::kServer);
  EXPECT_EQ(h.stratum, 0);  // RFC 5905 7.4: a kiss code has stratum 0
  EXPECT_EQ(h.leap, wire::LeapIndicator::kUnsynchronized);
  EXPECT_EQ(h.reference_id, kiss);
  EXPECT_EQ(h.version, version);
  EXPECT_EQ(h.origin, kClientTx);  // passes the client's origin check
  EXPECT_EQ(h.receive, kClientTx);
  EXPECT_EQ(h.transmit, kClientTx);
  EXPECT_EQ(d.dst_ip.v4, kClient4);
  EXPECT_EQ(d.dst_port, 40000);
}

TEST(ServerStageAccess, DenyKodFormat) {
  AccessTables t;
  t.kod_enable = 1;
  set_level(t, AccessLevelIndex::kServer, false, table({}));  // nobody
  AccessGate gate(64);
  gate.set(t);
  for (uint8_t version : {uint8_t{3}, uint8_t{4}}) {
    std::vector<uint8_t> frame = request_frame(version);
    const wire::DecodedFrame req = wire::decode_frame(frame);
    const ServeResult r = serve_in_place(frame, req, interface0(), serving(), at(version * 10.0),
                                         at(version * 10.0), nullptr, &gate);
    ASSERT_EQ(r.outcome, ServeOutcome::kDenyKodSent);
    EXPECT_TRUE(sends_reply(r.outcome));
    stamp_transmit(frame, r, at(99));  // a KoD is not restamped
    expect_kod(frame, r, kKissDeny, version);
  }
  // Within the min-interval: denied, nothing sent.
  std::vector<uint8_t> frame = request_frame();
  const ServeResult r = serve_in_place(frame, wire::decode_frame(frame), interface0(), serving(),
                                       at(40.5), at(40.5), nullptr, &gate);
  EXPECT_EQ(r.outcome, ServeOutcome::kDeniedAcl);
  EXPECT_FALSE(sends_reply(r.outcome));
}

TEST(ServerStageAccess, RateKodFormatAndServedBeforeLimit) {
  AccessGate gate(64);
  gate.set(limited_tables(true));
  std::vector<ServeOutcome> outcomes;
  std::vector<uint8_t> last;
  ServeResult last_kod;
  for (int i = 0; i < 20; ++i) {
    std::vector<uint8_t> frame = request_frame();
    const ServeResult r = serve_in_place(frame, wire::decode_frame(frame), interface0(), serving(),
                                         at(i * 0.01), at(i * 0.01), nullptr, &gate);
    outcomes.push_back(r.outcome);
    if (r.outcome == ServeOutcome::kRateKodSent) {
      last = frame;
      last_kod = r;
    }
  }
  // Four served; the fifth gets the RATE KoD or leaks through; then KoD is limited.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(outcomes[i], ServeOutcome::kServedBasic) << i;
  ASSERT_FALSE(last.empty());
  expect_kod(last, last_kod, kKissRate, 4);
}

TEST(ServerStageAccess, NotListeningIsCountedBeforeAccess) {
  AccessTables t;
  t.kod_enable = 1;
  set_level(t, AccessLevelIndex::kServer, false, table({}));
  AccessGate gate(64);
  gate.set(t);
  std::vector<uint8_t> frame = request_frame();
  ServerSnapshot s = serving();
  s.listen.ipv4_interfaces = 0;
  const ServeResult r = serve_in_place(frame, wire::decode_frame(frame), interface0(), s, at(0),
                                       at(0), nullptr, &gate);
  EXPECT_EQ(r.outcome, ServeOutcome::kNotListening);
}

TEST(ServerStageAccess, Ipv6SourcesFollowTheIpv6Acl) {
  AccessTables t;
  t.kod_enable = 1;
  set_level(t, AccessLevelIndex::kServer, true, table({v6_rule(v6(0x2001, 0x0db8, 0), 32, true)}));
  AccessGate gate(64);
  gate.set(t);
  ServerSnapshot s = serving();
  s.listen.ipv6_enabled = true;
  s.listen.ipv6_all = true;
  auto frame_from = [](const wire::IpAddress& src) {
    std::vector<uint8_t> bytes(256);
    wire::Ipv6UdpSpec spec;
    spec.eth.dst = {{0x02, 0, 0, 0, 0, 2}};
    spec.eth.src = {{0x02, 0, 0, 0, 0, 1}};
    spec.src_ip = src.v6;
    spec.dst_ip = v6(0x2001, 0x0db8, 2).v6;
    spec.src_port = 40000;
    spec.dst_port = 123;
    wire::NtpHeader h;
    h.mode = wire::NtpMode::kClient;
    h.transmit = kClientTx;
    bytes.resize(wire::encode_ipv6_ntp(bytes, spec, h));
    return bytes;
  };
  std::vector<uint8_t> ok = frame_from(v6(0x2001, 0x0db8, 1));
  EXPECT_EQ(
      serve_in_place(ok, wire::decode_frame(ok), interface0(), s, at(0), at(0), nullptr, &gate)
          .outcome,
      ServeOutcome::kServedBasic);
  std::vector<uint8_t> denied = frame_from(v6(0x2001, 0x0db9, 1));
  const ServeResult r = serve_in_place(denied, wire::decode_frame(denied), interface0(), s, at(0),
                                       at(0), nullptr, &gate);
  ASSERT_EQ(r.outcome, ServeOutcome::kDenyKodSent);
  const wire::DecodedFrame d =
      wire::decode_frame(std::span<const uint8_t>(denied.data(), r.length));
  ASSERT_EQ(d.error, wire::DecodeError::kOk);
  EXPECT_EQ(d.ntp.header.stratum, 0);
  EXPECT_EQ(d.ntp.header.reference_id, kKissDeny);
  // IPv4 is not controlled by the IPv6 ACL.
  std::vector<uint8_t> v4frame = request_frame();
  EXPECT_EQ(serve_in_place(v4frame, wire::decode_frame(v4frame), interface0(), s, at(0), at(0),
                           nullptr, &gate)
                .outcome,
            ServeOutcome::kServedBasic);
}

TEST(ServerStageAccess, SocketPayloadPath) {
  AccessTables t;
  t.kod_enable = 1;
  set_level(t, AccessLevelIndex::kServer, false, table({v4_rule(v4(198, 18, 0, 1), 0, true)}));
  AccessGate gate(64);
  gate.set(t);
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.transmit = kClientTx;
  std::array<uint8_t, 48> request{};
  ASSERT_EQ(wire::encode_ntp(request, h), 48u);
  std::array<uint8_t, 48> out{};
  EXPECT_EQ(serve_payload(request, out, serving().clock, at(0), at(0), &gate, v4(198, 18, 0, 1)),
            ServeOutcome::kServedBasic);
  EXPECT_EQ(serve_payload(request, out, serving().clock, at(0), at(0), &gate, v4(198, 18, 0, 5)),
            ServeOutcome::kDenyKodSent);
  wire::NtpPacket reply;
  ASSERT_EQ(wire::decode_ntp(out, reply), wire::DecodeError::kOk);
  EXPECT_EQ(reply.header.stratum, 0);
  EXPECT_EQ(reply.header.reference_id, kKissDeny);
}

}  // namespace
}  // namespace wiretime::server

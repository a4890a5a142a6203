#include "control/engine/client_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

namespace wiretime::engine {
namespace {

constexpr SteadyNanos kSec = 1'000'000'000;

// A tiny harness: the engine's clock is exact, the server is `server_offset` ahead.
class EngineHarness {
 public:
  explicit EngineHarness(EngineConfig cfg = {}) : engine(cfg, prng) {}

  std::optional<SendRequest> poll(SteadyNanos now) {
    Actions out;
    engine.on_timer(now, out);
    for (const auto& a : out)
      if (const auto* s = std::get_if<SendRequest>(&a)) {
        const auto t1 = local(now);
        engine.on_sent(s->association, s->cookie, t1);
        last_t1 = t1;
        return *s;
      }
    return std::nullopt;
  }

  wire::NtpPacket reply_to(const SendRequest& req, SteadyNanos now, double server_offset) {
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.stratum = 1;
    p.header.precision = -20;
    p.header.origin = req.cookie;
    p.header.receive = local(now + 100'000) + NtpDuration::from_seconds(server_offset);
    p.header.transmit = p.header.receive + NtpDuration::from_nanos(1000);
    return p;
  }

  OnWireReason deliver(AssociationId id, const wire::NtpPacket& p, SteadyNanos now, Actions& out) {
    return engine
        .on_reply(id, p, local(now + 200'000), AuthStatus::kNotRequired,
                  SampleProvenance{TimestampSource::kSimulated, 0, 0}, now + 200'000, out)
        .reason;
  }

  static NtpTimestamp local(SteadyNanos t) {
    return NtpTimestamp::from_unix_nanos(1'782'777'600 * kSec + t);
  }

  Prng prng{99};
  ClientEngine engine;
  NtpTimestamp last_t1;
};

AssociationConfig server(const char* address) {
  AssociationConfig c;
  c.address = address;
  c.min_poll = 4;
  c.max_poll = 4;
  return c;
}

TEST(ClientEngine, CookieIsRandomAndT1StaysLocal) {
  EngineHarness h;
  h.engine.add(server("192.0.2.1"), 0);
  const auto a = h.poll(0);
  ASSERT_TRUE(a);
  EXPECT_NE(a->cookie, h.last_t1);
  EXPECT_EQ(a->version, 3);  // VRP default for IPv4
  const auto b = h.poll(16 * kSec);
  ASSERT_TRUE(b);
  EXPECT_NE(a->cookie, b->cookie);
}

TEST(ClientEngine, CountsBogusDuplicateAndUnexpected) {
  EngineHarness h;
  const auto id = h.engine.add(server("192.0.2.1"), 0);
  const auto req = h.poll(0);
  Actions out;
  auto bad = h.reply_to(*req, 0, 0.0);
  bad.header.origin = h.last_t1;  // a server echoing our real T1 would be a leak; we never send it
  EXPECT_EQ(h.deliver(id, bad, 0, out), OnWireReason::kBogus);
  const auto good = h.reply_to(*req, 0, 0.0);
  EXPECT_EQ(h.deliver(id, good, 0, out), OnWireReason::kOk);
  EXPECT_EQ(h.deliver(id, good, 0, out), OnWireReason::kDuplicate);
  auto late = good;
  late.header.transmit = late.header.transmit + NtpDuration::from_nanos(5);
  EXPECT_EQ(h.deliver(id, late, 0, out), OnWireReason::kUnexpected);
  const auto st = h.engine.association_status(kSec);
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].on_wire[static_cast<size_t>(OnWireReason::kBogus)], 1u);
  EXPECT_EQ(st[0].on_wire[static_cast<size_t>(OnWireReason::kDuplicate)], 1u);
  EXPECT_EQ(st[0].on_wire[static_cast<size_t>(OnWireReason::kUnexpected)], 1u);
  EXPECT_EQ(st[0].reach, 1);
  EXPECT_EQ(st[0].provenance.source, TimestampSource::kSimulated);
}

TEST(ClientEngine, StepsLargeOffsetAfterTwoSamples) {
  EngineHarness h;
  const auto id = h.engine.add(server("192.0.2.1"), 0);
  Actions out;
  for (int i = 0; i < 2; ++i) {
    const SteadyNanos now = 16 * kSec * i;
    const auto req = h.poll(now);
    ASSERT_TRUE(req);
    h.deliver(id, h.reply_to(*req, now, 0.5), now, out);
  }
  bool stepped = false;
  for (const auto& a : out)
    if (const auto* s = std::get_if<StepClock>(&a)) {
      stepped = true;
      EXPECT_NEAR(s->offset, 0.5, 1e-6);
    }
  EXPECT_TRUE(stepped);
  const auto sys = h.engine.system_status(33 * kSec);
  EXPECT_EQ(sys.reference_name, "192.0.2.1");
  EXPECT_EQ(sys.reference_id, 0xC0000201u);
  EXPECT_EQ(sys.stratum, 2);
}

TEST(ClientEngine, UnsynchronisedStatus) {
  EngineHarness h;
  h.engine.add(server("192.0.2.1"), 0);
  const auto sys = h.engine.system_status(0);
  EXPECT_FALSE(sys.synchronized);
  EXPECT_EQ(sys.stratum, 16);
  EXPECT_EQ(sys.reference_name, "none");
  EXPECT_EQ(sys.sync_state, ClockState::kNset);
}

TEST(ClientEngine, DomainServerResolvesBeforePolling) {
  EngineHarness h;
  AssociationConfig c = server("ntp.example.com");
  c.is_domain = true;
  const auto id = h.engine.add(c, 0);
  Actions out;
  h.engine.on_timer(0, out);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<ResolveName>(out[0]));
  EXPECT_EQ(std::get<ResolveName>(out[0]).association, id);
  EXPECT_EQ(h.engine.association_status(0)[0].selection, SelectionStatus::kUnresolved);
  h.engine.on_resolved(id, true, kSec);
  EXPECT_TRUE(h.poll(kSec));
}

TEST(ClientEngine, SilentDomainServerIsResolvedAgain) {
  EngineHarness h;
  AssociationConfig c = server("ntp.example.com");
  c.is_domain = true;
  const auto id = h.engine.add(c, 0);
  h.engine.on_resolved(id, true, 0);
  int resolves = 0;
  int sends = 0;
  for (int i = 0; i < 20; ++i) {
    Actions out;
    h.engine.on_timer(16 * kSec * i, out);
    for (const auto& a : out) {
      if (std::holds_alternative<ResolveName>(a)) {
        ++resolves;
        h.engine.on_resolved(id, true, 16 * kSec * i);
      }
      if (std::holds_alternative<SendRequest>(a)) ++sends;
    }
  }
  EXPECT_EQ(resolves, 1);  // after kUnreachBackoff silent polls
  EXPECT_GE(sends, 12);
}

TEST(ClientEngine, KissDenyStopsPolling) {
  EngineHarness h;
  const auto id = h.engine.add(server("192.0.2.1"), 0);
  const auto req = h.poll(0);
  auto kod = h.reply_to(*req, 0, 0.0);
  kod.header.stratum = 0;
  kod.header.reference_id = wire::refid_from_ascii("DENY");
  Actions out;
  EXPECT_EQ(h.deliver(id, kod, 0, out), OnWireReason::kKissOfDeath);
  EXPECT_FALSE(h.poll(100 * kSec));
  EXPECT_FALSE(h.poll(10000 * kSec));
  const auto st = h.engine.association_status(0)[0];
  EXPECT_EQ(st.kiss, wire::KissCode::kDeny);
  EXPECT_EQ(st.selection, SelectionStatus::kKissDenied);
}

TEST(ClientEngine, KissRateLengthensPoll) {
  EngineHarness h;
  AssociationConfig c = server("192.0.2.1");
  c.max_poll = 10;
  const auto id = h.engine.add(c, 0);
  const auto req = h.poll(0);
  auto kod = h.reply_to(*req, 0, 0.0);
  kod.header.stratum = 0;
  kod.header.reference_id = wire::refid_from_ascii("RATE");
  Actions out;
  h.deliver(id, kod, 0, out);
  EXPECT_FALSE(h.poll(16 * kSec));
  EXPECT_FALSE(h.poll(31 * kSec));
  EXPECT_TRUE(h.poll(33 * kSec));
}

TEST(ClientEngine, PreemptExcludesAfterAuthFailureWhileOthersUsable) {
  EngineConfig cfg;
  cfg.authentication_enabled = true;
  EngineHarness h(cfg);
  AssociationConfig a = server("192.0.2.1");
  a.key_id = 1;
  a.preempt = true;
  AssociationConfig b = server("192.0.2.2");
  const auto ida = h.engine.add(a, 0);
  const auto idb = h.engine.add(b, 0);
  Actions out;
  for (int i = 0; i < 3; ++i) {
    const SteadyNanos now = 16 * kSec * i;
    Actions polls;
    h.engine.on_timer(now, polls);
    for (const auto& act : polls) {
      const auto& s = std::get<SendRequest>(act);
      h.engine.on_sent(s.association, s.cookie, EngineHarness::local(now));
      const auto p = h.reply_to(s, now, 0.0);
      const auto auth = s.association == ida && i == 2 ? AuthStatus::kFailed : AuthStatus::kOk;
      h.engine.on_reply(s.association, p, EngineHarness::local(now + 200'000), auth, {},
                        now + 200'000, out);
    }
  }
  // The auth failure on `a` counts; the next selection leaves it out while `b` is usable.
  const SteadyNanos now = 48 * kSec;
  Actions polls;
  h.engine.on_timer(now, polls);
  for (const auto& act : polls) {
    const auto& s = std::get<SendRequest>(act);
    if (s.association != idb) continue;
    h.engine.on_sent(s.association, s.cookie, EngineHarness::local(now));
    h.engine.on_reply(idb, h.reply_to(s, now, 0.0), EngineHarness::local(now + 200'000),
                      AuthStatus::kOk, {}, now + 200'000, out);
  }
  const auto st = h.engine.association_status(now + kSec);
  EXPECT_EQ(st[0].on_wire[static_cast<size_t>(OnWireReason::kAuthentication)], 1u);
  EXPECT_EQ(st[0].selection, SelectionStatus::kAuthentication);
  EXPECT_EQ(st[1].selection, SelectionStatus::kSystemPeer);
}

// Lab exponents (YAML, down to -4): minpoll = maxpoll = e polls every 2^e s exactly, before
// and after synchronisation (a 2 s burst-spacing floor once made exponent 0 poll every 2 s).
TEST(ClientEngine, SubSecondAndOneSecondPollExponents) {
  for (int exponent : {0, -1, -4}) {
    EngineHarness h;
    AssociationConfig c = server("192.0.2.1");
    c.min_poll = exponent;
    c.max_poll = exponent;
    const auto id = h.engine.add(c, 0);
    const auto interval = static_cast<SteadyNanos>(std::ldexp(1.0, exponent) * 1e9);
    SteadyNanos now = 0;
    Actions out;
    for (int i = 0; i < 40; ++i) {
      EXPECT_EQ(h.engine.next_wakeup(), now) << exponent << " poll " << i;
      const auto req = h.poll(now);
      ASSERT_TRUE(req) << exponent << " poll " << i;
      EXPECT_EQ(req->poll, exponent);
      h.deliver(id, h.reply_to(*req, now, 0.0), now, out);
      now += interval;
    }
    EXPECT_TRUE(h.engine.synchronized()) << exponent;
  }
}

// Two truechimers 5 us apart on a 4 us round trip have statistics far tighter than 5 us; their
// correctness intervals must still intersect (root distance floor) while a server 10 ms off
// stays a falseticker (e2e: three chronyd servers, one falseticker, flipped to "no majority").
TEST(ClientEngine, CloseTruechimersIntersectAndFalsetickerIsRejected) {
  EngineHarness h;
  const double offsets[] = {0.0, 5e-6, 10e-3};
  std::vector<AssociationId> ids;
  for (const char* address : {"192.0.2.1", "192.0.2.2", "192.0.2.3"})
    ids.push_back(h.engine.add(server(address), 0));
  Actions out;
  for (int i = 0; i < 6; ++i) {
    const SteadyNanos now = 16 * kSec * i;
    Actions polls;
    h.engine.on_timer(now, polls);
    ASSERT_EQ(polls.size(), 3u) << i;
    for (const auto& act : polls) {
      const auto& s = std::get<SendRequest>(act);
      const size_t k = static_cast<size_t>(s.association - ids[0]);
      h.engine.on_sent(s.association, s.cookie, EngineHarness::local(now));
      wire::NtpPacket p = h.reply_to(s, now, 0.0);
      p.header.receive = EngineHarness::local(now + 2'000) + NtpDuration::from_seconds(offsets[k]);
      p.header.transmit = p.header.receive + NtpDuration::from_nanos(100);
      ASSERT_EQ(h.engine
                    .on_reply(s.association, p, EngineHarness::local(now + 4'000),
                              AuthStatus::kNotRequired, {}, now + 4'000, out)
                    .reason,
                OnWireReason::kOk);
    }
  }
  const auto st = h.engine.association_status(96 * kSec);
  ASSERT_EQ(st.size(), 3u);
  for (int k : {0, 1}) {
    EXPECT_TRUE(st[k].selection == SelectionStatus::kSystemPeer ||
                st[k].selection == SelectionStatus::kSurvivor)
        << k << ": " << static_cast<int>(st[k].selection);
  }
  EXPECT_EQ(st[2].selection, SelectionStatus::kFalseticker);
  EXPECT_TRUE(h.engine.synchronized());
}

}  // namespace
}  // namespace wiretime::engine

namespace wiretime::engine {
namespace {

// A server whose basic-mode transmit timestamp is read 40 us before the reply really leaves
// (as a software server's is), 100 us from us each way, its clock exactly ours.
struct InterleavedServer {
  static constexpr SteadyNanos kPath = 100'000;
  static constexpr SteadyNanos kSendLag = 40'000;
  NtpTimestamp last_receive;  // the receive timestamp of the last request it answered
  NtpTimestamp last_true_tx;  // the true transmit time of its reply to it

  // Answers `req` sent at `sent` (our time): interleaved when the request names our last
  // exchange, as chrony does. Its clock read takes 1 us; our T4 is sent + 2 kPath + 1 us +
  // kSendLag.
  wire::NtpPacket answer(const SendRequest& req, SteadyNanos sent) {
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.stratum = 1;
    p.header.precision = -20;
    const NtpTimestamp receive = EngineHarness::local(sent + kPath);
    const NtpTimestamp read_tx = receive + NtpDuration::from_nanos(1000);
    const bool interleaved = !req.origin.is_zero() && req.origin == last_receive;
    p.header.receive = receive;
    if (interleaved) {
      p.header.origin = req.receive;
      p.header.transmit = last_true_tx;
    } else {
      p.header.origin = req.cookie;
      p.header.transmit = read_tx;
    }
    last_receive = receive;
    last_true_tx = read_tx + NtpDuration::from_nanos(kSendLag);
    return p;
  }
};

const Association& only(const EngineHarness& h) {
  return h.engine.associations().front();
}

// The sample of the timestamps the engine used (before it corrects for its own slews, which
// this harness's exact clock never applies).
OnWireSample used_sample(const EngineHarness& h) {
  const Association& a = only(h);
  return compute_sample(a.org, a.rec, a.xmt, a.dst, -20, 1e-9);
}

TEST(ClientEngine, InterleavedModeUsesTheServersTrueTransmitTime) {
  EngineHarness h;
  AssociationConfig c = server("192.0.2.1");
  c.interleaved = true;
  const auto id = h.engine.add(c, 0);
  InterleavedServer s;
  Actions out;
  const SteadyNanos arrival = 2 * InterleavedServer::kPath + 1000 + InterleavedServer::kSendLag;
  auto deliver = [&](const wire::NtpPacket& p, SteadyNanos sent) {
    return h.engine
        .on_reply(id, p, EngineHarness::local(sent + arrival), AuthStatus::kNotRequired,
                  SampleProvenance{TimestampSource::kSimulated, 0, 0}, sent + arrival, out)
        .reason;
  };
  // First exchange: nothing to interleave with, a basic request and reply. The early T3
  // shows as -20 us of offset (half the send lag).
  const auto r1 = h.poll(0);
  ASSERT_TRUE(r1);
  EXPECT_TRUE(r1->origin.is_zero());
  EXPECT_TRUE(r1->receive.is_zero());
  const wire::NtpPacket a1 = s.answer(*r1, 0);
  EXPECT_EQ(deliver(a1, 0), OnWireReason::kOk);
  EXPECT_NEAR(used_sample(h).offset, -20e-6, 1e-9);
  EXPECT_EQ(only(h).interleaved_samples, 0u);

  // Second request names the first exchange by the server's receive timestamp and carries a
  // nonce; the interleaved answer completes the first exchange with its true T3: no bias.
  const auto r2 = h.poll(16 * kSec);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->origin, a1.header.receive);
  EXPECT_FALSE(r2->receive.is_zero());
  EXPECT_NE(r2->receive, r2->cookie);
  const wire::NtpPacket a2 = s.answer(*r2, 16 * kSec);
  EXPECT_EQ(a2.header.origin, r2->receive);
  EXPECT_EQ(deliver(a2, 16 * kSec), OnWireReason::kOk);
  EXPECT_EQ(only(h).interleaved_samples, 1u);
  EXPECT_NEAR(used_sample(h).offset, 0.0, 1e-9);
  EXPECT_NEAR(used_sample(h).delay, 200e-6, 1e-9);
  EXPECT_EQ(only(h).org, EngineHarness::local(0));  // T1 of the first exchange

  // A server that lost our state answers a named exchange in basic mode: still accepted.
  const auto r3 = h.poll(32 * kSec);
  ASSERT_TRUE(r3);
  s.last_receive = NtpTimestamp{};
  EXPECT_EQ(deliver(s.answer(*r3, 32 * kSec), 32 * kSec), OnWireReason::kOk);
  EXPECT_EQ(only(h).interleaved_samples, 1u);
  EXPECT_NEAR(used_sample(h).offset, -20e-6, 1e-9);

  // Neither our cookie nor our nonce as origin: bogus. An interleaved transmit time before
  // the receive time it pairs with by far more than the server's precision: invalid.
  const auto r4 = h.poll(48 * kSec);
  ASSERT_TRUE(r4);
  wire::NtpPacket forged = s.answer(*r4, 48 * kSec);
  forged.header.origin = NtpTimestamp::from_raw(forged.header.origin.raw() ^ 1);
  EXPECT_EQ(deliver(forged, 48 * kSec), OnWireReason::kBogus);
  wire::NtpPacket early = s.answer(*r4, 48 * kSec);
  early.header.origin = r4->receive;
  early.header.transmit = r4->origin - NtpDuration::from_nanos(1'000'000);
  EXPECT_EQ(deliver(early, 48 * kSec), OnWireReason::kInvalidTimestamps);
}

TEST(ClientEngine, BasicModeRequestsCarryNoOriginOrNonce) {
  EngineHarness h;
  const auto id = h.engine.add(server("192.0.2.1"), 0);
  InterleavedServer s;
  Actions out;
  for (int i = 0; i < 3; ++i) {
    const auto r = h.poll(16 * kSec * i);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->origin.is_zero());
    EXPECT_TRUE(r->receive.is_zero());
    EXPECT_EQ(h.deliver(id, s.answer(*r, 16 * kSec * i), 16 * kSec * i, out), OnWireReason::kOk);
  }
  EXPECT_EQ(only(h).interleaved_samples, 0u);
}

}  // namespace
}  // namespace wiretime::engine

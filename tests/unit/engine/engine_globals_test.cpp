// ClientEngine::set_globals: committed global settings change what the engine does from the
// next reply or poll, and the associations keep their state.
#include <gtest/gtest.h>

#include "control/engine/client_engine.hpp"

namespace wiretime::engine {
namespace {

constexpr SteadyNanos kSec = 1'000'000'000;

NtpTimestamp local(SteadyNanos t) {
  return NtpTimestamp::from_unix_nanos(1'782'777'600 * kSec + t);
}

AssociationConfig server(const char* address, int min_poll, int max_poll) {
  AssociationConfig c;
  c.address = address;
  c.min_poll = min_poll;
  c.max_poll = max_poll;
  return c;
}

SteadyNanos due(const ClientEngine& engine) {
  return static_cast<SteadyNanos>(engine.associations().front().next_poll * 1e9);
}

// The poll due now and its reply (server 1 ms ahead, `root_dispersion` s); the on-wire verdict.
OnWireReason exchange(ClientEngine& engine, SteadyNanos now, double root_dispersion) {
  Actions out;
  engine.on_timer(now, out);
  for (const auto& action : out) {
    const auto* s = std::get_if<SendRequest>(&action);
    if (s == nullptr) continue;
    engine.on_sent(s->association, s->cookie, local(now));
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.stratum = 1;
    p.header.precision = -20;
    p.header.root_dispersion = NtpShort::from_duration(NtpDuration::from_seconds(root_dispersion));
    p.header.origin = s->cookie;
    p.header.receive = local(now + 100'000) + NtpDuration::from_seconds(0.001);
    p.header.transmit = p.header.receive + NtpDuration::from_nanos(1000);
    Actions replies;
    return engine
        .on_reply(s->association, p, local(now + 200'000), AuthStatus::kNotRequired,
                  SampleProvenance{TimestampSource::kSimulated, 0, 0}, now + 200'000, replies)
        .reason;
  }
  return OnWireReason::kUnexpected;
}

TEST(EngineGlobals, DefaultsAreTheEngineConfigs) {
  Prng prng{3};
  EngineConfig config;
  config.max_distance = 4.0;
  config.authentication_enabled = true;
  config.unsync.configured = true;
  config.unsync.cap_exponent = 7;
  ClientEngine engine(config, prng);
  const EngineGlobals g = engine.globals();
  EXPECT_EQ(g.max_distance, 4.0);
  EXPECT_TRUE(g.authentication_enabled);
  EXPECT_TRUE(g.unsync.configured);
  EXPECT_EQ(g.unsync.cap_exponent, 7);
}

TEST(EngineGlobals, RaisedMaxDistanceAdmitsAFarSourceAtTheNextReply) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  engine.add(server("192.0.2.1", 4, 6), 0);
  // Root dispersion 1.5 s: beyond the default 1 s, every reply is refused.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(exchange(engine, due(engine), 1.5), OnWireReason::kDistance);
  }
  EXPECT_FALSE(engine.synchronized());
  const uint8_t reach = engine.associations().front().reach;

  EngineGlobals g = engine.globals();
  g.max_distance = 3.0;
  engine.set_globals(g);
  EXPECT_EQ(engine.associations().front().reach, reach);
  EXPECT_EQ(exchange(engine, due(engine), 1.5), OnWireReason::kOk);
  for (int i = 0; i < 8 && !engine.synchronized(); ++i) exchange(engine, due(engine), 1.5);
  ASSERT_TRUE(engine.synchronized());
  EXPECT_EQ(engine.association_status(due(engine)).front().selection, SelectionStatus::kSystemPeer);

  // Back to 1 s: the next reply is refused again and the source is no longer fit.
  g.max_distance = 1.0;
  engine.set_globals(g);
  EXPECT_EQ(exchange(engine, due(engine), 1.5), OnWireReason::kDistance);
}

TEST(EngineGlobals, UnsyncCeilingAppliesFromTheNextPoll) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  engine.add(server("192.0.2.1", 6, 10), 0);
  Actions out;
  engine.on_timer(0, out);  // first poll: 64 s
  EXPECT_EQ(engine.associations().front().current_interval, 64.0);
  engine.on_timer(due(engine), out);  // no reply: doubles to 128 s (no ceiling configured)
  EXPECT_EQ(engine.associations().front().current_interval, 128.0);
  const uint8_t reach = engine.associations().front().reach;
  const uint64_t sent = engine.associations().front().sent;

  // `ntp unsync max-poll-interval 6 dec-step 6`: above the ceiling, 64 s less per poll.
  EngineGlobals g = engine.globals();
  g.unsync = UnsyncPollConfig{true, 6, 6};
  engine.set_globals(g);
  EXPECT_EQ(engine.associations().front().reach, reach);
  EXPECT_EQ(engine.associations().front().sent, sent);
  engine.on_timer(due(engine), out);
  EXPECT_EQ(engine.associations().front().current_interval, 64.0);
  engine.on_timer(due(engine), out);
  EXPECT_EQ(engine.associations().front().current_interval, 64.0);

  // `undo`: doubling up to 1024 s again.
  g.unsync = UnsyncPollConfig{};
  engine.set_globals(g);
  engine.on_timer(due(engine), out);
  EXPECT_EQ(engine.associations().front().current_interval, 128.0);
}

TEST(EngineGlobals, AuthenticationEnableRequiresAuthenticRepliesOfKeyedSources) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  AssociationConfig keyed = server("192.0.2.1", 4, 6);
  keyed.key_id = 7;
  const AssociationId id = engine.add(keyed, 0);
  auto reply_with = [&](AuthStatus auth) {
    Actions out;
    const SteadyNanos now = due(engine);
    engine.on_timer(now, out);
    const auto& s = std::get<SendRequest>(out.front());
    engine.on_sent(id, s.cookie, local(now));
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.stratum = 1;
    p.header.origin = s.cookie;
    p.header.receive = local(now + 100'000);
    p.header.transmit = p.header.receive + NtpDuration::from_nanos(1000);
    Actions replies;
    return engine
        .on_reply(id, p, local(now + 200'000), auth,
                  SampleProvenance{TimestampSource::kSimulated, 0, 0}, now + 200'000, replies)
        .reason;
  };
  EXPECT_EQ(reply_with(AuthStatus::kMissing), OnWireReason::kOk);
  EngineGlobals g = engine.globals();
  g.authentication_enabled = true;
  engine.set_globals(g);
  EXPECT_EQ(reply_with(AuthStatus::kMissing), OnWireReason::kAuthentication);
  EXPECT_EQ(reply_with(AuthStatus::kOk), OnWireReason::kOk);
}

}  // namespace
}  // namespace wiretime::engine

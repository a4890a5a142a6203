// ClientEngine::reconfigure: a committed change of an association's options keeps its state.
#include <gtest/gtest.h>

#include "control/engine/client_engine.hpp"

namespace wiretime::engine {
namespace {

constexpr SteadyNanos kSec = 1'000'000'000;

NtpTimestamp local(SteadyNanos t) {
  return NtpTimestamp::from_unix_nanos(1'782'777'600 * kSec + t);
}

AssociationConfig server(const char* address) {
  AssociationConfig c;
  c.address = address;
  c.min_poll = 4;
  c.max_poll = 6;
  return c;
}

// One poll and its reply, the server 1 ms ahead; returns whether the reply was accepted.
bool exchange(ClientEngine& engine, AssociationId id, SteadyNanos now) {
  Actions out;
  engine.on_timer(now, out);
  for (const auto& action : out) {
    const auto* s = std::get_if<SendRequest>(&action);
    if (s == nullptr || s->association != id) continue;
    engine.on_sent(id, s->cookie, local(now));
    wire::NtpPacket p;
    p.header.mode = wire::NtpMode::kServer;
    p.header.stratum = 1;
    p.header.precision = -20;
    p.header.origin = s->cookie;
    p.header.receive = local(now + 100'000) + NtpDuration::from_seconds(0.001);
    p.header.transmit = p.header.receive + NtpDuration::from_nanos(1000);
    Actions replies;
    return engine
               .on_reply(id, p, local(now + 200'000), AuthStatus::kNotRequired,
                         SampleProvenance{TimestampSource::kSimulated, 0, 0}, now + 200'000,
                         replies)
               .reason == OnWireReason::kOk;
  }
  return false;
}

const Association& only(const ClientEngine& engine) {
  return engine.associations().front();
}

TEST(Reconfigure, KeepsReachFilterAndPollTime) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  const AssociationId id = engine.add(server("192.0.2.1"), 0);
  ASSERT_TRUE(exchange(engine, id, 0));
  ASSERT_TRUE(exchange(engine, id, static_cast<SteadyNanos>(only(engine).next_poll * 1e9)));
  const uint8_t reach = only(engine).reach;
  const double next_poll = only(engine).next_poll;
  ASSERT_NE(reach, 0);

  AssociationConfig changed = server("192.0.2.1");
  changed.preferred = true;
  changed.key_id = 5;
  changed.min_poll = 3;
  changed.max_poll = 10;
  EXPECT_TRUE(engine.reconfigure(id, changed));

  const Association& a = only(engine);
  EXPECT_EQ(a.id, id);
  EXPECT_TRUE(a.config.preferred);
  EXPECT_EQ(a.config.key_id, 5u);
  EXPECT_EQ(a.config.min_poll, 3);
  EXPECT_EQ(a.config.max_poll, 10);
  EXPECT_EQ(a.reach, reach);
  EXPECT_EQ(a.next_poll, next_poll);
  EXPECT_TRUE(a.have_reply);
  ASSERT_EQ(engine.association_status(0).size(), 1u);
}

TEST(Reconfigure, PollExponentMovesIntoTheNewRange) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  const AssociationId id = engine.add(server("192.0.2.1"), 0);
  ASSERT_EQ(only(engine).hpoll, 4);
  AssociationConfig narrower = server("192.0.2.1");
  narrower.min_poll = 8;
  narrower.max_poll = 9;
  ASSERT_TRUE(engine.reconfigure(id, narrower));
  EXPECT_EQ(only(engine).hpoll, 8);
  // Limits are clamped as add() clamps them.
  AssociationConfig wild = server("192.0.2.1");
  wild.min_poll = -50;
  wild.max_poll = 100;
  ASSERT_TRUE(engine.reconfigure(id, wild));
  EXPECT_EQ(only(engine).config.min_poll, kPollFloor);
  EXPECT_EQ(only(engine).config.max_poll, kPollCeiling);
}

TEST(Reconfigure, RefusesUnknownIdsAndAddressChanges) {
  Prng prng{7};
  ClientEngine engine(EngineConfig{}, prng);
  const AssociationId id = engine.add(server("192.0.2.1"), 0);
  EXPECT_FALSE(engine.reconfigure(id + 1, server("192.0.2.1")));
  EXPECT_FALSE(engine.reconfigure(id, server("192.0.2.2")));
  EXPECT_EQ(only(engine).config.address, "192.0.2.1");
  EXPECT_TRUE(engine.remove(id));
  EXPECT_FALSE(engine.reconfigure(id, server("192.0.2.1")));
}

}  // namespace
}  // namespace wiretime::engine

#include "control/daemon/skeleton_client.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
const wire::Ipv4Address kOwn = wire::Ipv4Address::from_host_order(0xc6120002);     // .0.2
const wire::Ipv4Address kServer = wire::Ipv4Address::from_host_order(0xc6120001);  // .0.1
const wire::MacAddress kServerMac{{0x02, 0, 0, 0, 0, 1}};
constexpr uint16_t kClientPort = 50000;
constexpr UnixNanos kUtc0 = 1'700'000'000'000'000'000;

SkeletonClientConfig config() {
  SkeletonClientConfig c;
  c.own_ip = kOwn;
  c.own_mask = 0xffffff00;
  c.server_ip = kServer;
  c.server_port = 123;
  c.client_port = kClientPort;
  c.poll_exponent = 0;
  return c;
}

// 1 tick = 1 ns, so tick values read as nanoseconds after kUtc0.
clock::ClockModel model() {
  return clock::ClockModel::from_rate(0, kUtc0, 1e9);
}

// A client that has resolved the server and sent one request whose T1 is at `t1_ticks`.
struct Exchange {
  SkeletonClient client{config(), 42};
  dpdk::TxCommand request;
  explicit Exchange(uint64_t t1_ticks) {
    EXPECT_EQ(client.on_timer(0)->kind, dpdk::TxCommand::Kind::kArpRequest);
    client.on_neighbor(kServer, kServerMac);
    request = *client.on_timer(1);
    client.on_transmitted(request.cookie, t1_ticks);
  }
  // The server's reply to `request`, for a server `offset_ns` ahead of us, `one_way_ns` away,
  // that holds the request `turnaround_ns`; T4 ticks returned through `t4_ticks`.
  dpdk::DataplaneEvent reply(uint64_t t1_ticks, int64_t offset_ns, int64_t one_way_ns,
                             int64_t turnaround_ns, uint64_t& t4_ticks) const {
    dpdk::DataplaneEvent ev;
    ev.kind = dpdk::DataplaneEvent::Kind::kNtpReply;
    ev.ip = kServer;
    ev.src_port = 123;
    ev.dst_port = kClientPort;
    const UnixNanos t1 = kUtc0 + static_cast<int64_t>(t1_ticks);
    ev.ntp.mode = wire::NtpMode::kServer;
    ev.ntp.stratum = 1;
    ev.ntp.origin = request.cookie;
    ev.ntp.receive = NtpTimestamp::from_unix_nanos(t1 + one_way_ns + offset_ns);
    ev.ntp.transmit = NtpTimestamp::from_unix_nanos(t1 + one_way_ns + turnaround_ns + offset_ns);
    t4_ticks = t1_ticks + static_cast<uint64_t>(2 * one_way_ns + turnaround_ns);
    ev.ticks = t4_ticks;
    return ev;
  }
};

TEST(SkeletonClient, ResolvesNextHopByArpEverySecond) {
  SkeletonClient c(config(), 1);
  EXPECT_EQ(c.next_hop(), kServer);
  auto first = c.on_timer(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, dpdk::TxCommand::Kind::kArpRequest);
  EXPECT_EQ(first->target_ip, kServer);
  EXPECT_FALSE(c.on_timer(kSecond / 2));
  EXPECT_TRUE(c.on_timer(kSecond));
  c.on_neighbor(wire::Ipv4Address::from_host_order(0xc6120009), kServerMac);  // someone else
  EXPECT_FALSE(c.next_hop_resolved());
  c.on_neighbor(kServer, wire::MacAddress::broadcast());  // never a valid neighbour
  EXPECT_FALSE(c.next_hop_resolved());
  c.on_neighbor(kServer, kServerMac);
  EXPECT_TRUE(c.next_hop_resolved());
}

TEST(SkeletonClient, OffLinkServerGoesThroughTheGateway) {
  SkeletonClientConfig cfg = config();
  cfg.server_ip = wire::Ipv4Address::from_host_order(0xc6130001);  // 198.19.0.1
  cfg.gateway = wire::Ipv4Address::from_host_order(0xc61200fe);
  SkeletonClient c(cfg, 1);
  EXPECT_EQ(c.next_hop(), *cfg.gateway);
  EXPECT_EQ(c.on_timer(0)->target_ip, *cfg.gateway);
  c.on_neighbor(*cfg.gateway, kServerMac);
  const auto request = c.on_timer(1);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->target_ip, cfg.server_ip);  // IP to the server, frame to the gateway
  EXPECT_EQ(request->dst_mac, kServerMac);
}

TEST(SkeletonClient, PollsEveryIntervalWithFreshCookies) {
  SkeletonClientConfig cfg = config();
  cfg.poll_exponent = -2;  // 250 ms
  SkeletonClient c(cfg, 7);
  c.on_timer(0);
  c.on_neighbor(kServer, kServerMac);
  const auto a = c.on_timer(10);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, dpdk::TxCommand::Kind::kNtpRequest);
  EXPECT_EQ(a->src_port, kClientPort);
  EXPECT_EQ(a->dst_port, 123);
  EXPECT_EQ(a->poll, -2);
  EXPECT_FALSE(a->cookie.is_zero());
  EXPECT_FALSE(c.on_timer(10 + kSecond / 4 - 1));
  const auto b = c.on_timer(10 + kSecond / 4);
  ASSERT_TRUE(b);
  EXPECT_NE(a->cookie, b->cookie);
  EXPECT_EQ(c.requests_sent(), 2u);
  EXPECT_EQ(c.requests_unanswered(), 1u);
}

TEST(SkeletonClient, CookiesDependOnTheSeedOnly) {
  auto cookie = [](uint64_t seed) {
    SkeletonClient c(config(), seed);
    c.on_timer(0);
    c.on_neighbor(kServer, kServerMac);
    return c.on_timer(1)->cookie;
  };
  EXPECT_EQ(cookie(5), cookie(5));
  EXPECT_NE(cookie(5), cookie(6));
}

TEST(SkeletonClient, ComputesOffsetAndDelay) {
  const uint64_t t1 = 3 * kSecond;
  Exchange x(t1);
  uint64_t t4 = 0;
  const auto ev = x.reply(t1, 5'000'000, 40'000, 10'000, t4);
  const ReplyResult r = x.client.on_reply(ev, model());
  ASSERT_EQ(r.verdict, ReplyVerdict::kAccepted);
  ASSERT_TRUE(r.sample);
  EXPECT_NEAR(static_cast<double>(r.sample->offset.to_nanos()), 5'000'000, 1);
  EXPECT_NEAR(static_cast<double>(r.sample->delay.to_nanos()), 80'000, 1);
  EXPECT_EQ(r.sample->stratum, 1);
  EXPECT_EQ(r.sample->server, kServer);
  EXPECT_EQ(r.sample->t4_utc, kUtc0 + static_cast<int64_t>(t4));
}

TEST(SkeletonClient, NegativeOffsetWhenWeAreAhead) {
  const uint64_t t1 = kSecond;
  Exchange x(t1);
  uint64_t t4 = 0;
  const ReplyResult r = x.client.on_reply(x.reply(t1, -3'000'000, 25'000, 0, t4), model());
  ASSERT_TRUE(r.sample);
  EXPECT_NEAR(static_cast<double>(r.sample->offset.to_nanos()), -3'000'000, 1);
  EXPECT_NEAR(static_cast<double>(r.sample->delay.to_nanos()), 50'000, 1);
}

TEST(SkeletonClient, RejectsReplyWhoseOriginIsNotTheCookie) {
  Exchange x(100);
  uint64_t t4 = 0;
  auto ev = x.reply(100, 0, 1000, 0, t4);
  ev.ntp.origin = NtpTimestamp::from_raw(x.request.cookie.raw() ^ 1);
  EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kBogusOrigin);
  // The genuine reply is still accepted afterwards: a spoof does not cancel the request.
  ev.ntp.origin = x.request.cookie;
  EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kAccepted);
}

TEST(SkeletonClient, AcceptsEachRequestOnce) {
  Exchange x(100);
  uint64_t t4 = 0;
  const auto ev = x.reply(100, 0, 1000, 0, t4);
  EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kAccepted);
  EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kNoRequestPending);
}

TEST(SkeletonClient, RejectsStaleReplyAfterNextPoll) {
  Exchange x(100);
  uint64_t t4 = 0;
  const auto old = x.reply(100, 0, 1000, 0, t4);
  const auto next = x.client.on_timer(2 * kSecond);
  ASSERT_TRUE(next);
  EXPECT_EQ(x.client.on_reply(old, model()).verdict, ReplyVerdict::kBogusOrigin);
}

TEST(SkeletonClient, RejectsWrongSourceOrMode) {
  Exchange x(100);
  uint64_t t4 = 0;
  auto ev = x.reply(100, 0, 1000, 0, t4);
  auto bad = ev;
  bad.src_port = 124;
  EXPECT_EQ(x.client.on_reply(bad, model()).verdict, ReplyVerdict::kWrongSource);
  bad = ev;
  bad.ip = kOwn;
  EXPECT_EQ(x.client.on_reply(bad, model()).verdict, ReplyVerdict::kWrongSource);
  bad = ev;
  bad.dst_port = kClientPort + 1;
  EXPECT_EQ(x.client.on_reply(bad, model()).verdict, ReplyVerdict::kWrongSource);
  bad = ev;
  bad.ntp.mode = wire::NtpMode::kSymmetricPassive;
  EXPECT_EQ(x.client.on_reply(bad, model()).verdict, ReplyVerdict::kNotServerMode);
  EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kAccepted);
}

TEST(SkeletonClient, NeedsTransmitTimeBeforeAccepting) {
  SkeletonClient c(config(), 3);
  c.on_timer(0);
  c.on_neighbor(kServer, kServerMac);
  const auto request = c.on_timer(1);
  dpdk::DataplaneEvent ev;
  ev.ip = kServer;
  ev.src_port = 123;
  ev.dst_port = kClientPort;
  ev.ntp.mode = wire::NtpMode::kServer;
  ev.ntp.stratum = 1;
  ev.ntp.origin = request->cookie;
  ev.ntp.receive = ev.ntp.transmit = NtpTimestamp::from_unix_nanos(kUtc0);
  EXPECT_EQ(c.on_reply(ev, model()).verdict, ReplyVerdict::kTransmitUnknown);
  c.on_transmitted(NtpTimestamp::from_raw(request->cookie.raw() + 1), 5);  // another request's
  EXPECT_EQ(c.on_reply(ev, model()).verdict, ReplyVerdict::kTransmitUnknown);
  c.on_transmitted(request->cookie, 5);
  EXPECT_EQ(c.on_reply(ev, model()).verdict, ReplyVerdict::kAccepted);
}

TEST(SkeletonClient, RejectsKissOfDeathUnsynchronisedAndZeroTimestamps) {
  uint64_t t4 = 0;
  {
    Exchange x(100);
    auto ev = x.reply(100, 0, 1000, 0, t4);
    ev.ntp.stratum = 0;
    EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kKissOfDeath);
  }
  {
    Exchange x(100);
    auto ev = x.reply(100, 0, 1000, 0, t4);
    ev.ntp.leap = wire::LeapIndicator::kUnsynchronized;
    EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kServerUnsynchronized);
  }
  {
    Exchange x(100);
    auto ev = x.reply(100, 0, 1000, 0, t4);
    ev.ntp.receive = NtpTimestamp();
    EXPECT_EQ(x.client.on_reply(ev, model()).verdict, ReplyVerdict::kZeroTimestamp);
  }
}

TEST(SkeletonClient, VerdictNamesAreDistinct) {
  for (int i = 0; i < static_cast<int>(ReplyVerdict::kCount); ++i) {
    for (int j = 0; j < i; ++j) {
      EXPECT_NE(to_string(static_cast<ReplyVerdict>(i)), to_string(static_cast<ReplyVerdict>(j)));
    }
  }
}

}  // namespace
}  // namespace wiretime::daemon

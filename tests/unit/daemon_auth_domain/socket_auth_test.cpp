// SocketTransport over loopback against a scripted server: requests of a keyed association
// carry a MAC the server can verify; replies are verified against the association's key and
// every rejected one is counted by the loop and by verdict.
#include <poll.h>

#include <gtest/gtest.h>

#include <array>

#include "control/auth/ntp_mac.hpp"
#include "control/daemon/socket_transport.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::daemon {
namespace {

const wire::IpAddress kLoopback = wire::IpAddress::from(wire::Ipv4Address{{127, 0, 0, 1}});

auth::SymmetricKey key(uint32_t id, auth::MacAlgorithm algorithm, uint8_t fill, size_t length) {
  return auth::SymmetricKey{id, algorithm, std::vector<uint8_t>(length, fill), true};
}

bool wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 2000) == 1;
}

enum class ReplyMac { kRight, kWrongSecret, kNone };

class SocketAuth : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(server_.open(kLoopback, 0), "");
    ASSERT_EQ(client_.open(kLoopback, 0), "");
    ASSERT_EQ(client_keys_.add(key(5, auth::MacAlgorithm::kSha256, 0x5a, 32)), "");
    ASSERT_EQ(server_keys_.add(key(5, auth::MacAlgorithm::kSha256, 0x5a, 32)), "");
    ASSERT_EQ(wrong_keys_.add(key(5, auth::MacAlgorithm::kSha256, 0xa5, 32)), "");
  }

  // One poll of a keyed association; the server answers as chronyd does.
  void exchange(ReplyMac mac) {
    engine::EngineConfig config;
    config.authentication_enabled = true;
    runtime::VirtualClock clock(
        published_,
        clock::ClockModel::from_rate(static_cast<uint64_t>(socket::monotonic_ns()),
                                     socket::monotonic_ns() + socket::realtime_minus_monotonic_ns(),
                                     1e9),
        [] { return static_cast<uint64_t>(socket::monotonic_ns()); });
    SocketTransport transport(client_, [](UnixNanos t) {
      return static_cast<uint64_t>(t - socket::realtime_minus_monotonic_ns());
    });
    runtime::RuntimeObserver observer;
    runtime::ControlLoop loop(config, 1, clock, transport, observer);
    loop.set_keys(&client_keys_);  // the loop signs and verifies; the transport moves bytes
    engine::AssociationConfig a;
    a.address = "127.0.0.1";
    a.version = 4;
    a.min_poll = 0;
    a.max_poll = 0;
    a.key_id = 5;
    loop.add(a, runtime::Peer{kLoopback, server_.local_port()});
    for (int i = 0; i < 3000 && loop.counters().requests == 0; ++i) {
      loop.run_due();
      if (loop.counters().requests == 0) ::poll(nullptr, 0, 1);
    }
    ASSERT_EQ(loop.counters().requests, 1u);
    transport.drain_transmit_timestamps();

    // The server side: the request must be authentic with key 5.
    ASSERT_TRUE(wait_readable(server_.fd()));
    std::array<uint8_t, 256> buffer{};
    socket::ReceivedDatagram d;
    ASSERT_TRUE(server_.receive(buffer, d));
    const std::span<const uint8_t> request(buffer.data(), d.length);
    wire::NtpPacket packet;
    ASSERT_EQ(wire::decode_ntp(request, packet), wire::DecodeError::kOk);
    EXPECT_EQ(d.length, 48u + 4u + 20u);  // SHA256 truncated to 20 bytes in NTPv4
    EXPECT_EQ(auth::verify_ntp_packet(server_keys_, request, packet, 5), auth::MacVerdict::kOk);

    wire::NtpHeader reply;
    reply.mode = wire::NtpMode::kServer;
    reply.version = 4;
    reply.leap = wire::LeapIndicator::kNoWarning;
    reply.stratum = 1;
    reply.poll = packet.header.poll;
    reply.precision = -20;
    reply.reference_id = 0x4c4f434c;  // "LOCL"
    const NtpTimestamp now = NtpTimestamp::from_unix_nanos(socket::monotonic_ns() +
                                                           socket::realtime_minus_monotonic_ns());
    reply.reference = now;
    reply.origin = packet.header.transmit;
    reply.receive = now;
    reply.transmit = now;
    std::array<uint8_t, 128> out{};
    size_t length = 0;
    if (mac == ReplyMac::kNone) {
      length = wire::encode_ntp(out, reply);
    } else {
      length = auth::encode_authenticated_ntp(
          out, reply, mac == ReplyMac::kRight ? server_keys_ : wrong_keys_, 5);
    }
    ASSERT_GT(length, 0u);
    UnixNanos before = 0;
    ASSERT_TRUE(server_.send(kLoopback, client_.local_port(),
                             std::span<const uint8_t>(out.data(), length), before));
    ASSERT_TRUE(wait_readable(client_.fd()));
    for (runtime::TransportEvent ev; transport.next(ev);) loop.deliver(ev);

    replies_ = loop.counters().replies;
    failures_ = loop.counters().authentication_failures;
    const auto& verdicts = loop.counters().auth_verdicts;
    ok_ = verdicts[static_cast<size_t>(auth::MacVerdict::kOk)];
    bad_digest_ = verdicts[static_cast<size_t>(auth::MacVerdict::kBadDigest)];
    missing_ = verdicts[static_cast<size_t>(auth::MacVerdict::kMissing)];
    const auto status = loop.status();
    ASSERT_EQ(status.associations.size(), 1u);
    received_ = status.associations[0].received;
  }

  clock::PublishedClock published_;
  socket::UdpSocket server_, client_;
  auth::KeyTable client_keys_, server_keys_, wrong_keys_;
  uint64_t replies_ = 0, failures_ = 0, ok_ = 0, bad_digest_ = 0, missing_ = 0, received_ = 0;
};

TEST_F(SocketAuth, AuthenticReplyIsAccepted) {
  exchange(ReplyMac::kRight);
  EXPECT_EQ(replies_, 1u);
  EXPECT_EQ(ok_, 1u);
  EXPECT_EQ(failures_, 0u);
}

TEST_F(SocketAuth, WrongSecretIsRejectedAndCounted) {
  exchange(ReplyMac::kWrongSecret);
  EXPECT_EQ(replies_, 1u);
  EXPECT_EQ(bad_digest_, 1u);
  EXPECT_EQ(failures_, 1u);
}

TEST_F(SocketAuth, MissingMacIsRejectedAndCounted) {
  exchange(ReplyMac::kNone);
  EXPECT_EQ(missing_, 1u);
  EXPECT_EQ(failures_, 1u);
}

}  // namespace
}  // namespace wiretime::daemon

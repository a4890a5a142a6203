#include "dataplane/server/ntp_server_stage.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "dataplane/wire/checksum.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

const wire::MacAddress kClientMac{{0x02, 0, 0, 0, 0, 0x01}};
const wire::MacAddress kServerMac{{0x02, 0, 0, 0, 0, 0x02}};
const wire::Ipv4Address kClient4{{198, 18, 0, 1}};
const wire::Ipv4Address kServer4{{198, 18, 0, 2}};
const wire::Ipv4Address kSecondary4{{198, 18, 0, 3}};
const wire::Ipv6Address kClient6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
const wire::Ipv6Address kServer6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
const NtpTimestamp kClientTx = NtpTimestamp::from_raw(0x1122334455667788);
const NtpTimestamp kT2 = NtpTimestamp::from_parts(3'900'000'000u, 0x40000000);
const NtpTimestamp kT3 = NtpTimestamp::from_parts(3'900'000'000u, 0x40001000);

wire::NtpHeader request_header(uint8_t version = 4, wire::NtpMode mode = wire::NtpMode::kClient) {
  wire::NtpHeader h;
  h.leap = wire::LeapIndicator::kUnsynchronized;
  h.version = version;
  h.mode = mode;
  h.poll = 6;
  h.precision = -20;
  h.transmit = kClientTx;
  return h;
}

struct Frame {
  std::vector<uint8_t> bytes;
  wire::DecodedFrame decoded;
  void decode() { decoded = wire::decode_frame(bytes); }
};

wire::EthernetSpec eth(bool vlan = false, wire::MacAddress dst = kServerMac) {
  wire::EthernetSpec e;
  e.dst = dst;
  e.src = kClientMac;
  e.has_vlan = vlan;
  e.vlan_tci = vlan ? uint16_t{(5u << 13) | 100u} : uint16_t{0};
  return e;
}

Frame ipv4_request(const wire::NtpHeader& h = request_header(), wire::EthernetSpec e = eth(),
                   wire::Ipv4Address dst = kServer4, uint16_t dst_port = 123,
                   const wire::NtpMac* mac = nullptr) {
  Frame f;
  f.bytes.resize(256);
  wire::Ipv4UdpSpec spec;
  spec.eth = e;
  spec.src_ip = kClient4;
  spec.dst_ip = dst;
  spec.src_port = 40000;
  spec.dst_port = dst_port;
  spec.ttl = 7;
  f.bytes.resize(wire::encode_ipv4_ntp(f.bytes, spec, h, mac));
  f.decode();
  return f;
}

Frame ipv6_request(const wire::NtpHeader& h = request_header(), wire::EthernetSpec e = eth(),
                   wire::Ipv6Address dst = kServer6) {
  Frame f;
  f.bytes.resize(256);
  wire::Ipv6UdpSpec spec;
  spec.eth = e;
  spec.src_ip = kClient6;
  spec.dst_ip = dst;
  spec.src_port = 40000;
  spec.dst_port = 123;
  f.bytes.resize(wire::encode_ipv6_ntp(f.bytes, spec, h));
  f.decode();
  return f;
}

ServerInterface interface0() {
  ServerInterface itf;
  itf.index = 0;
  itf.vrf = 0;
  itf.has_primary_ipv4 = true;
  itf.primary_ipv4 = kServer4;
  return itf;
}

ServerSnapshot serving() {
  ServerSnapshot s;
  s.clock.leap = 0;
  s.clock.stratum = 2;
  s.clock.precision = -24;
  s.clock.reference_id = 0xc6120063;
  s.clock.root_delay = 0x00000123;
  s.clock.root_dispersion = 0x00000456;
  s.clock.reference_time = 0xe8000000'12345678;
  s.listen.ipv4_enabled = true;
  s.listen.ipv6_enabled = true;
  s.listen.ipv4_interfaces = 1;  // interface 0
  s.listen.ipv6_count = 1;
  s.listen.ipv6_addresses[0] = kServer6;
  s.listen.ipv6_vrfs[0] = 0;
  return s;
}

ServeResult serve(Frame& f, const ServerSnapshot& s = serving(),
                  const ServerInterface& itf = interface0()) {
  return serve_in_place(f.bytes, f.decoded, itf, s, kT2, kT3);
}

// The reply decodes with valid checksums (the decoder verifies IPv4 header and UDP).
wire::DecodedFrame decode_reply(const Frame& f, const ServeResult& r) {
  EXPECT_GT(r.length, 0u);
  EXPECT_LE(r.length, f.bytes.size());  // never larger than the request
  const wire::DecodedFrame d =
      wire::decode_frame(std::span<const uint8_t>(f.bytes.data(), r.length));
  EXPECT_EQ(d.error, wire::DecodeError::kOk);
  return d;
}

TEST(ServerStage, AnswersIpv4RequestInPlace) {
  Frame f = ipv4_request();
  const size_t request_size = f.bytes.size();
  const ServeResult r = serve(f);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(r.length, request_size);  // no options, no trailer: same size
  const wire::DecodedFrame d = decode_reply(f, r);
  EXPECT_EQ(d.dst_mac, kClientMac);
  EXPECT_EQ(d.src_mac, kServerMac);
  EXPECT_EQ(d.src_ip, wire::IpAddress::from(kServer4));
  EXPECT_EQ(d.dst_ip, wire::IpAddress::from(kClient4));
  EXPECT_EQ(d.src_port, 123);
  EXPECT_EQ(d.dst_port, 40000);
  EXPECT_EQ(d.ttl, 64);
  const wire::NtpHeader& h = d.ntp.header;
  EXPECT_EQ(h.mode, wire::NtpMode::kServer);
  EXPECT_EQ(h.version, 4);
  EXPECT_EQ(h.leap, wire::LeapIndicator::kNoWarning);
  EXPECT_EQ(h.stratum, 2);
  EXPECT_EQ(h.poll, 6);
  EXPECT_EQ(h.precision, -24);
  EXPECT_EQ(h.reference_id, 0xc6120063u);
  EXPECT_EQ(h.root_delay.raw(), 0x123u);
  EXPECT_EQ(h.root_dispersion.raw(), 0x456u);
  EXPECT_EQ(h.reference.raw(), 0xe8000000'12345678u);
  EXPECT_EQ(h.origin, kClientTx);
  EXPECT_EQ(h.receive, kT2);
  EXPECT_EQ(h.transmit, kT3);
  EXPECT_FALSE(d.ntp.has_mac);
  EXPECT_EQ(d.ntp.extension_count, 0);
}

TEST(ServerStage, CopiesTheRequestVersion) {
  for (uint8_t v = 1; v <= 4; ++v) {
    Frame f = ipv4_request(request_header(v));
    const ServeResult r = serve(f);
    ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic) << int{v};
    EXPECT_EQ(decode_reply(f, r).ntp.header.version, v);
  }
}

TEST(ServerStage, AnswersIpv6OnAVlanKeepingTheTag) {
  Frame f = ipv6_request(request_header(), eth(true));
  ServerInterface itf = interface0();
  itf.index = 3;
  itf.vrf = 2;
  ServerSnapshot s = serving();
  s.listen.ipv6_vrfs[0] = 2;
  const ServeResult r = serve(f, s, itf);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  const wire::DecodedFrame d = decode_reply(f, r);
  ASSERT_EQ(d.vlan_count, 1);
  EXPECT_EQ(d.vlans[0].vid, 100);
  EXPECT_EQ(d.vlans[0].pcp, 5);
  EXPECT_EQ(d.src_ip, wire::IpAddress::from(kServer6));
  EXPECT_EQ(d.dst_ip, wire::IpAddress::from(kClient6));
  EXPECT_EQ(d.ttl, 64);
  EXPECT_EQ(d.ntp.header.origin, kClientTx);
  EXPECT_EQ(d.ntp.header.receive, kT2);
}

TEST(ServerStage, LateTransmitStampKeepsTheChecksumValid) {
  for (bool v6 : {false, true}) {
    Frame f = v6 ? ipv6_request(request_header(), eth(true)) : ipv4_request();
    const ServeResult r = serve(f);
    ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
    const NtpTimestamp late = NtpTimestamp::from_parts(3'900'000'001u, 0xdeadbeef);
    stamp_transmit(f.bytes, r, late);
    const wire::DecodedFrame d = decode_reply(f, r);
    EXPECT_EQ(d.ntp.header.transmit, late);
    EXPECT_EQ(d.ntp.header.receive, kT2);
  }
}

TEST(ServerStage, TransmitIsNeverEqualToReceive) {
  Frame f = ipv4_request();
  ServeResult r = serve_in_place(f.bytes, f.decoded, interface0(), serving(), kT2, kT2);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(decode_reply(f, r).ntp.header.transmit.raw(), kT2.raw() + 1);
  // A late stamp that went backwards (another core's clock) is moved past T2 too.
  stamp_transmit(f.bytes, r, NtpTimestamp::from_raw(kT2.raw() - 1000));
  EXPECT_EQ(decode_reply(f, r).ntp.header.transmit.raw(), kT2.raw() + 1);
}

TEST(ServerStage, UnsynchronisedMeansLeap3Stratum16) {
  ServerSnapshot s = serving();
  s.clock = ServerClockState{};  // what control publishes before the first sync
  Frame f = ipv4_request();
  ServeResult r = serve(f, s);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  wire::NtpHeader h = decode_reply(f, r).ntp.header;
  EXPECT_EQ(h.leap, wire::LeapIndicator::kUnsynchronized);
  EXPECT_EQ(h.stratum, 16);
  // Leap 3 with a stratum still set is unsynchronised too, and so is stratum 0.
  for (auto [leap, stratum] : {std::pair<uint8_t, uint8_t>{3, 2}, {0, 0}, {0, 17}}) {
    s = serving();
    s.clock.leap = leap;
    s.clock.stratum = stratum;
    f = ipv4_request();
    r = serve(f, s);
    h = decode_reply(f, r).ntp.header;
    EXPECT_EQ(h.leap, wire::LeapIndicator::kUnsynchronized);
    EXPECT_EQ(h.stratum, 16);
  }
}

TEST(ServerStage, PassesLeapWarnings) {
  ServerSnapshot s = serving();
  s.clock.leap = 1;
  Frame f = ipv4_request();
  const ServeResult r = serve(f, s);
  EXPECT_EQ(decode_reply(f, r).ntp.header.leap, wire::LeapIndicator::kInsertSecond);
}

TEST(ServerStage, AnswersOnlyClientMode) {
  for (auto mode :
       {wire::NtpMode::kServer, wire::NtpMode::kBroadcast, wire::NtpMode::kSymmetricActive,
        wire::NtpMode::kSymmetricPassive, wire::NtpMode::kReserved}) {
    Frame f = ipv4_request(request_header(4, mode));
    const std::vector<uint8_t> before = f.bytes;
    EXPECT_EQ(serve(f).outcome, ServeOutcome::kNotRequest) << static_cast<int>(mode);
    EXPECT_EQ(f.bytes, before);  // a request not answered is left untouched
  }
}

TEST(ServerStage, NeverAnswersControlOrPrivateMode) {
  for (int mode : {6, 7}) {
    Frame f = ipv4_request();
    f.bytes[42] = static_cast<uint8_t>((4 << 3) | mode);  // first NTP byte: LI VN mode
    f.bytes[40] = 0;                                      // UDP checksum 0: not computed (IPv4)
    f.bytes[41] = 0;
    f.decode();
    ASSERT_TRUE(f.decoded.is_ntp);
    EXPECT_FALSE(f.decoded.ntp.is_time_packet);
    EXPECT_EQ(serve(f).outcome, ServeOutcome::kNotRequest);
  }
}

TEST(ServerStage, RefusesVersionsOutside1To4) {
  wire::NtpPacket p;
  p.header = request_header();
  for (uint8_t v : {uint8_t{0}, uint8_t{5}, uint8_t{7}}) {
    p.header.version = v;
    EXPECT_EQ(check_request(p), ServeOutcome::kBadVersion) << int{v};
  }
  p.header.version = 3;
  EXPECT_EQ(check_request(p), ServeOutcome::kServedBasic);
}

TEST(ServerStage, NeverAnswersBroadcastOrMulticast) {
  Frame f = ipv4_request(request_header(), eth(false, wire::MacAddress::broadcast()));
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kBroadcast);
  f = ipv4_request(request_header(), eth(), wire::Ipv4Address{{255, 255, 255, 255}});
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kBroadcast);
  f = ipv4_request(request_header(), eth(false, wire::MacAddress{{0x01, 0, 0x5e, 0, 1, 1}}),
                   wire::Ipv4Address{{224, 0, 1, 1}});
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kBroadcast);
  wire::Ipv6Address group{};
  group.bytes[0] = 0xff;
  group.bytes[1] = 0x02;
  group.bytes[15] = 0x01;
  f = ipv6_request(request_header(), eth(false, wire::MacAddress{{0x33, 0x33, 0, 0, 0, 1}}), group);
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kBroadcast);
  // A multicast source MAC (a spoofed request) would send the reply to a group.
  f = ipv4_request();
  f.bytes[6] |= 1;
  f.decode();
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kBroadcast);
}

TEST(ServerStage, DisabledPerFamily) {
  ServerSnapshot s = serving();
  s.listen.ipv4_enabled = false;
  Frame f4 = ipv4_request();
  Frame f6 = ipv6_request();
  EXPECT_EQ(serve(f4, s).outcome, ServeOutcome::kDisabled);
  EXPECT_EQ(serve(f6, s).outcome, ServeOutcome::kServedBasic);
  s = serving();
  s.listen.ipv6_enabled = false;
  f4 = ipv4_request();
  f6 = ipv6_request();
  EXPECT_EQ(serve(f4, s).outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(serve(f6, s).outcome, ServeOutcome::kDisabled);
  // Nothing is answered by default (the server disable lines, or before control publishes).
  f4 = ipv4_request();
  EXPECT_EQ(serve(f4, ServerSnapshot{}).outcome, ServeOutcome::kDisabled);
}

TEST(ServerStage, AnswersOnlyOnListeningInterfacesAndAddresses) {
  ServerSnapshot s = serving();
  s.listen.ipv4_interfaces = 0b10;  // interface 1 only
  Frame f = ipv4_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);
  s.listen.ipv4_all = true;  // `all enable` overrides the specific forms
  f = ipv4_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kServedBasic);
  // Only the primary address: a request to a secondary one is not processed.
  f = ipv4_request(request_header(), eth(), kSecondary4);
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);
  // Port 123 only (a request to the client port is not for the server).
  EXPECT_EQ(check_listening(serving().listen, interface0(), wire::IpAddress::from(kServer4), 50000),
            ServeOutcome::kNotListening);
  EXPECT_EQ(check_listening(serving().listen, interface0(), wire::IpAddress::from(kServer4), 123),
            ServeOutcome::kServedBasic);
  // IPv6: the configured source address in its VRF, or all.
  s = serving();
  s.listen.ipv6_vrfs[0] = 1;
  f = ipv6_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);
  s.listen.ipv6_count = 0;
  s.listen.ipv6_vrfs[0] = 0;
  f = ipv6_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);
  s.listen.ipv6_all = true;
  f = ipv6_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kServedBasic);
}

TEST(ServerStage, PhysicIsolateAnswersItsAddressOnItsInterfaceOnly) {
  // Nothing else listens: only `physic-isolate source-interface <1> source-address <secondary>`
  // and its IPv6 twin on interface 1.
  ServerSnapshot s = serving();
  s.listen.ipv4_interfaces = 0;
  s.listen.ipv6_count = 0;
  s.listen.isolated_count = 2;
  s.listen.isolated[0] = {wire::IpAddress::from(kSecondary4), 1};
  s.listen.isolated[1] = {wire::IpAddress::from(kServer6), 1};
  ServerInterface itf1 = interface0();
  itf1.index = 1;
  Frame f = ipv4_request(request_header(), eth(), kSecondary4);
  EXPECT_EQ(serve(f, s, itf1).outcome, ServeOutcome::kServedBasic);  // a secondary address too
  f = ipv4_request(request_header(), eth(), kSecondary4);
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);  // the same address, interface 0
  f = ipv4_request(request_header(), eth(), kServer4);
  EXPECT_EQ(serve(f, s, itf1).outcome, ServeOutcome::kNotListening);  // another address
  f = ipv6_request();
  EXPECT_EQ(serve(f, s, itf1).outcome, ServeOutcome::kServedBasic);
  f = ipv6_request();
  EXPECT_EQ(serve(f, s).outcome, ServeOutcome::kNotListening);
  // Port 123 and the family switch still apply.
  EXPECT_EQ(check_listening(s.listen, itf1, wire::IpAddress::from(kSecondary4), 50000),
            ServeOutcome::kNotListening);
  s.listen.ipv4_enabled = false;
  f = ipv4_request(request_header(), eth(), kSecondary4);
  EXPECT_EQ(serve(f, s, itf1).outcome, ServeOutcome::kDisabled);
}

TEST(ServerStage, DropsExtensionFieldsSoTheReplyIsNeverLarger) {
  std::array<uint8_t, 48 + 16> payload{};
  ASSERT_EQ(wire::encode_ntp(payload, request_header()), 48u);
  const std::array<uint8_t, 12> value{1, 2, 3};
  ASSERT_EQ(wire::encode_ntp_extension_field(std::span(payload).subspan(48), 0x0104, value), 16u);
  Frame f;
  f.bytes.resize(256);
  wire::Ipv4UdpSpec spec;
  spec.eth = eth();
  spec.src_ip = kClient4;
  spec.dst_ip = kServer4;
  spec.src_port = 40000;
  f.bytes.resize(wire::encode_ipv4_udp(f.bytes, spec, payload));
  f.decode();
  ASSERT_EQ(f.decoded.ntp.extension_count, 1);
  const ServeResult r = serve(f);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(r.length, f.bytes.size() - 16);
  const wire::DecodedFrame d = decode_reply(f, r);
  EXPECT_EQ(d.ntp.extension_count, 0);
  EXPECT_EQ(d.udp_payload.size(), 48u);
}

TEST(ServerStage, DropsIpv4OptionsFromTheReply) {
  Frame f = ipv4_request();
  // Re-encode with a 4-byte option (router alert) after the 20-byte header.
  std::vector<uint8_t> with(f.bytes.begin(), f.bytes.begin() + 34);
  with.insert(with.end(), {0x94, 0x04, 0x00, 0x00});
  with.insert(with.end(), f.bytes.begin() + 34, f.bytes.end());
  with[14] = 0x46;
  with[17] = static_cast<uint8_t>(with[17] + 4);  // total length
  with[24] = with[25] = 0;
  const uint16_t c = wire::internet_checksum(std::span(with).subspan(14, 24));
  with[24] = static_cast<uint8_t>(c >> 8);
  with[25] = static_cast<uint8_t>(c);
  f.bytes = with;
  f.decode();
  ASSERT_EQ(f.decoded.error, wire::DecodeError::kOk);
  const ServeResult r = serve(f);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(r.length, f.bytes.size() - 4);
  EXPECT_EQ(decode_reply(f, r).l4_offset, 34u);
}

// Without keys (no ServerAuth) a request with a MAC cannot be answered signed: refused.
// Authenticated serving is tested in tests/unit/server_auth.
TEST(ServerStage, RequestWithMacWithoutKeysIsNotAnswered) {
  const std::array<uint8_t, 20> digest{9, 9, 9};
  const wire::NtpMac mac{7, digest};
  Frame f = ipv4_request(request_header(), eth(), kServer4, 123, &mac);
  ASSERT_TRUE(f.decoded.ntp.has_mac);
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kAuthFailed);
}

TEST(ServerStage, QinQIsNotAnswered) {
  Frame f = ipv4_request(request_header(), eth(true));
  // Insert an outer S-tag.
  f.bytes.insert(f.bytes.begin() + 12, {0x88, 0xa8, 0x00, 0x07});
  f.decode();
  ASSERT_EQ(f.decoded.error, wire::DecodeError::kOk);
  ASSERT_EQ(f.decoded.vlan_count, 2);
  EXPECT_EQ(serve(f).outcome, ServeOutcome::kUnsupportedFrame);
}

TEST(ServerStage, AnswersInterleavedWhenTheOriginNamesASavedReceiveTimestamp) {
  InterleavedStore store(16);
  // First exchange: basic (origin zero); the lcore then saves T2 -> the reply's TX time.
  wire::NtpHeader h = request_header();
  h.origin = NtpTimestamp{};
  Frame f = ipv4_request(h);
  ServeResult r = serve_in_place(f.bytes, f.decoded, interface0(), serving(), kT2, kT3, &store);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(r.receive, kT2);
  const NtpTimestamp tx1 = NtpTimestamp::from_raw(kT3.raw() + 500);
  store.save(r.receive, tx1);
  // Second: chronyd xleave puts our T2 in origin and its RX of our reply in receive.
  h.origin = kT2;
  h.receive = NtpTimestamp::from_raw(0x3333);
  h.transmit = NtpTimestamp::from_raw(0x4444);
  f = ipv4_request(h);
  const NtpTimestamp t2b = NtpTimestamp::from_parts(3'900'000'001u, 0);
  r = serve_in_place(f.bytes, f.decoded, interface0(), serving(), t2b, t2b, &store);
  ASSERT_EQ(r.outcome, ServeOutcome::kServedInterleaved);
  stamp_transmit(f.bytes, r, NtpTimestamp::from_parts(3'900'000'002u, 0));  // left alone
  const wire::NtpHeader reply = decode_reply(f, r).ntp.header;
  EXPECT_EQ(reply.origin.raw(), 0x3333u);
  EXPECT_EQ(reply.receive, t2b);
  EXPECT_EQ(reply.transmit, tx1);  // the previous reply's true TX time
  // The same request without the store is answered basic, to its transmit field.
  f = ipv4_request(h);
  r = serve(f);
  EXPECT_EQ(r.outcome, ServeOutcome::kServedBasic);
  EXPECT_EQ(decode_reply(f, r).ntp.header.origin.raw(), 0x4444u);
}

TEST(ServerStage, ServesAPayloadForTheSocketBackend) {
  std::array<uint8_t, 48> request{};
  ASSERT_EQ(wire::encode_ntp(request, request_header(3)), 48u);
  std::array<uint8_t, 64> out{};
  ASSERT_EQ(serve_payload(request, out, serving().clock, kT2, kT3), ServeOutcome::kServedBasic);
  wire::NtpPacket reply;
  ASSERT_EQ(wire::decode_ntp(std::span(out).first(48), reply), wire::DecodeError::kOk);
  EXPECT_EQ(reply.header.mode, wire::NtpMode::kServer);
  EXPECT_EQ(reply.header.version, 3);
  EXPECT_EQ(reply.header.origin, kClientTx);
  EXPECT_EQ(reply.header.receive, kT2);
  EXPECT_EQ(reply.header.transmit, kT3);
  EXPECT_EQ(reply.header.stratum, 2);
  // Garbage and mode 4 are not answered.
  const std::array<uint8_t, 10> short_packet{0x23};
  EXPECT_EQ(serve_payload(short_packet, out, serving().clock, kT2, kT3), ServeOutcome::kMalformed);
  ASSERT_EQ(wire::encode_ntp(request, request_header(4, wire::NtpMode::kServer)), 48u);
  EXPECT_EQ(serve_payload(request, out, serving().clock, kT2, kT3), ServeOutcome::kNotRequest);
}

// The socket backend's payload path answers interleaved from the same store (its saved TX is
// the kernel's transmit stamp of the earlier reply).
TEST(ServerStage, ServesAPayloadInterleavedFromTheStore) {
  InterleavedStore store(16);
  const NtpTimestamp tx1 = NtpTimestamp::from_raw(kT3.raw() + 500);
  store.save(kT2, tx1);
  wire::NtpHeader h = request_header();
  h.origin = kT2;
  h.receive = NtpTimestamp::from_raw(0x3333);
  h.transmit = NtpTimestamp::from_raw(0x4444);
  std::array<uint8_t, 48> request{};
  ASSERT_EQ(wire::encode_ntp(request, h), 48u);
  std::array<uint8_t, 48> out{};
  const NtpTimestamp t2b = NtpTimestamp::from_parts(3'900'000'001u, 0);
  size_t length = 0;
  ASSERT_EQ(
      serve_payload(request, out, serving().clock, t2b, t2b, nullptr, {}, nullptr, &length, &store),
      ServeOutcome::kServedInterleaved);
  ASSERT_EQ(length, 48u);
  wire::NtpPacket reply;
  ASSERT_EQ(wire::decode_ntp(out, reply), wire::DecodeError::kOk);
  EXPECT_EQ(reply.header.origin.raw(), 0x3333u);
  EXPECT_EQ(reply.header.receive, t2b);
  EXPECT_EQ(reply.header.transmit, tx1);
  // An origin the store does not hold: basic, to the request's transmit field.
  h.origin = NtpTimestamp::from_raw(0x5555);
  ASSERT_EQ(wire::encode_ntp(request, h), 48u);
  ASSERT_EQ(
      serve_payload(request, out, serving().clock, t2b, t2b, nullptr, {}, nullptr, &length, &store),
      ServeOutcome::kServedBasic);
  ASSERT_EQ(wire::decode_ntp(out, reply), wire::DecodeError::kOk);
  EXPECT_EQ(reply.header.origin.raw(), 0x4444u);
}

}  // namespace
}  // namespace wiretime::server

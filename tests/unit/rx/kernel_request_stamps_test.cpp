// The kernel's stamps of client requests, pure: the key of a request frame, and the walk of a
// ring that holds the same frames the PMD delivers, in the same order (a ring of our own here).
#include "dataplane/rx/kernel_request_stamps.hpp"

#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <vector>

#include "dataplane/wire/frame_encoder.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::rx {
namespace {

const wire::Ipv4Address kClient4{{198, 18, 0, 2}};
const wire::Ipv4Address kServer4{{198, 18, 0, 1}};
const wire::Ipv6Address kClient6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
const wire::Ipv6Address kServer6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

std::vector<uint8_t> frame4(uint64_t transmit, uint16_t port = 40000,
                            wire::NtpMode mode = wire::NtpMode::kClient, bool vlan = false) {
  std::vector<uint8_t> out(256);
  wire::Ipv4UdpSpec spec;
  spec.eth.has_vlan = vlan;
  spec.eth.vlan_tci = 100;
  spec.src_ip = kClient4;
  spec.dst_ip = kServer4;
  spec.src_port = port;
  wire::NtpHeader h;
  h.mode = mode;
  h.transmit = NtpTimestamp::from_raw(transmit);
  out.resize(wire::encode_ipv4_ntp(out, spec, h, nullptr));
  return out;
}

std::vector<uint8_t> frame6(uint64_t transmit, uint16_t port = 40000) {
  std::vector<uint8_t> out(256);
  wire::Ipv6UdpSpec spec;
  spec.src_ip = kClient6;
  spec.dst_ip = kServer6;
  spec.src_port = port;
  wire::NtpHeader h;
  h.transmit = NtpTimestamp::from_raw(transmit);
  out.resize(wire::encode_ipv6_ntp(out, spec, h, nullptr));
  return out;
}

RequestKey key4(uint64_t transmit, uint16_t port = 40000) {
  return {wire::IpAddress::from(kClient4), port, transmit};
}

TEST(RequestKey, ReadsTheSenderAndTransmitOfARequest) {
  EXPECT_EQ(request_key(frame4(0x1122334455667788)), key4(0x1122334455667788));
  EXPECT_EQ(request_key(frame4(7, 123, wire::NtpMode::kClient, true)), key4(7, 123));
  const auto k6 = request_key(frame6(9, 50000));
  ASSERT_TRUE(k6.has_value());
  EXPECT_EQ(*k6, (RequestKey{wire::IpAddress::from(kClient6), 50000, 9}));
}

TEST(RequestKey, RefusesWhatIsNotARequest) {
  EXPECT_FALSE(request_key(frame4(1, 123, wire::NtpMode::kServer)));
  EXPECT_FALSE(request_key(frame4(1, 123, wire::NtpMode::kSymmetricActive)));
  std::vector<uint8_t> f = frame4(1);
  // Cut anywhere before the end of the NTP header: never read past it.
  for (size_t n = 0; n < 14 + 20 + 8 + 48; ++n) {
    EXPECT_FALSE(request_key(std::span<const uint8_t>(f.data(), n))) << n;
  }
  std::vector<uint8_t> tcp = frame4(1);
  tcp[14 + 9] = 6;
  EXPECT_FALSE(request_key(tcp));
  std::vector<uint8_t> fragment = frame4(1);
  fragment[14 + 6] = 0x00;
  fragment[14 + 7] = 0x10;  // offset 16 x 8 bytes: not the datagram's start
  EXPECT_FALSE(request_key(fragment));
  std::vector<uint8_t> arp = frame4(1);
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_FALSE(request_key(arp));
}

// Frames as the kernel's ring holds them: the test plays the kernel.
struct Frame {
  std::vector<uint8_t> bytes_storage;
  std::span<const uint8_t> bytes;
  uint64_t unix_ns = 0;
};
struct FakeRing {
  std::deque<Frame> frames;
  size_t released = 0;
  void add(std::vector<uint8_t> bytes, uint64_t ns) {
    frames.push_back({std::move(bytes), {}, ns});
    frames.back().bytes = frames.back().bytes_storage;
  }
  std::optional<Frame> peek(size_t i) const {
    if (i >= frames.size()) return std::nullopt;
    Frame f = frames[i];
    f.bytes = frames[i].bytes_storage;
    return f;
  }
  void release(size_t n) {
    for (size_t i = 0; i < n && !frames.empty(); ++i) frames.pop_front();
    released += n;
  }
};

TEST(KernelRequestStamps, FindsEachRequestInTurnAndReleasesIt) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  ring.add(frame4(1), 1000);
  ring.add(frame6(2), 2000);
  ring.add(frame4(3), 3000);
  EXPECT_EQ(stamps.find(ring, key4(1)), 1000u);
  EXPECT_EQ(stamps.find(ring, {wire::IpAddress::from(kClient6), 40000, 2}), 2000u);
  EXPECT_EQ(ring.frames.size(), 1u);
  EXPECT_EQ(stamps.find(ring, key4(3)), 3000u);
  EXPECT_TRUE(ring.frames.empty());
  EXPECT_EQ(stamps.matched(), 3u);
  EXPECT_EQ(stamps.missed(), 0u);
}

TEST(KernelRequestStamps, SkipsFramesNotAskedForAndReleasesThemWithTheMatch) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  ring.add(frame4(1), 1000);         // a request the lcore did not serve (denied, dropped)
  ring.add(frame4(5, 40001), 1500);  // same transmit from another port: another request
  ring.add(frame4(5), 2000);
  EXPECT_EQ(stamps.find(ring, key4(5)), 2000u);
  EXPECT_TRUE(ring.frames.empty());
}

TEST(KernelRequestStamps, LeavesTheRingAloneWhenTheRequestIsNotThere) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  EXPECT_FALSE(stamps.find(ring, key4(1)));  // the kernel has not copied it (yet)
  ring.add(frame4(2), 2000);
  EXPECT_FALSE(stamps.find(ring, key4(1)));
  EXPECT_EQ(ring.frames.size(), 1u);  // kept for the request it belongs to
  EXPECT_EQ(stamps.missed(), 2u);
  EXPECT_EQ(stamps.find(ring, key4(2)), 2000u);
}

TEST(KernelRequestStamps, LooksAtABoundedNumberOfFramesPerRequest) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  for (uint64_t t = 0; t < KernelRequestStamps<FakeRing>::kScan; ++t) ring.add(frame4(100 + t), t);
  ring.add(frame4(1), 5000);
  EXPECT_FALSE(stamps.find(ring, key4(1)));  // beyond the scan: the TSC serves
  EXPECT_EQ(ring.frames.size(), KernelRequestStamps<FakeRing>::kScan + 1);
}

TEST(KernelRequestStamps, AgeReleasesOnlyFramesOlderThanATick) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  ring.add(frame4(1), 1000);
  ring.add(frame4(2), 2000);
  stamps.age(ring);  // first tick: both are new
  EXPECT_EQ(ring.frames.size(), 2u);
  EXPECT_EQ(stamps.find(ring, key4(1)), 1000u);  // one is asked for before the next tick
  ring.add(frame4(3), 3000);                     // one arrives
  stamps.age(ring);  // frame 2 was there a tick ago and nobody asked: released; 3 stays
  ASSERT_EQ(ring.frames.size(), 1u);
  EXPECT_EQ(ring.frames.front().unix_ns, 3000u);
  EXPECT_EQ(stamps.aged(), 1u);
  stamps.age(ring);
  EXPECT_TRUE(ring.frames.empty());
  EXPECT_EQ(stamps.aged(), 2u);
}

TEST(KernelRequestStamps, AgeCountsAMatchBeyondTheOldFramesOnce) {
  FakeRing ring;
  KernelRequestStamps<FakeRing> stamps;
  ring.add(frame4(1), 1000);
  stamps.age(ring);
  ring.add(frame4(2), 2000);
  EXPECT_EQ(stamps.find(ring, key4(2)), 2000u);  // releases 1 and 2
  stamps.age(ring);
  EXPECT_TRUE(ring.frames.empty());
  EXPECT_EQ(ring.released, 2u);  // nothing released twice
  EXPECT_EQ(stamps.aged(), 0u);
}

}  // namespace
}  // namespace wiretime::rx

// Per-request costs of the NTP server's pure stage (dataplane/server): what the lcore pays per
// client request on top of the frame decode. Each iteration restores the request bytes (a
// 90-byte copy, reported alone as BM_ServerRestoreRequest) because the stage rewrites them.
#include <benchmark/benchmark.h>

#include <array>

#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/server/server_state.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::server {
namespace {

struct Request {
  std::array<uint8_t, 128> bytes{};
  size_t length = 0;
};

Request make_request(bool ipv6, bool vlan) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.transmit = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  wire::EthernetSpec eth;
  eth.src = wire::MacAddress{{0x02, 0, 0, 0, 0, 1}};
  eth.dst = wire::MacAddress{{0x02, 0, 0, 0, 0, 2}};
  eth.has_vlan = vlan;
  eth.vlan_tci = 100;
  Request r;
  if (ipv6) {
    wire::Ipv6UdpSpec s;
    s.eth = eth;
    s.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    s.dst_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    s.src_port = 40000;
    r.length = wire::encode_ipv6_ntp(r.bytes, s, h);
  } else {
    wire::Ipv4UdpSpec s;
    s.eth = eth;
    s.src_ip = wire::Ipv4Address::from_host_order(0xc6120001);
    s.dst_ip = wire::Ipv4Address::from_host_order(0xc6120002);
    s.src_port = 40000;
    r.length = wire::encode_ipv4_ntp(r.bytes, s, h);
  }
  return r;
}

ServerSnapshot serving() {
  ServerSnapshot s;
  s.clock.leap = 0;
  s.clock.stratum = 2;
  s.listen.ipv4_enabled = s.listen.ipv6_enabled = true;
  s.listen.ipv4_all = s.listen.ipv6_all = true;
  return s;
}

ServerInterface interface0() {
  ServerInterface itf;
  itf.has_primary_ipv4 = true;
  itf.primary_ipv4 = wire::Ipv4Address::from_host_order(0xc6120002);
  return itf;
}

void BM_ServerRestoreRequest(benchmark::State& state) {
  const Request original = make_request(false, false);
  Request work;
  for (auto _ : state) {
    work = original;
    benchmark::DoNotOptimize(work.bytes.data());
  }
}
BENCHMARK(BM_ServerRestoreRequest);

// Decode + classify + respond in place + late T3 patch: the lcore's whole per-request work
// apart from the mbuf handling and the clock reads.
void BM_ServerDecodeRespondStamp(benchmark::State& state) {
  const Request original = make_request(state.range(0) != 0, state.range(1) != 0);
  const ServerSnapshot snapshot = serving();
  const ServerInterface itf = interface0();
  wire::FrameDecodeOptions options;
  wire::DecodedFrame decoded;
  Request work;
  uint64_t t = 0xe9790aa1fc20ca7aULL;
  for (auto _ : state) {
    work = original;
    const std::span<uint8_t> frame(work.bytes.data(), work.length);
    wire::decode_frame(frame, options, decoded);
    const ServeResult r =
        serve_in_place(frame, decoded, itf, snapshot, NtpTimestamp::from_raw(t), {});
    stamp_transmit(frame, r, NtpTimestamp::from_raw(t + 4000));
    t += 1 << 20;
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(std::string(state.range(0) ? "IPv6" : "IPv4") + (state.range(1) ? " VLAN" : ""));
}
BENCHMARK(BM_ServerDecodeRespondStamp)->Args({0, 0})->Args({0, 1})->Args({1, 0});

// Respond in place alone (the request already decoded): checks + reply header + frame rewrite
// with both checksums.
void BM_ServerRespondInPlace(benchmark::State& state) {
  const Request original = make_request(state.range(0) != 0, false);
  const ServerSnapshot snapshot = serving();
  const ServerInterface itf = interface0();
  const wire::DecodedFrame decoded =
      wire::decode_frame(std::span<const uint8_t>(original.bytes.data(), original.length));
  Request work;
  for (auto _ : state) {
    work = original;
    const ServeResult r = serve_in_place(std::span<uint8_t>(work.bytes.data(), work.length),
                                         decoded, itf, snapshot, NtpTimestamp::from_raw(1), {});
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel(state.range(0) ? "IPv6" : "IPv4");
}
BENCHMARK(BM_ServerRespondInPlace)->Arg(0)->Arg(1);

// The late T3 patch with its incremental UDP checksum fix.
void BM_ServerStampTransmit(benchmark::State& state) {
  Request work = make_request(false, false);
  const wire::DecodedFrame decoded =
      wire::decode_frame(std::span<const uint8_t>(work.bytes.data(), work.length));
  const std::span<uint8_t> frame(work.bytes.data(), work.length);
  const ServeResult r =
      serve_in_place(frame, decoded, interface0(), serving(), NtpTimestamp::from_raw(1), {});
  uint64_t t = 2;
  for (auto _ : state) {
    stamp_transmit(frame, r, NtpTimestamp::from_raw(t++));
    benchmark::DoNotOptimize(work.bytes.data());
  }
}
BENCHMARK(BM_ServerStampTransmit);

// The lcore's once-per-burst copy of the published server state (192 bytes through a seqlock).
void BM_PublishedServerRead(benchmark::State& state) {
  PublishedServer published(serving());
  for (auto _ : state) {
    ServerSnapshot s = published.read();
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_PublishedServerRead);

}  // namespace
}  // namespace wiretime::server

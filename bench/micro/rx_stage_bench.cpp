// Per-frame costs of the dataplane's pure RX stages (dataplane/rx) and of the server's
// interleaved store: what the lcore pays per request besides the decode and the reply.
#include <benchmark/benchmark.h>

#include <array>
#include <memory>
#include <vector>

#include "dataplane/rx/rx_classifier.hpp"
#include "dataplane/rx/rx_stamp.hpp"
#include "dataplane/server/interleaved_store.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::rx {
namespace {

const wire::MacAddress kOurMac{{0x02, 0, 0, 0, 0, 0x10}};

std::vector<uint8_t> request(bool ipv6) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.transmit = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  wire::EthernetSpec eth;
  eth.src = wire::MacAddress{{0x02, 0, 0, 0, 0, 1}};
  eth.dst = kOurMac;
  std::array<uint8_t, 256> buf{};
  size_t len = 0;
  if (ipv6) {
    wire::Ipv6UdpSpec s;
    s.eth = eth;
    s.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    s.dst_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    s.src_port = 40000;
    len = wire::encode_ipv6_ntp(buf, s, h);
  } else {
    wire::Ipv4UdpSpec s;
    s.eth = eth;
    s.src_ip = wire::Ipv4Address{{198, 18, 0, 1}};
    s.dst_ip = wire::Ipv4Address{{198, 18, 0, 2}};
    s.src_port = 40000;
    len = wire::encode_ipv4_ntp(buf, s, h);
  }
  return {buf.begin(), buf.begin() + static_cast<long>(len)};
}

// The classification of a decoded client request: interface by port/VLAN, MAC and address
// filters, mode; counters included (rx_frames, the interface's rx_frames).
void BM_RxClassifyNtpRequest(benchmark::State& state) {
  const bool ipv6 = state.range(0) != 0;
  l3::InterfaceTable interfaces;
  std::vector<l3::InterfaceSpec> spec(1);
  spec[0].name = "GE1/0/1";
  wire::Ipv6Address our6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
  spec[0].addresses = {{wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 2}}), 24},
                       {wire::IpAddress::from(our6), 64}};
  if (!interfaces.build(spec, {kOurMac}).empty()) {
    state.SkipWithError("interface table");
    return;
  }
  const std::vector<uint8_t> frame = request(ipv6);
  const wire::DecodedFrame decoded = wire::decode_frame(frame);
  wire::NdMessage nd;
  auto counters = std::make_unique<dpdk::DataplaneCounters>();
  for (auto _ : state) {
    const RxVerdict v = classify(0, decoded, interfaces, nd, *counters);
    benchmark::DoNotOptimize(v);
  }
  if (classify(0, decoded, interfaces, nd, *counters).action != RxAction::kServe) {
    state.SkipWithError("the request was not classified for the server");
  }
  state.SetLabel(ipv6 ? "IPv6" : "IPv4");
}
BENCHMARK(BM_RxClassifyNtpRequest)->Arg(0)->Arg(1);

// T2 of a request: the RX stamp's provenance and the clock model's ticks -> NTP conversion.
void BM_RequestReceiveTime(benchmark::State& state) {
  const auto model = clock::ClockModel::from_rate(0, 1'800'000'000'000'000'000, 2.3e9);
  const dpdk::NicClockRegression nic;
  uint64_t tsc = 123456789;
  uint16_t i = 0;
  for (auto _ : state) {
    const RxStamp s = rx_stamp(tsc, std::nullopt, dpdk::NicStampKind::kNone, nic);
    benchmark::DoNotOptimize(request_receive_time(s, model, i++ & 31));
    tsc += 1000;
  }
}
BENCHMARK(BM_RequestReceiveTime);

// The interleaved store: a lookup that hits (range(1) = 1) or misses, and a save, in a store of
// range(0) entries (4096: 64 KiB, in L2; 1 Mi: 16 MiB, beyond the caches).
void BM_InterleavedStoreFind(benchmark::State& state) {
  server::InterleavedStore store(static_cast<size_t>(state.range(0)));
  const bool hit = state.range(1) != 0;
  uint64_t t = 0xe000000000000000ULL;
  for (size_t i = 0; i < store.capacity(); ++i) {
    store.save(NtpTimestamp::from_raw(t + (i << 12)), NtpTimestamp::from_raw(t + (i << 12) + 7));
  }
  uint64_t i = 0;
  uint64_t found = 0;
  for (auto _ : state) {
    // Walks the saved T2s in a scattered order (hits) or asks for ones never saved (misses).
    const uint64_t k = (i * 2654435761ULL) & (store.capacity() - 1);
    const auto r = store.find(NtpTimestamp::from_raw(t + (k << 12) + (hit ? 0 : 1)));
    found += r.has_value();
    benchmark::DoNotOptimize(r);
    ++i;
  }
  state.counters["hit_ratio"] = static_cast<double>(found) / static_cast<double>(i);
}
BENCHMARK(BM_InterleavedStoreFind)->Args({4096, 1})->Args({4096, 0})->Args({1 << 20, 1});

void BM_InterleavedStoreSave(benchmark::State& state) {
  server::InterleavedStore store(static_cast<size_t>(state.range(0)));
  uint64_t t = 0xe000000000000000ULL;
  for (auto _ : state) {
    store.save(NtpTimestamp::from_raw(t), NtpTimestamp::from_raw(t + 7));
    t += 0x10000;  // distinct T2s, a few microseconds apart
  }
}
BENCHMARK(BM_InterleavedStoreSave)->Arg(4096)->Arg(1 << 20);

}  // namespace
}  // namespace wiretime::rx

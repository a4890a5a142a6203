// Per-packet costs of the pure codec: what the dataplane pays to classify a received frame and
// to build a request or a server reply.
#include <benchmark/benchmark.h>

#include <array>

#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::wire {
namespace {

NtpHeader sample_reply() {
  NtpHeader h;
  h.mode = NtpMode::kServer;
  h.stratum = 1;
  h.poll = 4;
  h.precision = -24;
  h.reference_id = 0x47505300;
  h.reference = NtpTimestamp::from_raw(0xe9790aa1fc20ca79ULL);
  h.origin = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  h.receive = NtpTimestamp::from_raw(0xe9790aa1fc20ca7aULL);
  h.transmit = NtpTimestamp::from_raw(0xe9790aa1fc20ca7cULL);
  return h;
}

Ipv4UdpSpec sample_spec(bool vlan) {
  Ipv4UdpSpec spec;
  spec.eth.src = MacAddress{{0x02, 0, 0, 0, 0, 1}};
  spec.eth.dst = MacAddress{{0x02, 0, 0, 0, 0, 2}};
  spec.eth.has_vlan = vlan;
  spec.eth.vlan_tci = 100;
  spec.src_ip = Ipv4Address::from_host_order(0xc6120001);  // 198.18.0.1
  spec.dst_ip = Ipv4Address::from_host_order(0xc6120002);
  spec.src_port = 123;
  spec.dst_port = 40000;
  return spec;
}

void BM_EncodeIpv4Ntp(benchmark::State& state) {
  std::array<uint8_t, 128> frame{};
  const auto spec = sample_spec(state.range(0) != 0);
  const auto header = sample_reply();
  for (auto _ : state) {
    benchmark::DoNotOptimize(encode_ipv4_ntp(frame, spec, header));
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_EncodeIpv4Ntp)->Arg(0)->Arg(1)->ArgName("vlan");

void BM_DecodeIpv4NtpFrame(benchmark::State& state) {
  std::array<uint8_t, 128> frame{};
  const size_t n = encode_ipv4_ntp(frame, sample_spec(state.range(0) != 0), sample_reply());
  DecodedFrame out;
  const FrameDecodeOptions options;  // checksums verified, as on the dataplane
  for (auto _ : state) {
    decode_frame(std::span<const uint8_t>(frame.data(), n), options, out);
    benchmark::DoNotOptimize(out);
  }
  if (out.error != DecodeError::kOk) state.SkipWithError("frame did not decode");
}
BENCHMARK(BM_DecodeIpv4NtpFrame)->Arg(0)->Arg(1)->ArgName("vlan");

// The same into a fresh record per frame (the returning decode_frame that tools use): adds the
// construction and copy of the whole ~500-byte record, which the reused record avoids.
void BM_DecodeIpv4NtpFrameFresh(benchmark::State& state) {
  std::array<uint8_t, 128> frame{};
  const size_t n = encode_ipv4_ntp(frame, sample_spec(false), sample_reply());
  const FrameDecodeOptions options;
  DecodeError error = DecodeError::kOk;
  for (auto _ : state) {
    DecodedFrame out = decode_frame(std::span<const uint8_t>(frame.data(), n), options);
    benchmark::DoNotOptimize(out);
    error = out.error;
  }
  if (error != DecodeError::kOk) state.SkipWithError("frame did not decode");
}
BENCHMARK(BM_DecodeIpv4NtpFrameFresh);

void BM_DecodeIpv6NtpFrame(benchmark::State& state) {
  std::array<uint8_t, 128> frame{};
  Ipv6UdpSpec spec;
  spec.eth = sample_spec(false).eth;
  spec.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  spec.dst_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  spec.src_port = 123;
  spec.dst_port = 40000;
  const size_t n = encode_ipv6_ntp(frame, spec, sample_reply());
  DecodedFrame out;
  const FrameDecodeOptions options;
  for (auto _ : state) {
    decode_frame(std::span<const uint8_t>(frame.data(), n), options, out);
    benchmark::DoNotOptimize(out);
  }
  if (out.error != DecodeError::kOk) state.SkipWithError("frame did not decode");
}
BENCHMARK(BM_DecodeIpv6NtpFrame);

}  // namespace
}  // namespace wiretime::wire

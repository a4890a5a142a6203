// Server authentication per request (dataplane/server/server_auth.*): verify a client
// request's MAC and sign the 48-byte reply, per MAC algorithm, on the lcore's preallocated
// contexts. Digest lengths as chronyd sends them: NTPv4 for MD5/SHA1/CMAC, NTPv3 (whole
// digest) for SHA256/384/512; HMAC-SHA256 (VRP's mode, not in chronyd) as NTPv4, 20 bytes.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "dataplane/server/server_auth.hpp"
#include "dataplane/wire/byte_order.hpp"

namespace wiretime::server {
namespace {

using auth::MacAlgorithm;

constexpr std::array<MacAlgorithm, 8> kAlgorithms{
    MacAlgorithm::kMd5,        MacAlgorithm::kSha1,      MacAlgorithm::kSha256,
    MacAlgorithm::kSha384,     MacAlgorithm::kSha512,    MacAlgorithm::kHmacSha256,
    MacAlgorithm::kAes128Cmac, MacAlgorithm::kAes256Cmac};

std::vector<uint8_t> secret_for(MacAlgorithm a) {
  const size_t n = auth::required_key_length(a).value_or(20);
  std::vector<uint8_t> s(n);
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<uint8_t>(0x40 + i);
  return s;
}

void BM_ServerAuthVerifyAndSign(benchmark::State& state) {
  const MacAlgorithm a = kAlgorithms[static_cast<size_t>(state.range(0))];
  state.SetLabel(std::string(auth::to_string(a)));
  const uint8_t version = auth::full_mac_length(a) > 20 && a != MacAlgorithm::kHmacSha256 ? 3 : 4;
  ServerKeyTable table({ServerKey{1, a, true, secret_for(a)}}, false);
  ServerAuth server;
  server.set_table(&table);
  // The request: a 48-byte header signed with key 1.
  wire::NtpHeader h;
  h.version = version;
  h.mode = wire::NtpMode::kClient;
  h.transmit = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  std::array<uint8_t, 48 + 4 + 64> request{};
  wire::encode_ntp(request, h);
  const size_t length = server.sign(request, *table.find(1), reply_digest_length(a, version));
  const std::span<const uint8_t> payload(request.data(), length);
  wire::NtpPacket decoded;
  if (length == 0 || wire::decode_ntp(payload, decoded) != wire::DecodeError::kOk) {
    state.SkipWithError("could not build the request");
    return;
  }
  std::array<uint8_t, 48 + 4 + 64> reply{};
  wire::encode_ntp(reply, h);
  for (auto _ : state) {
    const AuthCheck c = server.check(decoded, payload);
    if (!c.ok) {
      state.SkipWithError("request did not verify");
      break;
    }
    benchmark::DoNotOptimize(server.sign(reply, *c.key, c.digest_length));
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_ServerAuthVerifyAndSign)->DenseRange(0, kAlgorithms.size() - 1);

}  // namespace
}  // namespace wiretime::server

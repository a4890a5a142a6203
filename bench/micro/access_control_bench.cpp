// Per-request costs of the server's access and rate control (dataplane/server/access_control):
// the ACL lookup for one source against `ntp access` tables, the rate-limit lookup (hash, 4-way
// bucket, two GCRA buckets), and the whole decision the stage asks for per request.
#include <benchmark/benchmark.h>

#include <vector>

#include "dataplane/server/access_control.hpp"

namespace wiretime::server {
namespace {

wire::IpAddress v4(uint32_t host_order) {
  return wire::IpAddress::from(wire::Ipv4Address::from_host_order(host_order));
}

// `rules` host rules for 198.18.1.x that do not match, then the /24 permit of 198.18.0.0:
// the lookup walks every rule before it matches (the worst case of first-match order).
AccessTables tables(int rules, bool limited) {
  AccessTables t;
  AclTable& server = t.levels[static_cast<size_t>(AccessLevelIndex::kServer)][0];
  server.configured = 1;
  for (int i = 0; i < rules - 1; ++i) {
    AclEntry& e = server.rules[server.count++];
    e.mask = {0, 0xffffffff};
    e.value = {0, 0xc6120100u + static_cast<uint32_t>(i)};
    e.permit = 1;
  }
  AclEntry& last = server.rules[server.count++];
  last.mask = {0, 0xffffff00};
  last.value = {0, 0xc6120000};
  last.permit = 1;
  if (limited) {
    AclTable& l = t.levels[static_cast<size_t>(AccessLevelIndex::kLimited)][0];
    l.configured = 1;
    l.count = 1;
    l.rules[0].permit = 1;  // any
  }
  return t;
}

void BM_AclLookup(benchmark::State& state) {
  const AccessTables t = tables(static_cast<int>(state.range(0)), false);
  const wire::IpAddress src = v4(0xc6120007);
  for (auto _ : state) {
    benchmark::DoNotOptimize(classify_access(t, src));
  }
}
BENCHMARK(BM_AclLookup)->Arg(1)->Arg(8)->Arg(64);

// Clients spread over `range` addresses (the table holds 16384): hits in a warm table.
void BM_RateLimitLookup(benchmark::State& state) {
  RateLimiter r;
  const auto clients = static_cast<uint32_t>(state.range(0));
  std::vector<std::array<uint64_t, 2>> keys;
  for (uint32_t i = 0; i < clients; ++i) keys.push_back(acl_key(v4(0xc6120000u + i)));
  uint64_t now = uint64_t{3'900'000'000} << 32;
  size_t i = 0;
  for (auto _ : state) {
    now += 1 << 20;  // 244 us per request
    benchmark::DoNotOptimize(r.charge(keys[i], NtpTimestamp::from_raw(now), 1, 5));
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_RateLimitLookup)->Arg(1)->Arg(1024)->Arg(65536);

// The stage's whole per-request decision: 8-rule ACL, `limited`, rate table, leak.
void BM_AccessDecide(benchmark::State& state) {
  AccessGate gate;
  gate.set(tables(8, state.range(0) != 0));
  std::vector<wire::IpAddress> sources;
  for (uint32_t i = 0; i < 1024; ++i) sources.push_back(v4(0xc6120000u + (i & 0xff)));
  uint64_t now = uint64_t{3'900'000'000} << 32;
  size_t i = 0;
  for (auto _ : state) {
    now += 1 << 20;
    benchmark::DoNotOptimize(gate.decide(sources[i], NtpTimestamp::from_raw(now)));
    if (++i == sources.size()) i = 0;
  }
}
BENCHMARK(BM_AccessDecide)->Arg(0)->Arg(1);

}  // namespace
}  // namespace wiretime::server

// Per-packet cost of the routed dataplane loop (dataplane/dpdk/dataplane.hpp) on a ring-backed
// ethdev port: the benchmark is the link's far end. Each iteration moves one burst of 32 frames
// through one poll of the loop, so the time per item is the lcore's cost per frame including the
// rte_eth_rx_burst/tx_burst of net_ring, excluding any NIC. `BM_InjectOnly` is the far end's own
// share (mbuf allocation and copy) to subtract from the RX figures.
#include <benchmark/benchmark.h>
#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/server/access_control.hpp"
#include "dataplane/server/server_auth.hpp"
#include "dataplane/server/server_keys.hpp"
#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace wiretime::dpdk {
namespace {

constexpr unsigned kBurst = 32;
rte_mempool* g_pool = nullptr;

const wire::MacAddress kServerMac{{0x02, 0x5e, 0, 0, 0, 0x01}};
const wire::MacAddress kOurMac{{0x02, 0x5e, 0, 0, 0, 0x02}};
const wire::Ipv4Address kServerIp{{198, 18, 0, 1}};
const wire::Ipv4Address kOurIp{{198, 18, 0, 2}};
constexpr uint16_t kClientPort = 50000;

using Frame = std::vector<uint8_t>;

template <typename F>
Frame make(F&& encode) {
  std::array<uint8_t, 512> buf{};
  const size_t len = encode(std::span<uint8_t>(buf));
  return Frame(buf.begin(), buf.begin() + static_cast<long>(len));
}

wire::EthernetSpec eth(wire::MacAddress dst, wire::MacAddress src) {
  wire::EthernetSpec e;
  e.dst = dst;
  e.src = src;
  return e;
}

Frame ntp_reply() {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kServer;
  h.stratum = 1;
  h.transmit = NtpTimestamp::from_raw(0xe000000000000001ull);
  return make([&](std::span<uint8_t> out) {
    wire::Ipv4UdpSpec s;
    s.eth = eth(kOurMac, kServerMac);
    s.src_ip = kServerIp;
    s.dst_ip = kOurIp;
    s.src_port = 123;
    s.dst_port = kClientPort;
    return wire::encode_ipv4_ntp(out, s, h);
  });
}

Frame arp_reply() {
  wire::ArpPacket a;
  a.operation = wire::ArpOperation::kReply;
  a.sender_mac = kServerMac;
  a.sender_ip = kServerIp;
  a.target_mac = kOurMac;
  a.target_ip = kOurIp;
  return make(
      [&](std::span<uint8_t> out) { return wire::encode_arp(out, eth(kOurMac, kServerMac), a); });
}

// An ICMP echo request to us, built by hand: the encoders only make replies.
Frame icmp_echo_request() {
  Frame f(14 + 20 + 8 + 32, 0);
  std::copy(kOurMac.bytes.begin(), kOurMac.bytes.end(), f.begin());
  std::copy(kServerMac.bytes.begin(), kServerMac.bytes.end(), f.begin() + 6);
  f[12] = 0x08;
  uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  const auto total = static_cast<uint16_t>(f.size() - 14);
  ip[2] = static_cast<uint8_t>(total >> 8);
  ip[3] = static_cast<uint8_t>(total);
  ip[8] = 64;
  ip[9] = 1;  // ICMP
  std::copy(kServerIp.bytes.begin(), kServerIp.bytes.end(), ip + 12);
  std::copy(kOurIp.bytes.begin(), kOurIp.bytes.end(), ip + 16);
  auto checksum = [](const uint8_t* p, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
  };
  const uint16_t ip_sum = checksum(ip, 20);
  ip[10] = static_cast<uint8_t>(ip_sum >> 8);
  ip[11] = static_cast<uint8_t>(ip_sum);
  uint8_t* icmp = ip + 20;
  icmp[0] = 8;  // echo request
  icmp[5] = 1;  // identifier
  icmp[7] = 1;  // sequence
  const uint16_t icmp_sum = checksum(icmp, f.size() - 34);
  icmp[2] = static_cast<uint8_t>(icmp_sum >> 8);
  icmp[3] = static_cast<uint8_t>(icmp_sum);
  return f;
}

// A client request to us (mode 3), IPv4 or IPv6. With `origin` set it names an earlier T2
// (an interleaved-mode request).
Frame ntp_request(bool ipv6, uint64_t origin = 0) {
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.origin = NtpTimestamp::from_raw(origin);
  h.receive = NtpTimestamp::from_raw(origin != 0 ? 0x1234 : 0);
  h.transmit = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  return make([&](std::span<uint8_t> out) {
    if (ipv6) {
      wire::Ipv6UdpSpec s;
      s.eth = eth(kOurMac, kServerMac);
      s.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
      s.dst_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
      s.src_port = kClientPort;
      return wire::encode_ipv6_ntp(out, s, h);
    }
    wire::Ipv4UdpSpec s;
    s.eth = eth(kOurMac, kServerMac);
    s.src_ip = kServerIp;
    s.dst_ip = kOurIp;
    s.src_port = kClientPort;
    return wire::encode_ipv4_ntp(out, s, h);
  });
}

// One port on rings, with the dataplane polled from this thread.
struct Bench {
  rte_ring* to_dataplane = nullptr;
  rte_ring* from_dataplane = nullptr;
  std::unique_ptr<Dataplane> dp;
  std::string error;

  explicit Bench(const std::string& name, size_t interleaved_entries = 4096) {
    to_dataplane = rte_ring_create((name + "_rx").c_str(), 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
    from_dataplane =
        rte_ring_create((name + "_tx").c_str(), 1024, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
    const int port = rte_eth_from_rings(name.c_str(), &to_dataplane, 1, &from_dataplane, 1, 0);
    if (port < 0) {
      error = "rte_eth_from_rings failed";
      return;
    }
    l3::NetworkSpec network;
    wire::Ipv6Address our6{{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
    network.interfaces.push_back(
        {"GE0",
         "",
         l3::kNoVlan,
         "",
         kOurMac,
         {{wire::IpAddress::from(kOurIp), 24}, {wire::IpAddress::from(our6), 64}}});
    PortSpec spec;
    spec.port_index = static_cast<uint16_t>(port);
    spec.mbufs = 1023;
    DataplaneOptions options;
    options.announce_on_start = false;
    options.server_interleaved_entries = interleaved_entries;
    dp = Dataplane::create(options, {spec}, network, error);
  }
  ~Bench() {
    dp.reset();
    rte_ring_free(to_dataplane);
    rte_ring_free(from_dataplane);
  }

  bool inject(const Frame& frame, unsigned count) const {
    rte_mbuf* burst[kBurst];
    if (rte_pktmbuf_alloc_bulk(g_pool, burst, count) != 0) return false;
    for (unsigned i = 0; i < count; ++i) {
      char* data = rte_pktmbuf_append(burst[i], static_cast<uint16_t>(frame.size()));
      std::copy(frame.begin(), frame.end(), reinterpret_cast<uint8_t*>(data));
    }
    return rte_ring_enqueue_bulk(to_dataplane, reinterpret_cast<void**>(burst), count, nullptr) ==
           count;
  }
  unsigned drain_tx() const {
    void* burst[kBurst];
    unsigned total = 0;
    unsigned n = 0;
    while ((n = rte_ring_dequeue_burst(from_dataplane, burst, kBurst, nullptr)) != 0) {
      rte_pktmbuf_free_bulk(reinterpret_cast<rte_mbuf**>(burst), n);
      total += n;
    }
    return total;
  }
  unsigned drain_events() const {
    DataplaneEvent events[kBurst];
    unsigned total = 0;
    unsigned n = 0;
    while ((n = dp->poll_events(events, kBurst)) != 0) total += n;
    return total;
  }
};

std::string next_name() {
  static unsigned n = 0;
  return "bench" + std::to_string(n++);
}

// The far end's share: allocate, fill and free a burst without the dataplane.
void BM_InjectOnly(benchmark::State& state) {
  const Frame frame = ntp_reply();
  rte_mbuf* burst[kBurst];
  for (auto _ : state) {
    if (rte_pktmbuf_alloc_bulk(g_pool, burst, kBurst) != 0) {
      state.SkipWithError("mbuf pool empty");
      return;
    }
    for (rte_mbuf* m : burst) {
      char* data = rte_pktmbuf_append(m, static_cast<uint16_t>(frame.size()));
      std::copy(frame.begin(), frame.end(), reinterpret_cast<uint8_t*>(data));
    }
    rte_pktmbuf_free_bulk(burst, kBurst);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}
BENCHMARK(BM_InjectOnly);

// RX of server replies: burst, timestamp, decode, classify, one event per frame to control.
void BM_RxNtpReply(benchmark::State& state) {
  Bench b(next_name());
  if (!b.dp) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  const Frame frame = ntp_reply();
  uint64_t events = 0;
  for (auto _ : state) {
    if (!b.inject(frame, kBurst)) {
      state.SkipWithError("cannot inject");
      return;
    }
    while (b.dp->poll_once()) {
    }
    events += b.drain_events();
  }
  if (events != static_cast<uint64_t>(state.iterations()) * kBurst) {
    state.SkipWithError("a reply did not reach control: the benchmark measured a drop path");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}
BENCHMARK(BM_RxNtpReply);

// RX of ICMP echo requests and TX of the replies (the lcore answers pings itself).
void BM_IcmpEcho(benchmark::State& state) {
  Bench b(next_name());
  if (!b.dp) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  const Frame frame = icmp_echo_request();
  uint64_t replies = 0;
  for (auto _ : state) {
    if (!b.inject(frame, kBurst)) {
      state.SkipWithError("cannot inject");
      return;
    }
    while (b.dp->poll_once()) {
    }
    replies += b.drain_tx();
  }
  if (replies != static_cast<uint64_t>(state.iterations()) * kBurst) {
    state.SkipWithError("an echo request was not answered");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}
BENCHMARK(BM_IcmpEcho);

// The NTP server: RX of client requests, answered in place and sent in the same burst (T2 from
// the burst, T3 patched right before the TX burst), counted per outcome. range(0): IPv6;
// range(1): interleaved (each request names a T2 the store remembers).
void BM_ServeNtpRequest(benchmark::State& state) {
  Bench b(next_name());
  if (!b.dp) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  const bool ipv6 = state.range(0) != 0;
  const bool interleaved = state.range(1) != 0;
  clock::PublishedClock published(
      clock::ClockModel::from_rate(0, 1'800'000'000'000'000'000, 2.3e9));
  server::PublishedServer server_state;
  server::ServerSnapshot snap;
  snap.clock.leap = 0;
  snap.clock.stratum = 2;
  snap.listen.ipv4_enabled = snap.listen.ipv6_enabled = true;
  snap.listen.ipv4_all = snap.listen.ipv6_all = true;
  server_state.store(snap);
  b.dp->attach_server(&published, &server_state);
  Frame frame = ntp_request(ipv6);
  if (interleaved) {
    // One basic exchange first: its reply's T2 is what every later request names.
    b.inject(frame, 1);
    while (b.dp->poll_once()) {
    }
    void* obj = nullptr;
    if (rte_ring_dequeue(b.from_dataplane, &obj) != 0) {
      state.SkipWithError("no reply to the first request");
      return;
    }
    auto* m = static_cast<rte_mbuf*>(obj);
    const wire::DecodedFrame d =
        wire::decode_frame({rte_pktmbuf_mtod(m, const uint8_t*), m->data_len});
    rte_pktmbuf_free(m);
    frame = ntp_request(ipv6, d.ntp.header.receive.raw());
  }
  uint64_t replies = 0;
  for (auto _ : state) {
    if (!b.inject(frame, kBurst)) {
      state.SkipWithError("cannot inject");
      return;
    }
    while (b.dp->poll_once()) {
    }
    if (!interleaved) {
      replies += b.drain_tx();
      continue;
    }
    // As an xleave client does: the next requests name the T2 of this burst's first reply
    // (the far end's extra cost: one encode per burst of 32).
    void* out[kBurst];
    const unsigned n = rte_ring_dequeue_burst(b.from_dataplane, out, kBurst, nullptr);
    if (n != 0) {
      auto* m = static_cast<rte_mbuf*>(out[0]);
      const size_t ntp = wire::udp_payload_offset(
          eth(kServerMac, kOurMac), ipv6 ? wire::IpVersion::kV6 : wire::IpVersion::kV4);
      frame = ntp_request(ipv6, wire::load_be64(rte_pktmbuf_mtod(m, const uint8_t*) + ntp + 32));
      rte_pktmbuf_free_bulk(reinterpret_cast<rte_mbuf**>(out), n);
    }
    replies += n + b.drain_tx();
  }
  const auto& c = b.dp->counters().server;
  const uint64_t wanted = interleaved ? c.total(server::ServeOutcome::kServedInterleaved)
                                      : c.total(server::ServeOutcome::kServedBasic);
  if (replies != static_cast<uint64_t>(state.iterations()) * kBurst ||
      wanted < static_cast<uint64_t>(state.iterations()) * kBurst) {
    state.SkipWithError("a request was not answered the way measured");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
  state.SetLabel(std::string(ipv6 ? "IPv6" : "IPv4") + (interleaved ? " interleaved" : " basic"));
}
BENCHMARK(BM_ServeNtpRequest)->Args({0, 0})->Args({1, 0})->Args({0, 1});

// ------------------------------------------------------------------ server throughput, 2 lcores
//
// The far end runs on its own lcore (lcore 1, its own CPU), the dataplane on the benchmark's
// (lcore 0): the generator keeps kInFlight requests circulating, turning every reply it gets
// back into the next request (a 90/110-byte copy of the request into the same mbuf; in
// interleaved mode the reply's receive field becomes the next request's origin, with an
// incremental UDP checksum fix, as an `xleave` client does). No mbuf is allocated or freed per
// request on either side. The lcore's own cost per request is its busy TSC cycles per reply
// (DataplaneCounters::lcore_busy_cycles), independent of how fast the generator is.
constexpr double kLineRate = 10.96e6;  // minimum NTP/UDP/IPv4 frames per second at 10 GbE
constexpr unsigned kInFlight = 768;    // fits the 1023-slot rings both ways

struct Generator {
  rte_ring* to_dataplane = nullptr;
  rte_ring* from_dataplane = nullptr;
  Frame request;
  size_t ntp_offset = 0;  // NTP header in the frame
  size_t ip_offset = 14;  // IP header in the frame
  bool ipv6 = false;
  bool interleaved = false;
  // Every request in flight keeps its own client address (the last 16 bits of the source:
  // slot + 1), carried over from its reply's destination: 768 clients for the rate table.
  bool own_clients = false;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> replies{0};
  std::atomic<uint64_t> empty_polls{0};  // passes that found no reply: the generator had slack
  std::atomic<int> status{0};
  double cpu_ns = 0;  // the generator thread's CPU time, written when it stops

  // The source address's last word: its offset in the frame.
  size_t client_word() const { return ip_offset + (ipv6 ? 8 + 14 : 12 + 2); }
  // The client a reply goes back to (its destination's last word).
  uint16_t client_of_reply(const rte_mbuf* m) const {
    return wire::load_be16(rte_pktmbuf_mtod(m, const uint8_t*) + ip_offset +
                           (ipv6 ? 24 + 14 : 16 + 2));
  }
  void fill(rte_mbuf* m, uint64_t origin, uint16_t client = 0) const {
    m->data_off = RTE_PKTMBUF_HEADROOM;
    m->data_len = static_cast<uint16_t>(request.size());
    m->pkt_len = static_cast<uint32_t>(request.size());
    m->nb_segs = 1;
    m->ol_flags = 0;
    auto* data = rte_pktmbuf_mtod(m, uint8_t*);
    std::copy(request.begin(), request.end(), data);
    if (client != 0) {
      // The template's word is 1: patch it and both checksums it is in (RFC 1624).
      uint8_t* word = data + client_word();
      const uint16_t old = wire::load_be16(word);
      wire::store_be16(word, client);
      uint8_t* udp_sum = data + ntp_offset - 2;
      wire::store_be16(udp_sum, wire::checksum_update16(wire::load_be16(udp_sum), old, client));
      if (!ipv6) {
        uint8_t* ip_sum = data + ip_offset + 10;
        wire::store_be16(ip_sum, wire::checksum_update16(wire::load_be16(ip_sum), old, client));
      }
    }
    if (origin == 0) return;
    // origin (NTP bytes 24-31) was zero in the template: fix the UDP checksum word by word.
    uint8_t* o = data + ntp_offset + 24;
    uint8_t* sum = data + ntp_offset - 2;
    uint16_t c = wire::load_be16(sum);
    for (int w = 0; w < 4; ++w) {
      const auto word = static_cast<uint16_t>(origin >> (48 - 16 * w));
      wire::store_be16(o + 2 * w, word);
      c = wire::checksum_update16(c, 0, word);
    }
    wire::store_be16(sum, c);
  }
  static int main(void* arg) {
    auto& g = *static_cast<Generator*>(arg);
    rte_mbuf* burst[kBurst];
    for (unsigned sent = 0; sent < kInFlight; sent += kBurst) {
      if (rte_pktmbuf_alloc_bulk(g_pool, burst, kBurst) != 0) {
        g.status = 1;
        return 1;
      }
      for (unsigned i = 0; i < kBurst; ++i) {
        g.fill(burst[i], 0, g.own_clients ? static_cast<uint16_t>(sent + i + 1) : uint16_t{0});
      }
      rte_ring_enqueue_bulk(g.to_dataplane, reinterpret_cast<void**>(burst), kBurst, nullptr);
    }
    uint64_t replies = 0;
    uint64_t empty = 0;
    timespec cpu0{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    while (!g.stop.load(std::memory_order_relaxed)) {
      const unsigned n = rte_ring_dequeue_burst(g.from_dataplane, reinterpret_cast<void**>(burst),
                                                kBurst, nullptr);
      if (n == 0) {
        ++empty;
        continue;
      }
      for (unsigned i = 0; i < n; ++i) {
        uint64_t origin = 0;
        if (g.interleaved) {
          origin = wire::load_be64(rte_pktmbuf_mtod(burst[i], const uint8_t*) + g.ntp_offset + 32);
        }
        g.fill(burst[i], origin, g.own_clients ? g.client_of_reply(burst[i]) : uint16_t{0});
      }
      rte_ring_enqueue_burst(g.to_dataplane, reinterpret_cast<void**>(burst), n, nullptr);
      replies += n;
      g.replies.store(replies, std::memory_order_relaxed);
    }
    g.empty_polls = empty;
    timespec cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    g.cpu_ns = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) * 1e9 +
               static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec);
    return 0;
  }
};

// What the requests of a throughput run ask of the server (range(1)).
enum class Variant : int64_t {
  kBasic,
  kInterleaved,
  kMd5,  // MACs: one per family (hash, HMAC, CMAC), and SHA1, chronyd's common choice
  kSha1,
  kHmacSha256,
  kAes128Cmac,
  kRateLimited,  // `ntp access limited` + `ntp discard` (+ kod-enable), 768 clients in rate
};

std::optional<auth::MacAlgorithm> mac_of(Variant v) {
  switch (v) {
    case Variant::kMd5:
      return auth::MacAlgorithm::kMd5;
    case Variant::kSha1:
      return auth::MacAlgorithm::kSha1;
    case Variant::kHmacSha256:
      return auth::MacAlgorithm::kHmacSha256;
    case Variant::kAes128Cmac:
      return auth::MacAlgorithm::kAes128Cmac;
    default:
      return std::nullopt;
  }
}

std::string label_of(bool ipv6, Variant v) {
  const std::string family = ipv6 ? "IPv6" : "IPv4";
  if (const auto mac = mac_of(v)) return family + " " + std::string(auth::to_string(*mac));
  if (v == Variant::kInterleaved) return family + " interleaved";
  if (v == Variant::kRateLimited) return family + " rate limited";
  return family + " basic";
}

// Every source permitted, at `server` level and as `limited`: each request is classified and
// charged to its address's buckets. 2^-16 s intervals: the 768 clients stay within their rate
// up to ~50 M requests/s, so every request is served and comes back (a limited one would be
// dropped or KoD'd and leave the circulation).
server::AccessTables permit_all_limited() {
  server::AccessTables t;
  server::AclTable all;
  all.configured = 1;
  all.count = 1;
  all.rules[0].permit = 1;  // mask 0: any address
  for (size_t family = 0; family < 2; ++family) {
    t.levels[static_cast<size_t>(server::AccessLevelIndex::kServer)][family] = all;
    t.levels[static_cast<size_t>(server::AccessLevelIndex::kLimited)][family] = all;
  }
  t.kod_enable = 1;
  t.min_interval = -16;
  t.avg_interval = -16;
  return t;
}

// range(0): IPv6; range(1): Variant. Items/s are replies per second of wall time with the
// dataplane polled on this lcore; counters: line_rate = that / 10.96 M, lcore_ns = the lcore's
// busy cycles per reply in ns (its cost per request), busy = busy share of its passes.
void BM_ServeThroughput(benchmark::State& state) {
  if (rte_lcore_count() < 2) {
    state.SkipWithError("needs two lcores (-l 0,1)");
    return;
  }
  // 768 requests in flight name T2s 768 replies old: a 4096-slot store would have lost 17 % of
  // them to newer replies hashed to the same slot (by design); 64 Ki slots lose ~1 %.
  Bench b(next_name(), 65536);
  if (!b.dp) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  const bool ipv6 = state.range(0) != 0;
  const auto variant = static_cast<Variant>(state.range(1));
  const bool interleaved = variant == Variant::kInterleaved;
  const std::optional<auth::MacAlgorithm> mac = mac_of(variant);
  clock::PublishedClock published(clock::ClockModel::from_rate(
      0, 1'800'000'000'000'000'000, static_cast<double>(rte_get_tsc_hz())));
  server::PublishedServer server_state;
  server::ServerSnapshot snap;
  snap.clock.leap = 0;
  snap.clock.stratum = 2;
  snap.listen.ipv4_enabled = snap.listen.ipv6_enabled = true;
  snap.listen.ipv4_all = snap.listen.ipv6_all = true;
  server_state.store(snap);
  b.dp->attach_server(&published, &server_state);
  server::PublishedAccess access;
  if (variant == Variant::kRateLimited) {
    access.store(permit_all_limited());
    b.dp->attach_access(&access);
  }
  // Key 1 of the variant's algorithm, required; the requests carry its MAC as chronyd sends it.
  server::ServerKeyPublisher keys;
  if (mac) {
    const size_t n = auth::required_key_length(*mac).value_or(20);
    std::vector<uint8_t> secret(n);
    for (size_t i = 0; i < n; ++i) secret[i] = static_cast<uint8_t>(0x40 + i);
    keys.publish(std::make_unique<const server::ServerKeyTable>(
        std::vector<server::ServerKey>{server::ServerKey{1, *mac, true, secret}}, true));
    b.dp->attach_server_keys(&keys);
  }

  Generator g;
  g.to_dataplane = b.to_dataplane;
  g.from_dataplane = b.from_dataplane;
  g.interleaved = interleaved;
  g.ipv6 = ipv6;
  g.own_clients = variant == Variant::kRateLimited;
  // The template names no T2 (origin zero) but carries a receive nonce, as chronyd's do.
  wire::NtpHeader h;
  h.mode = wire::NtpMode::kClient;
  h.receive = NtpTimestamp::from_raw(0x1234);
  h.transmit = NtpTimestamp::from_raw(0x0655affce45da0bbULL);
  std::array<uint8_t, 48 + 4 + 64> payload{};
  size_t payload_length = wire::encode_ntp(payload, h);
  if (mac) {
    server::ServerAuth signer;
    const server::ServerKeyTable* table = keys.acquire(keys.register_reader());
    signer.set_table(table);
    payload_length =
        signer.sign(payload, *table->find(1), server::reply_digest_length(*mac, h.version));
    if (payload_length == 0) {
      state.SkipWithError("cannot sign the request");
      return;
    }
  }
  const std::span<const uint8_t> ntp_payload(payload.data(), payload_length);
  wire::EthernetSpec e = eth(kOurMac, kServerMac);
  g.request = make([&](std::span<uint8_t> out) {
    if (ipv6) {
      wire::Ipv6UdpSpec s;
      s.eth = e;
      s.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
      s.dst_ip.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
      s.src_port = kClientPort;
      return wire::encode_ipv6_udp(out, s, ntp_payload);
    }
    wire::Ipv4UdpSpec s;
    s.eth = e;
    s.src_ip = kServerIp;
    s.dst_ip = kOurIp;
    s.src_port = kClientPort;
    return wire::encode_ipv4_udp(out, s, ntp_payload);
  });
  g.ntp_offset = wire::udp_payload_offset(e, ipv6 ? wire::IpVersion::kV6 : wire::IpVersion::kV4);
  const unsigned worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
  if (rte_eal_remote_launch(&Generator::main, &g, worker) != 0) {
    state.SkipWithError("cannot launch the generator");
    return;
  }
  // Warm up: the first replies, the store filling.
  for (int i = 0; i < 20000; ++i) b.dp->poll_once();  // bounded: about a millisecond
  const DataplaneCounters& c = b.dp->counters();
  auto served = [&] {
    return c.server.total(server::ServeOutcome::kServedBasic) +
           c.server.total(server::ServeOutcome::kServedInterleaved);
  };
  const uint64_t served0 = served();
  const uint64_t interleaved0 = c.server.total(server::ServeOutcome::kServedInterleaved);
  const uint64_t busy0 = c.lcore_busy_cycles;
  const uint64_t cycles0 = c.lcore_cycles;
  // One iteration: 64 bursts' worth of replies (bounded at five seconds: a stalled generator
  // ends the run with an error instead of hanging it).
  const auto& served_counter = c.outcome[static_cast<size_t>(RxOutcome::kNtpRequestServed)];
  bool stalled = false;
  timespec cpu0{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
  for (auto _ : state) {
    const uint64_t target = served_counter.load(std::memory_order_relaxed) + 64 * kBurst;
    const uint64_t deadline = rte_get_tsc_cycles() + 5 * rte_get_tsc_hz();
    while (served_counter.load(std::memory_order_relaxed) < target) {
      for (int i = 0; i < 8; ++i) b.dp->poll_once();
      if (rte_get_tsc_cycles() > deadline) {
        stalled = true;
        break;
      }
    }
    if (stalled) break;
  }
  timespec cpu1{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
  const double cpu_ns = static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) * 1e9 +
                        static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec);
  const uint64_t replies = served() - served0;
  const uint64_t busy = c.lcore_busy_cycles - busy0;
  const uint64_t cycles = c.lcore_cycles - cycles0;
  const uint64_t interleaved_replies =
      c.server.total(server::ServeOutcome::kServedInterleaved) - interleaved0;
  g.stop = true;
  rte_eal_wait_lcore(worker);
  // Give the mbufs back: whatever is in either ring.
  b.drain_tx();
  void* left[kBurst];
  unsigned n = 0;
  while ((n = rte_ring_dequeue_burst(b.to_dataplane, left, kBurst, nullptr)) != 0) {
    rte_pktmbuf_free_bulk(reinterpret_cast<rte_mbuf**>(left), n);
  }
  if (g.status != 0) {
    state.SkipWithError("the generator could not allocate its mbufs");
    return;
  }
  const uint64_t authenticated = c.server.total_authenticated();
  if (stalled || replies == 0 || (interleaved && interleaved_replies * 10 < replies * 9) ||
      (mac && authenticated < replies) || c.server.total(server::ServeOutcome::kTxFailed) != 0 ||
      c.server.total(server::ServeOutcome::kAuthFailed) != 0 ||
      c.server.total(server::ServeOutcome::kRateDropped) != 0 ||
      c.server.total(server::ServeOutcome::kRateKodSent) != 0) {
    const std::string why =
        "requests were not answered the way measured: replies " + std::to_string(replies) +
        ", interleaved " + std::to_string(interleaved_replies) + ", not sent " +
        std::to_string(c.server.total(server::ServeOutcome::kTxFailed)) + ", rx frames " +
        std::to_string(c.rx_frames) + ", generator got " + std::to_string(g.replies) +
        ", served before " + std::to_string(served0);
    state.SkipWithError(why.c_str());
    return;
  }
  const double ns_per_tick = 1e9 / static_cast<double>(rte_get_tsc_hz());
  state.SetItemsProcessed(static_cast<int64_t>(replies));
  state.counters["line_rate"] =
      benchmark::Counter(static_cast<double>(replies) / kLineRate, benchmark::Counter::kIsRate);
  state.counters["lcore_ns"] =
      static_cast<double>(busy) * ns_per_tick / static_cast<double>(replies);
  // The lcore thread's CPU time per reply: what the lcore costs per request when other work
  // shares its CPU (then the TSC-based lcore_ns also counts the time it was preempted).
  state.counters["cpu_ns"] = cpu_ns / static_cast<double>(replies);
  // The far end's CPU time per reply it recycled (its whole run, warm-up included): the
  // generator's own cost on this machine, and its share of empty polls (slack).
  state.counters["gen_cpu_ns"] = g.cpu_ns / static_cast<double>(std::max<uint64_t>(g.replies, 1));
  state.counters["busy"] =
      cycles != 0 ? static_cast<double>(busy) / static_cast<double>(cycles) : 0;
  state.SetLabel(label_of(ipv6, variant));
}
BENCHMARK(BM_ServeThroughput)
    ->Args({0, static_cast<int64_t>(Variant::kBasic)})
    ->Args({1, static_cast<int64_t>(Variant::kBasic)})
    ->Args({0, static_cast<int64_t>(Variant::kInterleaved)})
    ->Args({0, static_cast<int64_t>(Variant::kMd5)})
    ->Args({0, static_cast<int64_t>(Variant::kSha1)})
    ->Args({0, static_cast<int64_t>(Variant::kHmacSha256)})
    ->Args({0, static_cast<int64_t>(Variant::kAes128Cmac)})
    ->Args({0, static_cast<int64_t>(Variant::kRateLimited)})
    ->UseRealTime()
    ->MinTime(2.0);

// TX of client requests: command ring, route lookup, resolved next hop, encode, tx burst, and
// the "transmitted" event with T1 back to control.
void BM_TxNtpRequest(benchmark::State& state) {
  Bench b(next_name());
  if (!b.dp) {
    state.SkipWithError(b.error.c_str());
    return;
  }
  TxCommand command;
  command.kind = TxCommand::Kind::kNtpRequest;
  command.server = wire::IpAddress::from(kServerIp);
  command.src_port = kClientPort;
  command.dst_port = 123;
  // Resolve the server's MAC first: one request (held), then the server's ARP reply.
  b.dp->send(command);
  while (b.dp->poll_once()) {
  }
  b.inject(arp_reply(), 1);
  while (b.dp->poll_once()) {
  }
  b.drain_tx();
  b.drain_events();
  uint64_t sent = 0;
  uint64_t cookie = 1;
  for (auto _ : state) {
    for (unsigned i = 0; i < kBurst; ++i) {
      command.cookie = NtpTimestamp::from_raw(cookie++);
      if (!b.dp->send(command)) {
        state.SkipWithError("command ring full");
        return;
      }
    }
    while (b.dp->poll_once()) {
    }
    sent += b.drain_tx();
    b.drain_events();
  }
  if (sent != static_cast<uint64_t>(state.iterations()) * kBurst) {
    state.SkipWithError("a request was not sent (next hop unresolved?)");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}
BENCHMARK(BM_TxNtpRequest);

}  // namespace
}  // namespace wiretime::dpdk

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  wiretime::dpdk::Eal eal;
  const std::string prefix = "wt-dp-bench-" + std::to_string(getpid());
  if (std::string e =
          eal.init({"wiretime_dataplane_bench", "--no-huge", "--no-pci", "-m", "256",
                    "--file-prefix", prefix, "--log-level", "lib.eal:error", "-l", "0,1"});
      !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  wiretime::dpdk::g_pool =
      rte_pktmbuf_pool_create("bench_pool", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  if (wiretime::dpdk::g_pool == nullptr) {
    std::fprintf(stderr, "cannot create the mbuf pool\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

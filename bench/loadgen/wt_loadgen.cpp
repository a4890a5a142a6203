// wt_loadgen: wiretime's NTP load generator, and the null server that measures its own ceiling.
// Raw AF_PACKET sockets on one interface (run it inside the lab namespace that owns the link),
// frames built with the project's codec (dataplane/wire), one thread, no allocation while
// running.
//
//   wt_loadgen gen --iface IF --dst-mac MAC --src-ip A --dst-ip B --rates R1[,R2...]
//                  [--duration S] [--ports N] [--bad-every K] [--drain-ms MS] [--batch N]
//                  [--histogram FILE] [--stop-loss PERCENT]
//     Sends NTPv4 client requests (mode 3) from A (source ports 40000..40000+N-1, round robin)
//     to B:123 (both IPv4 or both IPv6) at each rate (requests/s) for S seconds, then waits MS ms
//     for late replies. Every K-th request has version 5 (a server must not answer it: the soak
//     test's check that every request lands in exactly one counter). The transmit field carries the
//     CLOCK_REALTIME of the send (plus the request's index in its batch, so each is unique);
//     a reply's origin echoes it, so its response time is the kernel's RX stamp of the reply
//     minus that, with no per-request state. Prints one JSON line per rate: sent, answered,
//     loss, response time p50/p99/p99.9/max, send errors and the RX socket's drops (replies
//     the generator itself lost). --histogram writes each rate's response-time buckets.
//   wt_loadgen reflect --iface IF --ip B [--duration S]
//     The null server: answers every NTP client request to B (IPv4 or IPv6) with a mode-4
//     reply built by the
//     same codec (no clock, no checks), so the generator's ceiling through this link and
//     these sockets can be measured.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/server/latency_histogram.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/frame_encoder.hpp"

namespace {

using wiretime::NtpTimestamp;
namespace wire = wiretime::wire;

constexpr unsigned kMaxBatch = 64;
constexpr size_t kFrameSize = 256;
constexpr uint16_t kFirstPort = 40000;

int64_t now_ns(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "wt_loadgen: %s\n", what.c_str());
  std::exit(2);
}

std::optional<wire::MacAddress> parse_mac(const std::string& s) {
  wire::MacAddress m;
  unsigned b[6];
  if (std::sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
    return std::nullopt;
  }
  for (int i = 0; i < 6; ++i) {
    if (b[i] > 255) return std::nullopt;
    m.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(b[i]);
  }
  return m;
}

// An IPv4 or IPv6 address.
std::optional<wire::IpAddress> parse_ip(const std::string& s) {
  in_addr a{};
  if (inet_pton(AF_INET, s.c_str(), &a) == 1) {
    wire::Ipv4Address out;
    std::memcpy(out.bytes.data(), &a, 4);
    return wire::IpAddress::from(out);
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    wire::Ipv6Address out;
    std::memcpy(out.bytes.data(), &a6, 16);
    return wire::IpAddress::from(out);
  }
  return std::nullopt;
}

// The ethertype a raw socket receives `address`'s family with.
uint16_t ethertype_of(const wire::IpAddress& address) {
  return address.version == wire::IpVersion::kV6 ? ETH_P_IPV6 : ETH_P_IP;
}

// An NTP frame from `src` to `dst` (same family), UDP ports as given.
size_t encode_ntp_frame(std::span<uint8_t> out, const wire::EthernetSpec& eth,
                        const wire::IpAddress& src, const wire::IpAddress& dst, uint16_t src_port,
                        uint16_t dst_port, const wire::NtpHeader& h) {
  if (src.version == wire::IpVersion::kV6) {
    wire::Ipv6UdpSpec s;
    s.eth = eth;
    s.src_ip = src.v6;
    s.dst_ip = dst.v6;
    s.src_port = src_port;
    s.dst_port = dst_port;
    return wire::encode_ipv6_ntp(out, s, h);
  }
  wire::Ipv4UdpSpec s;
  s.eth = eth;
  s.src_ip = src.v4;
  s.dst_ip = dst.v4;
  s.src_port = src_port;
  s.dst_port = dst_port;
  return wire::encode_ipv4_ntp(out, s, h);
}

struct Link {
  int ifindex = 0;
  wire::MacAddress mac;
};

Link open_link(const std::string& iface) {
  Link l;
  l.ifindex = static_cast<int>(if_nametoindex(iface.c_str()));
  if (l.ifindex == 0) die("no interface " + iface);
  // The interface's own MAC: the requests' source.
  const std::string path = "/sys/class/net/" + iface + "/address";
  FILE* f = std::fopen(path.c_str(), "r");
  char buf[32] = {};
  if (f == nullptr || std::fgets(buf, sizeof buf, f) == nullptr) die("cannot read " + path);
  std::fclose(f);
  std::string text(buf);
  text.erase(text.find_last_not_of("\n") + 1);
  const auto mac = parse_mac(text);
  if (!mac) die("bad MAC in " + path);
  l.mac = *mac;
  return l;
}

// A raw socket bound to the interface: `protocol` ETH_P_IP/ETH_P_IPV6 to receive that
// family's frames (outgoing ones ignored), 0 to only send. Large buffers: at high rates the default
// ones overflow first.
int raw_socket(int ifindex, uint16_t protocol) {
  const int fd = socket(AF_PACKET, SOCK_RAW, htons(protocol));
  if (fd < 0) die(std::string("socket(AF_PACKET): ") + std::strerror(errno));
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(protocol);
  sll.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0) {
    die(std::string("bind: ") + std::strerror(errno));
  }
  const int size = 32 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
  const int one = 1;
  if (protocol != 0) {
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  } else {
    // Straight to the driver: the veth has no queue to bypass, but this skips the qdisc layer.
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
  }
  return fd;
}

// Frames received this pass: data, length and the kernel's RX stamp (CLOCK_REALTIME).
struct RxBatch {
  std::array<std::array<uint8_t, 2048>, kMaxBatch> data{};
  std::array<std::array<char, 64>, kMaxBatch> control{};
  std::array<iovec, kMaxBatch> iov{};
  std::array<mmsghdr, kMaxBatch> msgs{};

  unsigned receive(int fd) {
    for (unsigned i = 0; i < kMaxBatch; ++i) {
      iov[i] = iovec{data[i].data(), data[i].size()};
      msgs[i] = mmsghdr{};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control[i].data();
      msgs[i].msg_hdr.msg_controllen = control[i].size();
    }
    const int n = recvmmsg(fd, msgs.data(), kMaxBatch, MSG_DONTWAIT, nullptr);
    return n > 0 ? static_cast<unsigned>(n) : 0;
  }
  int64_t stamp(unsigned i) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != nullptr;
         c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
      }
    }
    return now_ns(CLOCK_REALTIME);
  }
};

uint64_t socket_drops(int fd) {
  tpacket_stats st{};
  socklen_t len = sizeof st;
  if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0) return 0;
  return st.tp_drops;  // since the last read: the caller sums
}

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback = {}) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

long number(const std::string& text, const char* what, long lo, long hi) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < lo || v > hi) {
    die(std::string("bad ") + what + " '" + text + "' (" + std::to_string(lo) + ".." +
        std::to_string(hi) + ")");
  }
  return v;
}

int run_reflect(int argc, char** argv) {
  const std::string iface = arg(argc, argv, "--iface");
  const auto ip = parse_ip(arg(argc, argv, "--ip"));
  if (iface.empty() || !ip) die("reflect needs --iface IF --ip ADDR");
  const long duration = number(arg(argc, argv, "--duration", "60"), "--duration", 1, 86400);
  const Link link = open_link(iface);
  const int rx = raw_socket(link.ifindex, ethertype_of(*ip));
  const int out = raw_socket(link.ifindex, 0);
  auto in = std::make_unique<RxBatch>();
  std::array<std::array<uint8_t, kFrameSize>, kMaxBatch> frames{};
  std::array<iovec, kMaxBatch> iov{};
  std::array<mmsghdr, kMaxBatch> msgs{};
  wire::DecodedFrame d;
  uint64_t answered = 0, drops = 0;
  const int64_t end = now_ns(CLOCK_MONOTONIC) + duration * 1'000'000'000;
  while (now_ns(CLOCK_MONOTONIC) < end) {
    pollfd p{rx, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const unsigned n = in->receive(rx);
    unsigned k = 0;
    for (unsigned i = 0; i < n; ++i) {
      wire::decode_frame(std::span<const uint8_t>(in->data[i].data(), in->msgs[i].msg_len), {}, d);
      if (d.error != wire::DecodeError::kOk || !d.is_ntp || d.dst_ip != *ip ||
          d.ntp.header.mode != wire::NtpMode::kClient) {
        continue;
      }
      wire::EthernetSpec eth;
      eth.dst = d.src_mac;
      eth.src = link.mac;
      wire::NtpHeader h;
      h.version = d.ntp.header.version;
      h.mode = wire::NtpMode::kServer;
      h.stratum = 1;
      h.origin = d.ntp.header.transmit;
      const size_t len =
          encode_ntp_frame(frames[k], eth, d.dst_ip, d.src_ip, d.dst_port, d.src_port, h);
      if (len == 0) continue;
      iov[k] = iovec{frames[k].data(), len};
      msgs[k] = mmsghdr{};
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
      ++k;
    }
    if (k > 0) {
      const int sent = sendmmsg(out, msgs.data(), k, 0);
      if (sent > 0) answered += static_cast<unsigned>(sent);
    }
  }
  drops += socket_drops(rx);
  std::printf("{\"reflected\": %llu, \"rx_socket_drops\": %llu}\n",
              static_cast<unsigned long long>(answered), static_cast<unsigned long long>(drops));
  return 0;
}

struct StepResult {
  uint64_t sent = 0, bad = 0, answered = 0, late = 0, send_errors = 0, rx_drops = 0;
};

int run_gen(int argc, char** argv) {
  const std::string iface = arg(argc, argv, "--iface");
  const auto dst_mac = parse_mac(arg(argc, argv, "--dst-mac"));
  const auto src_ip = parse_ip(arg(argc, argv, "--src-ip"));
  const auto dst_ip = parse_ip(arg(argc, argv, "--dst-ip"));
  if (iface.empty() || !dst_mac || !src_ip || !dst_ip) {
    die("gen needs --iface IF --dst-mac MAC --src-ip ADDR --dst-ip ADDR --rates R[,R...]");
  }
  if (src_ip->version != dst_ip->version) die("--src-ip and --dst-ip: one address family");
  std::vector<long> rates;
  {
    const std::string list = arg(argc, argv, "--rates");
    size_t pos = 0;
    while (pos <= list.size() && !list.empty()) {
      const size_t comma = list.find(',', pos);
      rates.push_back(number(list.substr(pos, comma - pos), "--rates", 1, 20'000'000));
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  if (rates.empty() || rates.size() > 64) die("--rates: 1 to 64 rates");
  const long duration = number(arg(argc, argv, "--duration", "3"), "--duration", 1, 3600);
  const long ports = number(arg(argc, argv, "--ports", "256"), "--ports", 1, 20000);
  const long bad_every = number(arg(argc, argv, "--bad-every", "0"), "--bad-every", 0, 1'000'000);
  const long drain_ms = number(arg(argc, argv, "--drain-ms", "300"), "--drain-ms", 10, 10000);
  const long batch_max = number(arg(argc, argv, "--batch", "32"), "--batch", 1, kMaxBatch);
  const std::string histogram_path = arg(argc, argv, "--histogram");
  // Stop stepping up once a rate lost more than this fraction (percent): higher ones only lose
  // more.
  const long stop_loss = number(arg(argc, argv, "--stop-loss", "100"), "--stop-loss", 0, 100);

  const Link link = open_link(iface);
  const int tx = raw_socket(link.ifindex, 0);
  const int rx = raw_socket(link.ifindex, ethertype_of(*src_ip));
  socket_drops(rx);  // reset the kernel's counter

  // One template frame per source port; each send patches the transmit field (and the UDP
  // checksum, incrementally) in place.
  std::vector<std::array<uint8_t, kFrameSize>> templates(static_cast<size_t>(ports));
  std::vector<std::array<uint8_t, kFrameSize>> bad_templates(static_cast<size_t>(ports));
  size_t frame_len = 0;
  const size_t udp_offset =
      wire::kEthernetHeaderSize +
      (src_ip->version == wire::IpVersion::kV6 ? wire::kIpv6HeaderSize : wire::kIpv4HeaderSize);
  for (long p = 0; p < ports; ++p) {
    wire::EthernetSpec eth;
    eth.dst = *dst_mac;
    eth.src = link.mac;
    wire::NtpHeader h;
    h.version = 4;
    h.mode = wire::NtpMode::kClient;
    h.poll = 0;
    h.transmit = NtpTimestamp::from_raw(1);
    frame_len = encode_ntp_frame(templates[static_cast<size_t>(p)], eth, *src_ip, *dst_ip,
                                 static_cast<uint16_t>(kFirstPort + p), wire::kNtpPort, h);
    if (frame_len == 0) die("cannot encode the request template");
    // The same request with version 5 (the codec writes only valid headers): the first NTP
    // byte patched and the UDP checksum updated for that 16-bit word (RFC 1624).
    auto& b = bad_templates[static_cast<size_t>(p)];
    b = templates[static_cast<size_t>(p)];
    const size_t ntp = udp_offset + wire::kUdpHeaderSize;
    const uint32_t old_word = static_cast<uint32_t>(b[ntp] << 8 | b[ntp + 1]);
    b[ntp] = static_cast<uint8_t>((b[ntp] & 0xc7) | (5 << 3));
    const uint32_t new_word = static_cast<uint32_t>(b[ntp] << 8 | b[ntp + 1]);
    const size_t ck = udp_offset + 6;
    uint32_t sum = static_cast<uint16_t>(~static_cast<uint32_t>(b[ck] << 8 | b[ck + 1]));
    sum += static_cast<uint16_t>(~old_word) + new_word;
    while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
    uint16_t c = static_cast<uint16_t>(~sum);
    if (c == 0) c = 0xffff;
    b[ck] = static_cast<uint8_t>(c >> 8);
    b[ck + 1] = static_cast<uint8_t>(c);
  }

  FILE* hist_out = nullptr;
  if (!histogram_path.empty()) {
    hist_out = std::fopen(histogram_path.c_str(), "w");
    if (hist_out == nullptr) die("cannot write " + histogram_path);
    std::fprintf(hist_out, "# rate lower_bound_ns count\n");
  }

  std::array<std::array<uint8_t, kFrameSize>, kMaxBatch> out{};
  std::array<iovec, kMaxBatch> iov{};
  std::array<mmsghdr, kMaxBatch> msgs{};
  auto in = std::make_unique<RxBatch>();
  auto hist = std::make_unique<wiretime::server::LatencyHistogram>();
  wire::DecodedFrame d;
  uint64_t next_port = 0, seq = 0;

  for (const long rate : rates) {
    StepResult r;
    hist->reset();
    const int64_t step_start_rt = now_ns(CLOCK_REALTIME);
    const int64_t start = now_ns(CLOCK_MONOTONIC);
    const int64_t send_end = start + duration * 1'000'000'000;
    const int64_t end = send_end + drain_ms * 1'000'000;
    const auto receive = [&] {
      for (int round = 0; round < 16; ++round) {
        const unsigned n = in->receive(rx);
        for (unsigned i = 0; i < n; ++i) {
          wire::decode_frame(std::span<const uint8_t>(in->data[i].data(), in->msgs[i].msg_len), {},
                             d);
          if (d.error != wire::DecodeError::kOk || !d.is_ntp || d.dst_ip != *src_ip ||
              d.src_port != wire::kNtpPort || d.ntp.header.mode != wire::NtpMode::kServer) {
            continue;
          }
          const auto origin = static_cast<int64_t>(d.ntp.header.origin.raw());
          const int64_t rx_stamp = in->stamp(i);
          if (origin < step_start_rt || origin > rx_stamp) {
            ++r.late;  // a reply to an earlier step, or not ours
            continue;
          }
          ++r.answered;
          hist->record(static_cast<uint64_t>(rx_stamp - origin));
        }
        if (n < kMaxBatch) return;
      }
    };
    for (int64_t now = start; now < end; now = now_ns(CLOCK_MONOTONIC)) {
      if (now < send_end) {
        const auto due = static_cast<uint64_t>(static_cast<double>(now - start) * 1e-9 *
                                               static_cast<double>(rate));
        if (due > r.sent) {
          const unsigned k = static_cast<unsigned>(
              std::min<uint64_t>(due - r.sent, static_cast<uint64_t>(batch_max)));
          const int64_t t = now_ns(CLOCK_REALTIME);
          for (unsigned i = 0; i < k; ++i) {
            const size_t port = next_port++ % static_cast<uint64_t>(ports);
            const bool bad = bad_every > 0 && (seq++ % static_cast<uint64_t>(bad_every)) ==
                                                  static_cast<uint64_t>(bad_every - 1);
            out[i] = bad ? bad_templates[port] : templates[port];
            wire::restamp_ntp_transmit(std::span<uint8_t>(out[i].data(), frame_len), udp_offset,
                                       NtpTimestamp::from_raw(static_cast<uint64_t>(t) + i));
            if (bad) ++r.bad;
            iov[i] = iovec{out[i].data(), frame_len};
            msgs[i] = mmsghdr{};
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
          }
          const int sent = sendmmsg(tx, msgs.data(), k, 0);
          if (sent < 0) {
            // ENOBUFS and the like: counted, not retried (the rate says what was offered).
            r.send_errors += k;
            r.sent += k;
          } else {
            r.sent += static_cast<unsigned>(sent);
            r.send_errors += k - static_cast<unsigned>(sent);
            if (static_cast<unsigned>(sent) < k) r.sent += k - static_cast<unsigned>(sent);
          }
        }
      }
      receive();
      // Nothing due for a while: sleep in ppoll (woken by a reply), so that at real-time
      // priority the generator leaves its CPU to the rest between sends.
      const int64_t t = now_ns(CLOCK_MONOTONIC);
      int64_t wait = t < send_end ? static_cast<int64_t>(static_cast<double>(r.sent + 1) * 1e9 /
                                                         static_cast<double>(rate)) -
                                        (t - start)
                                  : end - t;
      if (wait > 20'000) {
        wait = std::min<int64_t>(wait - 10'000, 1'000'000);
        const timespec ts{0, static_cast<long>(wait)};
        pollfd p{rx, POLLIN, 0};
        ppoll(&p, 1, &ts, nullptr);
      }
    }
    r.rx_drops = socket_drops(rx);
    const uint64_t good = r.sent - r.send_errors - r.bad;
    const double loss =
        good > 0 ? 1.0 - static_cast<double>(r.answered) / static_cast<double>(good) : 0.0;
    const auto us = [&](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
    std::printf(
        "{\"rate\": %ld, \"duration_s\": %ld, \"sent\": %llu, \"send_errors\": %llu, "
        "\"bad_version\": %llu, \"answered\": %llu, \"late\": %llu, \"loss\": %.6f, "
        "\"rx_socket_drops\": %llu, \"p50_us\": %.2f, \"p99_us\": %.2f, \"p999_us\": %.2f, "
        "\"max_us\": %.2f}\n",
        rate, duration, static_cast<unsigned long long>(r.sent),
        static_cast<unsigned long long>(r.send_errors), static_cast<unsigned long long>(r.bad),
        static_cast<unsigned long long>(r.answered), static_cast<unsigned long long>(r.late), loss,
        static_cast<unsigned long long>(r.rx_drops), us(hist->quantile(0.5)),
        us(hist->quantile(0.99)), us(hist->quantile(0.999)), us(hist->max()));
    std::fflush(stdout);
    if (hist_out != nullptr) {
      for (size_t b = 0; b < wiretime::server::LatencyHistogram::kBuckets; ++b) {
        if (hist->count(b) == 0) continue;
        std::fprintf(
            hist_out, "%ld %llu %llu\n", rate,
            static_cast<unsigned long long>(wiretime::server::LatencyHistogram::lower_bound(b)),
            static_cast<unsigned long long>(hist->count(b)));
      }
    }
    if (loss * 100.0 > static_cast<double>(stop_loss)) break;
  }
  if (hist_out != nullptr) std::fclose(hist_out);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "gen") return run_gen(argc, argv);
  if (mode == "reflect") return run_reflect(argc, argv);
  std::fprintf(stderr,
               "usage: wt_loadgen gen --iface IF --dst-mac MAC --src-ip A --dst-ip B "
               "--rates R[,R...] [--duration S] [--ports N] [--bad-every K] [--drain-ms MS] "
               "[--batch N] [--histogram FILE] [--stop-loss PERCENT]\n"
               "       wt_loadgen reflect --iface IF --ip B [--duration S]\n");
  return 2;
}

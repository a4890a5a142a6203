// wiretime-replay: replays a recorded client<->server NTP session through DPDK net_pcap into
// the routed dataplane (the Dataplane facade the daemon uses), impersonating the client, and
// prints every exchange the replies complete, computed with the engine's on-wire code:
//
//   wiretime-replay CAPTURE [--precision LOG2]      (CSV on stdout, summary on stderr)
//   origin,t1_ns,t2_ns,t3_ns,t4_ns,offset_ns,delay_ns
//
// T4 is the reply's hardware stamp as the dataplane delivers it (net_pcap stamps each mbuf with
// its capture time: StampSource::kNicUtc); T2 and T3 come from the reply. T1 is not on the wire:
// wiretime puts a random cookie in the transmit field of its requests, not T1, and the server
// echoes it as the reply's origin. The true T1 is the request's transmit time, which in a replay
// is the capture time of the request frame whose transmit field equals the reply's origin; the
// requests are read from the capture with the wire decoder (session_capture). Captures should
// be classic pcap with microsecond stamps (`dumpcap -F pcap`): that is what net_pcap delivers,
// so T1 and T4 are then the capture's own times exactly.
//
// --precision is the client clock's precision (log2 s, default -24 as in wiretimed): the engine
// floors the delay at it. Exit 0 when every reply in the capture reached control with a capture
// stamp and matched a request, 1 otherwise, 2 on usage errors.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "tests/pcap_replay/session_capture.hpp"
#include "tests/pcap_replay/session_exchange.hpp"

namespace wiretime::replay {
namespace {

int usage() {
  std::fputs("usage: wiretime-replay CAPTURE [--precision LOG2]\n", stderr);
  return 2;
}

int run(const std::string& path, int precision_log2) {
  SessionCapture capture;
  std::string error;
  if (!read_session_capture(path, capture, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (!capture.ethernet || !capture.has_client) {
    std::fprintf(stderr, "%s: no Ethernet frames with an NTP server reply\n", path.c_str());
    return 1;
  }
  const std::string tag = std::to_string(getpid());
  const std::string tx = "/tmp/wt-replay-" + tag + ".pcap";
  const std::string devargs = "net_pcap0,rx_pcap=" + path + ",tx_pcap=" + tx;
  dpdk::Eal eal;
  if (std::string e = eal.init({"wiretime-replay", "--no-huge", "--no-pci", "-m", "128",
                                "--file-prefix", "wt-replay-" + tag, "-l", "0", "--log-level",
                                "lib.eal:error", "--vdev", devargs});
      !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  int status = 0;
  size_t delivered = 0;
  size_t matched = 0;
  {
    l3::NetworkSpec network;
    l3::InterfaceSpec itf;
    itf.name = "GE1/0/1";
    itf.mac = capture.client_mac;
    itf.addresses.push_back(
        {capture.client_ip,
         static_cast<uint8_t>(capture.client_ip.version == wire::IpVersion::kV4 ? 24 : 64)});
    network.interfaces.push_back(itf);
    dpdk::PortSpec port;
    port.devargs = devargs;
    dpdk::DataplaneOptions options;
    options.announce_on_start = false;
    options.event_ring_size = 4096;
    auto dp = dpdk::Dataplane::create(options, {port}, network, error);
    if (!dp) {
      std::fprintf(stderr, "dataplane: %s\n", error.c_str());
      unlink(tx.c_str());
      return 1;
    }
    std::fprintf(stderr, "%s: %zu packets; client %s, %zu requests, %zu replies\n", path.c_str(),
                 capture.packets, l3::to_string(itf.addresses[0]).c_str(), capture.requests.size(),
                 capture.replies);
    std::puts(kExchangeCsvHeader);
    const double local_precision = std::ldexp(1.0, precision_log2);
    // net_pcap delivers the file in bursts and then nothing: stop after a quiet spell.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int quiet = 0;
    while (quiet < 1000 && std::chrono::steady_clock::now() < deadline) {
      quiet = dp->poll_once() ? 0 : quiet + 1;
      dpdk::DataplaneEvent batch[64];
      const unsigned n = dp->poll_events(batch, 64);
      for (unsigned i = 0; i < n; ++i) {
        const dpdk::DataplaneEvent& ev = batch[i];
        if (ev.kind != dpdk::DataplaneEvent::Kind::kNtpReply) continue;
        ++delivered;
        if (ev.stamp != dpdk::StampSource::kNicUtc) {
          std::fprintf(stderr, "reply %zu: stamp %s, not the capture time\n", delivered,
                       dpdk::to_string(ev.stamp));
          status = 1;
          continue;
        }
        const auto e = match_exchange(capture.requests, ev.ntp, ev.utc_ns, local_precision);
        if (!e) {
          std::fprintf(stderr, "reply %zu: origin %016llx matches no captured request\n", delivered,
                       static_cast<unsigned long long>(ev.ntp.origin.raw()));
          status = 1;
          continue;
        }
        ++matched;
        std::puts(to_csv(*e).c_str());
      }
    }
  }
  unlink(tx.c_str());
  std::fprintf(stderr, "%zu replies delivered, %zu matched, %zu in the capture\n", delivered,
               matched, capture.replies);
  if (delivered != capture.replies) status = 1;
  return status;
}

}  // namespace
}  // namespace wiretime::replay

int main(int argc, char** argv) {
  std::string path;
  int precision = -24;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--precision" && i + 1 < argc) {
      char* end = nullptr;
      const long v = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || v < -64 || v > 0) return wiretime::replay::usage();
      precision = static_cast<int>(v);
    } else if (path.empty() && !arg.starts_with("-")) {
      path = arg;
    } else {
      return wiretime::replay::usage();
    }
  }
  if (path.empty()) return wiretime::replay::usage();
  return wiretime::replay::run(path, precision);
}

// Replays one capture through DPDK net_pcap into the routed dataplane and checks the
// accounting: rx_frames == packets in the file == sum of decode errors, RX drop reasons and
// RX outcomes. The interface takes the identity (MAC, IP) of the first NTP client in the
// capture that received a server reply, so replies reach control; each must carry the
// capture time as a hardware UTC stamp (net_pcap fills the timestamp dynfield without
// advertising the offload). Exit 0 pass, 1 fail, 77 skip (no capture given or readable).
#include <pcap/pcap.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/wire/frame_decoder.hpp"

namespace wiretime::dpdk {
namespace {

struct Capture {
  size_t packets = 0;
  bool ethernet = false;
  // The first server reply: whom it went to, and when it was captured.
  bool has_reply = false;
  wire::MacAddress client_mac;
  wire::IpAddress client_ip;
  int64_t first_reply_utc_ns = 0;
  std::vector<int64_t> reply_times_ns;  // every reply to that client, capture order
};

bool read_capture(const std::string& path, Capture& c) {
  char error[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), error);
  if (p == nullptr) {
    std::fprintf(stderr, "cannot read %s: %s\n", path.c_str(), error);
    return false;
  }
  c.ethernet = pcap_datalink(p) == DLT_EN10MB;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  wire::FrameDecodeOptions options;  // as the dataplane decodes (checksums verified)
  while (pcap_next_ex(p, &header, &data) == 1) {
    ++c.packets;
    if (!c.ethernet) continue;
    const auto d = wire::decode_frame({data, header->caplen}, options);
    if (d.error != wire::DecodeError::kOk || !d.is_ntp || d.vlan_count != 0 ||
        !d.ntp.is_time_packet || d.ntp.header.mode != wire::NtpMode::kServer ||
        d.dst_mac.is_multicast()) {
      continue;
    }
    if (!c.has_reply) {
      c.has_reply = true;
      c.client_mac = d.dst_mac;
      c.client_ip = d.dst_ip;
    }
    if (d.dst_mac == c.client_mac && d.dst_ip == c.client_ip) {
      c.reply_times_ns.push_back(static_cast<int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                                 static_cast<int64_t>(header->ts.tv_usec) * 1000);
    }
  }
  pcap_close(p);
  return true;
}

int replay(const std::string& path) {
  Capture capture;
  if (!read_capture(path, capture)) return 77;
  std::printf("%s: %zu packets, %s, %zu replies to the client we impersonate\n", path.c_str(),
              capture.packets, capture.ethernet ? "Ethernet" : "not Ethernet",
              capture.reply_times_ns.size());

  const std::string tag = std::to_string(getpid());
  const std::string tx = "/tmp/wt-pcap-replay-" + tag + ".pcap";
  const std::string devargs = "net_pcap0,rx_pcap=" + path + ",tx_pcap=" + tx;
  Eal eal;
  if (std::string e = eal.init({"pcap_replay", "--no-huge", "--no-pci", "-m", "128",
                                "--file-prefix", "wt-pcap-" + tag, "-l", "0", "--log-level",
                                "lib.eal:error", "--vdev", devargs});
      !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  int status = 0;
  {
    l3::NetworkSpec network;
    l3::InterfaceSpec itf;
    itf.name = "GE1/0/1";
    if (capture.has_reply) {
      itf.mac = capture.client_mac;
      itf.addresses.push_back(
          {capture.client_ip,
           static_cast<uint8_t>(capture.client_ip.version == wire::IpVersion::kV4 ? 24 : 64)});
    } else {
      itf.addresses.push_back({wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 2}}), 24});
    }
    network.interfaces.push_back(itf);
    PortSpec port;
    port.devargs = devargs;
    DataplaneOptions options;
    options.announce_on_start = false;  // keeps the TX file to what the capture provoked
    options.event_ring_size = 4096;
    std::string error;
    auto dp = Dataplane::create(options, {port}, network, error);
    if (!dp) {
      std::fprintf(stderr, "dataplane: %s\n", error.c_str());
      return 1;
    }
    std::printf("port %s driver %s rx stamps %s, interface %s\n", dp->ports()[0].name.c_str(),
                dp->ports()[0].driver.c_str(), to_string(dp->ports()[0].rx_stamps),
                l3::to_string(itf.addresses[0]).c_str());
    // net_pcap delivers the file in bursts and then nothing: stop after a quiet spell.
    const DataplaneCounters& c = dp->counters();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int quiet = 0;
    std::vector<DataplaneEvent> replies;
    while (quiet < 1000 && std::chrono::steady_clock::now() < deadline) {
      quiet = dp->poll_once() ? 0 : quiet + 1;
      DataplaneEvent batch[64];
      const unsigned n = dp->poll_events(batch, 64);
      for (unsigned i = 0; i < n; ++i) {
        if (batch[i].kind == DataplaneEvent::Kind::kNtpReply) replies.push_back(batch[i]);
      }
    }

    auto show = [](const char* what, std::string_view name, uint64_t v) {
      if (v != 0)
        std::printf("  %-8s %-40s %llu\n", what, std::string(name).c_str(),
                    static_cast<unsigned long long>(v));
    };
    for (size_t i = 1; i < c.decode.size(); ++i) {
      show("decode", wire::to_string(static_cast<wire::DecodeError>(i)), c.decode[i].load());
    }
    for (size_t i = 0; i < c.drop.size(); ++i) {
      if (is_rx_drop(static_cast<DropReason>(i))) {
        show("drop", to_string(static_cast<DropReason>(i)), c.drop[i].load());
      }
    }
    for (size_t i = 0; i < c.outcome.size(); ++i) {
      show("outcome", to_string(static_cast<RxOutcome>(i)), c.outcome[i].load());
    }
    const uint64_t rx = c.rx_frames.load();
    const uint64_t accounted = c.rx_accounted();
    std::printf("rx_frames %llu, accounted %llu, packets in file %zu, tx %llu\n",
                static_cast<unsigned long long>(rx), static_cast<unsigned long long>(accounted),
                capture.packets, static_cast<unsigned long long>(c.tx_frames.load()));
    if (rx != capture.packets) {
      std::printf("FAIL: the dataplane received %llu of %zu packets\n",
                  static_cast<unsigned long long>(rx), capture.packets);
      status = 1;
    }
    if (accounted != rx) {
      std::printf("FAIL: %llu frames in counters, %llu received\n",
                  static_cast<unsigned long long>(accounted), static_cast<unsigned long long>(rx));
      status = 1;
    }
    // Every reply to our impersonated client reached control, stamped with its capture time.
    if (replies.size() != capture.reply_times_ns.size()) {
      std::printf("FAIL: %zu replies handed to control, %zu in the capture\n", replies.size(),
                  capture.reply_times_ns.size());
      status = 1;
    }
    for (size_t i = 0; i < replies.size() && i < capture.reply_times_ns.size(); ++i) {
      if (replies[i].stamp != StampSource::kNicUtc ||
          replies[i].utc_ns != capture.reply_times_ns[i]) {
        std::printf("FAIL: reply %zu stamp %s utc %lld, capture time %lld\n", i,
                    to_string(replies[i].stamp), static_cast<long long>(replies[i].utc_ns),
                    static_cast<long long>(capture.reply_times_ns[i]));
        status = 1;
      }
    }
  }
  unlink(tx.c_str());
  std::puts(status == 0 ? "PASS" : "FAIL");
  return status;
}

}  // namespace
}  // namespace wiretime::dpdk

int main(int argc, char** argv) {
  if (argc < 2) {
    std::puts("SKIP: no capture given (test data not installed)");
    return 77;
  }
  if (access(argv[1], R_OK) != 0) {
    std::printf("SKIP: %s is not readable\n", argv[1]);
    return 77;
  }
  return wiretime::dpdk::replay(argv[1]);
}

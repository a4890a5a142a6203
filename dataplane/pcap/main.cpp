// wiretime-pcap: offline decoder for pcap files, for checking the wire codec against other
// decoders (tshark) and for looking at captures. Usage in kUsage below.
#include <pcap/pcap.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "dataplane/pcap/frame_json.hpp"
#include "dataplane/wire/frame_decoder.hpp"

namespace {

constexpr const char* kUsage =
    "usage: wiretime-pcap decode [options] FILE.pcap\n"
    "       wiretime-pcap --help\n"
    "\n"
    "Prints one JSON object per frame: frame number (1-based), capture time, addresses and\n"
    "ports, every NTP header field, extension fields and MAC, or \"error\":\"<reason>\".\n"
    "Link types: Ethernet (DLT_EN10MB), BSD loopback (DLT_NULL), raw IP.\n"
    "\n"
    "options:\n"
    "  --verify-checksums  reject frames with a bad IPv4 header or UDP checksum (off by\n"
    "                      default: captured outgoing packets often carry offloaded ones)\n"
    "  --no-gre            do not decapsulate NTP inside GRE\n"
    "  --ntp-port N        also decode UDP port N as NTP\n"
    "  --any-port          decode every UDP payload as NTP\n"
    "\n"
    "exit status: 0 ok, 1 file unreadable or unsupported, 2 usage error\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "wiretime-pcap: %s\n%s", message.c_str(), kUsage);
  return 2;
}

bool parse_port(std::string_view text, uint16_t& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

int decode_file(const char* path, wiretime::wire::FrameDecodeOptions options) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* pcap = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (pcap == nullptr) {
    std::fprintf(stderr, "wiretime-pcap: cannot read %s: %s\n", path, errbuf);
    return 1;
  }
  const int link = pcap_datalink(pcap);
  switch (link) {
    case DLT_EN10MB:
      options.link_type = wiretime::wire::LinkType::kEthernet;
      break;
    case DLT_NULL:
      options.link_type = wiretime::wire::LinkType::kBsdLoopback;
      break;
    case DLT_RAW:
      options.link_type = wiretime::wire::LinkType::kRawIp;
      break;
    default:
      std::fprintf(stderr, "wiretime-pcap: %s: unsupported link type %s (%d)\n", path,
                   pcap_datalink_val_to_name(link) ? pcap_datalink_val_to_name(link) : "?", link);
      pcap_close(pcap);
      return 1;
  }

  wiretime::wire::DecodedFrame frame;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  uint64_t number = 0;
  int rc = 0;
  while ((rc = pcap_next_ex(pcap, &header, &data)) == 1) {
    ++number;
    const std::span<const uint8_t> bytes(data, header->caplen);
    wiretime::wire::decode_frame(bytes, options, frame);
    const wiretime::UnixNanos time =
        int64_t{header->ts.tv_sec} * 1'000'000'000 + int64_t{header->ts.tv_usec};  // ns precision
    std::fputs(wiretime::pcap::frame_to_json(number, time, header->caplen, frame).c_str(), stdout);
    std::fputc('\n', stdout);
  }
  int status = 0;
  if (rc == PCAP_ERROR) {
    std::fprintf(stderr, "wiretime-pcap: %s: read error after frame %llu: %s\n", path,
                 static_cast<unsigned long long>(number), pcap_geterr(pcap));
    status = 1;
  }
  pcap_close(pcap);
  if (std::fflush(stdout) != 0) status = 1;
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage_error("missing command");
  const std::string_view command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command != "decode") return usage_error("unknown command '" + std::string(command) + "'");

  wiretime::wire::FrameDecodeOptions options;
  options.verify_l4_checksums = false;
  options.verify_ipv4_header_checksum = false;
  options.decapsulate_gre = true;
  const char* path = nullptr;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--verify-checksums") {
      options.verify_l4_checksums = true;
      options.verify_ipv4_header_checksum = true;
    } else if (arg == "--no-gre") {
      options.decapsulate_gre = false;
    } else if (arg == "--any-port") {
      options.decode_ntp_on_any_port = true;
    } else if (arg == "--ntp-port") {
      if (i + 1 >= argc) return usage_error("--ntp-port needs a port number");
      if (!parse_port(argv[++i], options.extra_ntp_port)) {
        return usage_error("bad port '" + std::string(argv[i]) + "' (1-65535)");
      }
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (path != nullptr) {
      return usage_error("only one FILE may be given");
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) return usage_error("missing FILE");
  return decode_file(path, options);
}

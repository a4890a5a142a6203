#include "tests/pcap_replay/session_capture.hpp"

#include <pcap/pcap.h>

#include <span>

#include "dataplane/wire/frame_decoder.hpp"

namespace wiretime::replay {
namespace {

struct Frame {
  std::span<const uint8_t> bytes;
  UnixNanos capture_ns = 0;
};

// Calls `f` for every frame of the file; false when it cannot be opened.
template <typename F>
bool for_each_frame(const std::string& path, SessionCapture& out, std::string& error, F f) {
  char message[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline(path.c_str(), message);
  if (p == nullptr) {
    error = "cannot read " + path + ": " + message;
    return false;
  }
  out.ethernet = pcap_datalink(p) == DLT_EN10MB;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  out.packets = 0;
  while (pcap_next_ex(p, &header, &data) == 1) {
    ++out.packets;
    if (!out.ethernet) continue;
    f(Frame{{data, header->caplen},
            static_cast<UnixNanos>(header->ts.tv_sec) * 1'000'000'000 +
                static_cast<UnixNanos>(header->ts.tv_usec) * 1000});
  }
  pcap_close(p);
  return true;
}

bool is_time_packet(const wire::DecodedFrame& d, wire::NtpMode mode) {
  return d.error == wire::DecodeError::kOk && d.is_ntp && d.vlan_count == 0 &&
         d.ntp.is_time_packet && d.ntp.header.mode == mode;
}

}  // namespace

bool read_session_capture(const std::string& path, SessionCapture& out, std::string& error) {
  out = SessionCapture{};
  // Pass 1: the client is whoever the first unicast server reply went to.
  const wire::FrameDecodeOptions dataplane_options;  // as the dataplane decodes
  if (!for_each_frame(path, out, error, [&](const Frame& f) {
        if (out.has_client) return;
        const auto d = wire::decode_frame(f.bytes, dataplane_options);
        if (!is_time_packet(d, wire::NtpMode::kServer) || d.dst_mac.is_multicast()) return;
        out.has_client = true;
        out.client_mac = d.dst_mac;
        out.client_ip = d.dst_ip;
      })) {
    return false;
  }
  if (!out.has_client) return true;
  // Pass 2: its requests and replies. Captured requests may carry checksums the NIC would
  // have filled in, so they are decoded without verifying them; replies as the dataplane does.
  wire::FrameDecodeOptions request_options;
  request_options.verify_l4_checksums = false;
  request_options.verify_ipv4_header_checksum = false;
  return for_each_frame(path, out, error, [&](const Frame& f) {
    const auto request = wire::decode_frame(f.bytes, request_options);
    if (is_time_packet(request, wire::NtpMode::kClient) && request.src_mac == out.client_mac &&
        request.src_ip == out.client_ip) {
      out.requests.push_back({request.ntp.header.transmit, f.capture_ns});
      return;
    }
    const auto reply = wire::decode_frame(f.bytes, dataplane_options);
    if (is_time_packet(reply, wire::NtpMode::kServer) && reply.dst_mac == out.client_mac &&
        reply.dst_ip == out.client_ip) {
      ++out.replies;
    }
  });
}

}  // namespace wiretime::replay

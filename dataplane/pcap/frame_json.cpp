#include "dataplane/pcap/frame_json.hpp"

#include <cinttypes>
#include <cstdio>
#include <string_view>

#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::pcap {
namespace {

using wire::DecodedFrame;
using wire::IpAddress;
using wire::IpVersion;
using wire::NtpPacket;

void append(std::string& out, const char* fmt, auto... args) {
  char buf[128];
  const int n = std::snprintf(buf, sizeof buf, fmt, args...);
  if (n > 0)
    out.append(buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
}

// JSON string literal; control and non-ASCII bytes become \u00XX so any refid is valid JSON.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      append(out, "\\u%04x", unsigned{u});
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void append_timestamp(std::string& out, const char* name, NtpTimestamp ts) {
  append(out, ",\"%s\":{\"hex\":\"0x%016" PRIx64 "\",\"utc\":", name, ts.raw());
  out += ts.is_zero() ? "null" : quote(format_utc(ts.to_unix_nanos_rfc4330()));
  out += '}';
}

void append_short(std::string& out, const char* name, NtpShort v) {
  append(out, ",\"%s\":{\"hex\":\"0x%08" PRIx32 "\",\"seconds\":%.9f}", name, v.raw(),
         v.to_seconds());
}

void append_ntp(std::string& out, const NtpPacket& p) {
  const auto& h = p.header;
  append(out, ",\"ntp\":{\"leap\":%u,\"version\":%u,\"mode\":%u", static_cast<unsigned>(h.leap),
         unsigned{h.version}, static_cast<unsigned>(h.mode));
  if (!p.is_time_packet) {
    out += ",\"time_packet\":false}";
    return;
  }
  append(out, ",\"time_packet\":true,\"stratum\":%u,\"poll\":%d,\"precision\":%d",
         unsigned{h.stratum}, int{h.poll}, int{h.precision});
  append_short(out, "root_delay", h.root_delay);
  append_short(out, "root_dispersion", h.root_dispersion);
  append(out, ",\"refid\":{\"hex\":\"0x%08" PRIx32 "\"", h.reference_id);
  const wire::KissCode kiss = h.kiss();
  if (h.stratum <= 1 || kiss != wire::KissCode::kNone) {
    std::string ascii;
    for (int shift = 24; shift >= 0; shift -= 8) {
      ascii += static_cast<char>((h.reference_id >> shift) & 0xff);
    }
    while (!ascii.empty() && ascii.back() == '\0') ascii.pop_back();
    out += ",\"ascii\":" + quote(ascii);
  }
  out += '}';
  if (kiss != wire::KissCode::kNone) {
    out += ",\"kiss\":" + quote(kiss == wire::KissCode::kUnknown ? "unknown" : to_string(kiss));
  }
  append_timestamp(out, "reference", h.reference);
  append_timestamp(out, "origin", h.origin);
  append_timestamp(out, "receive", h.receive);
  append_timestamp(out, "transmit", h.transmit);
  out += ",\"extensions\":[";
  for (size_t i = 0; i < p.extension_count; ++i) {
    append(out, "%s{\"type\":%u,\"length\":%u}", i == 0 ? "" : ",", unsigned{p.extensions[i].type},
           unsigned{p.extensions[i].length});
  }
  out += ']';
  if (p.has_mac) {
    append(out, ",\"mac\":{\"key_id\":%" PRIu32 ",\"digest_length\":%zu}", p.mac.key_id,
           p.mac.digest.size());
  }
  out += '}';
}

}  // namespace

std::string format_ip(const IpAddress& address) {
  if (address.version != IpVersion::kV4 && address.version != IpVersion::kV6) return {};
  return l3::to_string(address);
}

std::string frame_to_json(uint64_t frame_number, UnixNanos capture_time, size_t frame_length,
                          const DecodedFrame& f) {
  std::string out;
  append(out, "{\"frame\":%" PRIu64 ",\"time\":", frame_number);
  out += quote(format_utc(capture_time));
  append(out, ",\"length\":%zu", frame_length);
  if (f.vlan_count > 0) {
    out += ",\"vlans\":[";
    for (size_t i = 0; i < f.vlan_count; ++i) {
      append(out, "%s%u", i == 0 ? "" : ",", unsigned{f.vlans[i].vid});
    }
    out += ']';
  }
  if (f.is_arp) {
    append(out, ",\"arp\":{\"operation\":%u,\"sender\":", static_cast<unsigned>(f.arp.operation));
    out += quote(format_ip(IpAddress::from(f.arp.sender_ip))) +
           ",\"target\":" + quote(format_ip(IpAddress::from(f.arp.target_ip))) + "}";
  }
  if (f.tunneled) {
    out += ",\"outer_src\":" + quote(format_ip(f.outer_src_ip)) +
           ",\"outer_dst\":" + quote(format_ip(f.outer_dst_ip));
  }
  if (f.src_ip.version != IpVersion::kNone) {
    out += ",\"src\":" + quote(format_ip(f.src_ip)) + ",\"dst\":" + quote(format_ip(f.dst_ip));
    append(out, ",\"protocol\":%u", unsigned{f.ip_protocol});
  }
  if (f.ip_protocol == wire::kIpProtoUdp && f.l4.size() >= 8) {
    append(out, ",\"src_port\":%u,\"dst_port\":%u", unsigned{f.src_port}, unsigned{f.dst_port});
  }
  // On NTP errors the header is shown only when it was read in full (trailer errors).
  if (f.is_ntp && (f.error == wire::DecodeError::kOk || f.ntp.is_time_packet)) {
    append_ntp(out, f.ntp);
  }
  if (f.error != wire::DecodeError::kOk) out += ",\"error\":" + quote(to_string(f.error));
  out += '}';
  return out;
}

}  // namespace wiretime::pcap

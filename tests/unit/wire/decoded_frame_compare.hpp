// Test helper: compares two DecodedFrames in exactly the fields the validity contract of
// frame_decoder.hpp says are valid (the common fields always, the layer records only under
// their flag), so a record reused across decodes can be checked against a fresh decode.
// Spans are compared by position and size: both records must come from the same input buffer.
#pragma once

#include <span>
#include <string>

#include "dataplane/wire/frame_decoder.hpp"

namespace wiretime::wire::test {

namespace detail {

template <typename T>
bool same_span(std::span<const T> a, std::span<const T> b) {
  return a.data() == b.data() && a.size() == b.size();
}

inline std::string ntp_difference(const NtpPacket& a, const NtpPacket& b) {
  const NtpHeader& x = a.header;
  const NtpHeader& y = b.header;
  if (x.leap != y.leap) return "ntp.header.leap";
  if (x.version != y.version) return "ntp.header.version";
  if (x.mode != y.mode) return "ntp.header.mode";
  if (x.stratum != y.stratum) return "ntp.header.stratum";
  if (x.poll != y.poll) return "ntp.header.poll";
  if (x.precision != y.precision) return "ntp.header.precision";
  if (x.root_delay.raw() != y.root_delay.raw()) return "ntp.header.root_delay";
  if (x.root_dispersion.raw() != y.root_dispersion.raw()) return "ntp.header.root_dispersion";
  if (x.reference_id != y.reference_id) return "ntp.header.reference_id";
  if (x.reference.raw() != y.reference.raw()) return "ntp.header.reference";
  if (x.origin.raw() != y.origin.raw()) return "ntp.header.origin";
  if (x.receive.raw() != y.receive.raw()) return "ntp.header.receive";
  if (x.transmit.raw() != y.transmit.raw()) return "ntp.header.transmit";
  if (a.is_time_packet != b.is_time_packet) return "ntp.is_time_packet";
  if (a.extension_count != b.extension_count) return "ntp.extension_count";
  for (size_t i = 0; i < a.extension_count && i < kMaxExtensionFields; ++i) {
    const NtpExtensionField& e = a.extensions[i];
    const NtpExtensionField& f = b.extensions[i];
    if (e.type != f.type || e.length != f.length || !same_span(e.value, f.value)) {
      return "ntp.extensions[" + std::to_string(i) + "]";
    }
  }
  if (a.has_mac != b.has_mac) return "ntp.has_mac";
  if (a.has_mac && (a.mac.key_id != b.mac.key_id || !same_span(a.mac.digest, b.mac.digest))) {
    return "ntp.mac";
  }
  return {};
}

}  // namespace detail

// Name of the first valid field that differs, or an empty string when the records agree.
inline std::string first_valid_difference(const DecodedFrame& a, const DecodedFrame& b) {
  if (a.error != b.error) return "error";
  if (a.dst_mac != b.dst_mac) return "dst_mac";
  if (a.src_mac != b.src_mac) return "src_mac";
  if (a.vlan_count != b.vlan_count) return "vlan_count";
  for (size_t i = 0; i < a.vlan_count && i < kMaxVlanTags; ++i) {
    const VlanTag& s = a.vlans[i];
    const VlanTag& t = b.vlans[i];
    if (s.tpid != t.tpid || s.pcp != t.pcp || s.dei != t.dei || s.vid != t.vid) {
      return "vlans[" + std::to_string(i) + "]";
    }
  }
  if (a.ethertype != b.ethertype) return "ethertype";
  if (a.is_arp != b.is_arp) return "is_arp";
  if (a.is_arp) {
    if (a.arp.operation != b.arp.operation) return "arp.operation";
    if (a.arp.sender_mac != b.arp.sender_mac) return "arp.sender_mac";
    if (a.arp.sender_ip != b.arp.sender_ip) return "arp.sender_ip";
    if (a.arp.target_mac != b.arp.target_mac) return "arp.target_mac";
    if (a.arp.target_ip != b.arp.target_ip) return "arp.target_ip";
  }
  if (a.src_ip != b.src_ip) return "src_ip";
  if (a.dst_ip != b.dst_ip) return "dst_ip";
  if (a.ip_protocol != b.ip_protocol) return "ip_protocol";
  if (a.ttl != b.ttl) return "ttl";
  if (a.tos != b.tos) return "tos";
  if (a.flow_label != b.flow_label) return "flow_label";
  if (a.tunneled != b.tunneled) return "tunneled";
  if (a.tunneled) {
    if (a.outer_src_ip != b.outer_src_ip) return "outer_src_ip";
    if (a.outer_dst_ip != b.outer_dst_ip) return "outer_dst_ip";
  }
  if (a.l3_offset != b.l3_offset) return "l3_offset";
  if (a.l4_offset != b.l4_offset) return "l4_offset";
  if (!detail::same_span(a.l4, b.l4)) return "l4";
  if (a.src_port != b.src_port) return "src_port";
  if (a.dst_port != b.dst_port) return "dst_port";
  if (!detail::same_span(a.udp_payload, b.udp_payload)) return "udp_payload";
  if (a.is_ntp != b.is_ntp) return "is_ntp";
  if (a.is_ntp) return detail::ntp_difference(a.ntp, b.ntp);
  return {};
}

}  // namespace wiretime::wire::test

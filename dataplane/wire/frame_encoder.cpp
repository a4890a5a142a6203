#include "dataplane/wire/frame_encoder.hpp"

#include <algorithm>
#include <type_traits>

#include "dataplane/wire/byte_order.hpp"
#include "dataplane/wire/checksum.hpp"

namespace wiretime::wire {
namespace {

constexpr size_t kMaxIpv4Total = 0xffff;

size_t ethernet_size(const EthernetSpec& eth) {
  return kEthernetHeaderSize + (eth.has_vlan ? kVlanTagSize : 0);
}

// Caller has checked that `out` holds ethernet_size(eth) bytes.
size_t write_ethernet(uint8_t* p, const EthernetSpec& eth, uint16_t ethertype) {
  std::copy(eth.dst.bytes.begin(), eth.dst.bytes.end(), p);
  std::copy(eth.src.bytes.begin(), eth.src.bytes.end(), p + 6);
  size_t offset = 12;
  if (eth.has_vlan) {
    store_be16(p + offset, kEthertypeVlan);
    store_be16(p + offset + 2, eth.vlan_tci);
    offset += kVlanTagSize;
  }
  store_be16(p + offset, ethertype);
  return offset + 2;
}

// Zero-pads a frame to the Ethernet minimum; the pad is not part of the IP packet.
size_t pad(std::span<uint8_t> out, size_t size) {
  if (size >= kMinEthernetFrameSize) return size;
  if (out.size() < kMinEthernetFrameSize) return 0;
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(size),
            out.begin() + static_cast<std::ptrdiff_t>(kMinEthernetFrameSize), uint8_t{0});
  return kMinEthernetFrameSize;
}

// Writes Ethernet, IPv4 and UDP headers around a payload already at
// udp_payload_offset(spec.eth, kV4), and fills both checksums.
size_t finish_ipv4_udp(std::span<uint8_t> out, const Ipv4UdpSpec& spec, size_t payload_len) {
  const size_t ip_offset = ethernet_size(spec.eth);
  const size_t udp_len = kUdpHeaderSize + payload_len;
  const size_t ip_len = kIpv4HeaderSize + udp_len;
  if (ip_len > kMaxIpv4Total) return 0;
  uint8_t* p = out.data();
  write_ethernet(p, spec.eth, kEthertypeIpv4);

  uint8_t* ip = p + ip_offset;
  ip[0] = 0x45;
  ip[1] = spec.tos;
  store_be16(ip + 2, static_cast<uint16_t>(ip_len));
  store_be16(ip + 4, spec.identification);
  store_be16(ip + 6, spec.dont_fragment ? 0x4000 : 0);
  ip[8] = spec.ttl;
  ip[9] = kIpProtoUdp;
  store_be16(ip + 10, 0);
  std::copy(spec.src_ip.bytes.begin(), spec.src_ip.bytes.end(), ip + 12);
  std::copy(spec.dst_ip.bytes.begin(), spec.dst_ip.bytes.end(), ip + 16);
  store_be16(ip + 10, internet_checksum({ip, kIpv4HeaderSize}));

  uint8_t* udp = ip + kIpv4HeaderSize;
  store_be16(udp, spec.src_port);
  store_be16(udp + 2, spec.dst_port);
  store_be16(udp + 4, static_cast<uint16_t>(udp_len));
  store_be16(udp + 6, 0);
  store_be16(udp + 6, udp_checksum_ipv4(spec.src_ip, spec.dst_ip, {udp, udp_len}));
  return pad(out, ip_offset + ip_len);
}

size_t finish_ipv6_udp(std::span<uint8_t> out, const Ipv6UdpSpec& spec, size_t payload_len) {
  const size_t ip_offset = ethernet_size(spec.eth);
  const size_t udp_len = kUdpHeaderSize + payload_len;
  if (udp_len > 0xffff) return 0;  // no jumbograms
  uint8_t* p = out.data();
  write_ethernet(p, spec.eth, kEthertypeIpv6);

  uint8_t* ip = p + ip_offset;
  store_be32(
      ip, (uint32_t{6} << 28) | (uint32_t{spec.traffic_class} << 20) | (spec.flow_label & 0xfffff));
  store_be16(ip + 4, static_cast<uint16_t>(udp_len));
  ip[6] = kIpProtoUdp;
  ip[7] = spec.hop_limit;
  std::copy(spec.src_ip.bytes.begin(), spec.src_ip.bytes.end(), ip + 8);
  std::copy(spec.dst_ip.bytes.begin(), spec.dst_ip.bytes.end(), ip + 24);

  uint8_t* udp = ip + kIpv6HeaderSize;
  store_be16(udp, spec.src_port);
  store_be16(udp + 2, spec.dst_port);
  store_be16(udp + 4, static_cast<uint16_t>(udp_len));
  store_be16(udp + 6, 0);
  store_be16(udp + 6, udp_checksum_ipv6(spec.src_ip, spec.dst_ip, {udp, udp_len}));
  return pad(out, ip_offset + kIpv6HeaderSize + udp_len);
}

template <typename Spec>
size_t encode_udp(std::span<uint8_t> out, const Spec& spec, IpVersion version,
                  std::span<const uint8_t> payload) {
  const size_t offset = udp_payload_offset(spec.eth, version);
  if (out.size() < offset + payload.size()) return 0;
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(offset));
  if constexpr (std::is_same_v<Spec, Ipv4UdpSpec>) {
    return finish_ipv4_udp(out, spec, payload.size());
  } else {
    return finish_ipv6_udp(out, spec, payload.size());
  }
}

template <typename Spec>
size_t encode_ntp_frame(std::span<uint8_t> out, const Spec& spec, IpVersion version,
                        const NtpHeader& header, const NtpMac* mac) {
  const size_t offset = udp_payload_offset(spec.eth, version);
  if (out.size() < offset) return 0;
  const size_t ntp_len = encode_ntp(out.subspan(offset), header, mac);
  if (ntp_len == 0) return 0;
  if constexpr (std::is_same_v<Spec, Ipv4UdpSpec>) {
    return finish_ipv4_udp(out, spec, ntp_len);
  } else {
    return finish_ipv6_udp(out, spec, ntp_len);
  }
}

// Ethernet header answering `request`: addresses swapped, the request's VLAN tags kept.
// Returns the L3 offset, or 0 if `out` cannot hold it.
size_t write_reply_ethernet(std::span<uint8_t> out, const DecodedFrame& request,
                            uint16_t ethertype) {
  const size_t size = kEthernetHeaderSize + request.vlan_count * kVlanTagSize;
  if (out.size() < size) return 0;
  uint8_t* p = out.data();
  std::copy(request.src_mac.bytes.begin(), request.src_mac.bytes.end(), p);
  std::copy(request.dst_mac.bytes.begin(), request.dst_mac.bytes.end(), p + 6);
  size_t offset = 12;
  for (const VlanTag& tag : request.vlan_tags()) {
    store_be16(p + offset, tag.tpid);
    store_be16(p + offset + 2, tag.tci());
    offset += kVlanTagSize;
  }
  store_be16(p + offset, ethertype);
  return offset + 2;
}

constexpr uint8_t kIcmpEchoRequest = 8;
constexpr uint8_t kIcmpEchoReply = 0;
constexpr uint8_t kIcmpv6EchoRequest = 128;
constexpr uint8_t kIcmpv6EchoReply = 129;
constexpr size_t kIcmpEchoHeaderSize = 8;

}  // namespace

size_t encode_icmp_echo_reply(std::span<uint8_t> out, const DecodedFrame& request, uint8_t ttl) {
  const std::span<const uint8_t> icmp = request.l4;
  if (request.error != DecodeError::kNotUdp || !request.is_ipv4() || request.tunneled ||
      request.ip_protocol != kIpProtoIcmp || icmp.size() < kIcmpEchoHeaderSize ||
      icmp[0] != kIcmpEchoRequest || icmp[1] != 0 || internet_checksum(icmp) != 0) {
    return 0;
  }
  const size_t ip_offset = write_reply_ethernet(out, request, kEthertypeIpv4);
  const size_t ip_len = kIpv4HeaderSize + icmp.size();
  if (ip_offset == 0 || out.size() < ip_offset + ip_len) return 0;
  uint8_t* ip = out.data() + ip_offset;
  ip[0] = 0x45;
  ip[1] = request.tos;
  store_be16(ip + 2, static_cast<uint16_t>(ip_len));
  store_be16(ip + 4, 0);
  store_be16(ip + 6, 0x4000);
  ip[8] = ttl;
  ip[9] = kIpProtoIcmp;
  store_be16(ip + 10, 0);
  std::copy(request.dst_ip.v4.bytes.begin(), request.dst_ip.v4.bytes.end(), ip + 12);
  std::copy(request.src_ip.v4.bytes.begin(), request.src_ip.v4.bytes.end(), ip + 16);
  store_be16(ip + 10, internet_checksum({ip, kIpv4HeaderSize}));
  uint8_t* reply = ip + kIpv4HeaderSize;
  std::copy(icmp.begin(), icmp.end(), reply);
  reply[0] = kIcmpEchoReply;
  store_be16(reply + 2, 0);
  store_be16(reply + 2, internet_checksum({reply, icmp.size()}));
  return pad(out, ip_offset + ip_len);
}

size_t encode_icmpv6_echo_reply(std::span<uint8_t> out, const DecodedFrame& request,
                                uint8_t hop_limit) {
  const std::span<const uint8_t> icmp = request.l4;
  if (request.error != DecodeError::kNotUdp || !request.is_ipv6() || request.tunneled ||
      request.ip_protocol != kIpProtoIcmpv6 || icmp.size() < kIcmpEchoHeaderSize ||
      icmp[0] != kIcmpv6EchoRequest || icmp[1] != 0 ||
      icmpv6_checksum(request.src_ip.v6, request.dst_ip.v6, icmp) != 0) {
    return 0;
  }
  const size_t ip_offset = write_reply_ethernet(out, request, kEthertypeIpv6);
  if (ip_offset == 0 || out.size() < ip_offset + kIpv6HeaderSize + icmp.size()) return 0;
  uint8_t* ip = out.data() + ip_offset;
  // Extension headers of the request are not echoed: the reply is a plain IPv6 packet.
  store_be32(ip, (uint32_t{6} << 28) | (uint32_t{request.tos} << 20) | request.flow_label);
  store_be16(ip + 4, static_cast<uint16_t>(icmp.size()));
  ip[6] = kIpProtoIcmpv6;
  ip[7] = hop_limit;
  std::copy(request.dst_ip.v6.bytes.begin(), request.dst_ip.v6.bytes.end(), ip + 8);
  std::copy(request.src_ip.v6.bytes.begin(), request.src_ip.v6.bytes.end(), ip + 24);
  uint8_t* reply = ip + kIpv6HeaderSize;
  std::copy(icmp.begin(), icmp.end(), reply);
  reply[0] = kIcmpv6EchoReply;
  store_be16(reply + 2, 0);
  store_be16(reply + 2,
             icmpv6_checksum(request.dst_ip.v6, request.src_ip.v6, {reply, icmp.size()}));
  return pad(out, ip_offset + kIpv6HeaderSize + icmp.size());
}

size_t encode_arp(std::span<uint8_t> out, const EthernetSpec& eth, const ArpPacket& arp) {
  const size_t size = ethernet_size(eth) + kArpPayloadSize;
  if (out.size() < std::max(size, kMinEthernetFrameSize)) return 0;
  uint8_t* p = out.data() + write_ethernet(out.data(), eth, kEthertypeArp);
  store_be16(p, 1);  // Ethernet
  store_be16(p + 2, kEthertypeIpv4);
  p[4] = 6;
  p[5] = 4;
  store_be16(p + 6, static_cast<uint16_t>(arp.operation));
  std::copy(arp.sender_mac.bytes.begin(), arp.sender_mac.bytes.end(), p + 8);
  std::copy(arp.sender_ip.bytes.begin(), arp.sender_ip.bytes.end(), p + 14);
  std::copy(arp.target_mac.bytes.begin(), arp.target_mac.bytes.end(), p + 18);
  std::copy(arp.target_ip.bytes.begin(), arp.target_ip.bytes.end(), p + 24);
  return pad(out, size);
}

size_t encode_arp_request(std::span<uint8_t> out, const EthernetSpec& eth, MacAddress own_mac,
                          Ipv4Address own_ip, Ipv4Address target_ip) {
  EthernetSpec e = eth;
  e.dst = MacAddress::broadcast();
  e.src = own_mac;
  return encode_arp(out, e, {ArpOperation::kRequest, own_mac, own_ip, MacAddress{}, target_ip});
}

size_t encode_arp_reply(std::span<uint8_t> out, const EthernetSpec& eth, const ArpPacket& request,
                        MacAddress own_mac) {
  EthernetSpec e = eth;
  e.dst = request.sender_mac;
  e.src = own_mac;
  return encode_arp(
      out, e,
      {ArpOperation::kReply, own_mac, request.target_ip, request.sender_mac, request.sender_ip});
}

size_t encode_gratuitous_arp(std::span<uint8_t> out, const EthernetSpec& eth, MacAddress own_mac,
                             Ipv4Address own_ip) {
  return encode_arp_request(out, eth, own_mac, own_ip, own_ip);
}

size_t encode_ipv4_udp(std::span<uint8_t> out, const Ipv4UdpSpec& spec,
                       std::span<const uint8_t> payload) {
  return encode_udp(out, spec, IpVersion::kV4, payload);
}

size_t encode_ipv6_udp(std::span<uint8_t> out, const Ipv6UdpSpec& spec,
                       std::span<const uint8_t> payload) {
  return encode_udp(out, spec, IpVersion::kV6, payload);
}

size_t encode_ipv4_ntp(std::span<uint8_t> out, const Ipv4UdpSpec& spec, const NtpHeader& header,
                       const NtpMac* mac) {
  return encode_ntp_frame(out, spec, IpVersion::kV4, header, mac);
}

size_t encode_ipv6_ntp(std::span<uint8_t> out, const Ipv6UdpSpec& spec, const NtpHeader& header,
                       const NtpMac* mac) {
  return encode_ntp_frame(out, spec, IpVersion::kV6, header, mac);
}

size_t encode_ntp_reply_in_place(std::span<uint8_t> frame, const DecodedFrame& request,
                                 const NtpHeader& header, const NtpMac* mac) {
  const bool v4 = request.is_ipv4();
  const size_t ip_header = v4 ? kIpv4HeaderSize : kIpv6HeaderSize;
  if (request.tunneled || request.vlan_count > 1 ||
      (request.vlan_count == 1 && request.vlans[0].tpid != kEthertypeVlan) ||
      request.l4_offset != request.l3_offset + ip_header ||
      request.l3_offset != kEthernetHeaderSize + request.vlan_count * kVlanTagSize) {
    return 0;
  }
  const size_t ntp_offset = request.l4_offset + kUdpHeaderSize;
  if (frame.size() < ntp_offset) return 0;
  const size_t ntp_len = encode_ntp(frame.subspan(ntp_offset), header, mac);
  if (ntp_len == 0) return 0;
  uint8_t* p = frame.data();
  std::copy(request.src_mac.bytes.begin(), request.src_mac.bytes.end(), p);
  std::copy(request.dst_mac.bytes.begin(), request.dst_mac.bytes.end(), p + 6);
  uint8_t* ip = p + request.l3_offset;
  uint8_t* udp = p + request.l4_offset;
  const size_t udp_len = kUdpHeaderSize + ntp_len;
  // The pseudo-header's addresses sum the same in either order.
  uint64_t sum = uint64_t{kIpProtoUdp} + 2 * udp_len + request.src_port + request.dst_port;
  if (v4) {
    const size_t ip_len = kIpv4HeaderSize + udp_len;
    store_be16(ip + 2, static_cast<uint16_t>(ip_len));
    store_be32(ip + 4, 0x00004000u);  // identification 0, DF
    ip[8] = 64;
    store_be16(ip + 10, 0);
    std::copy(request.dst_ip.v4.bytes.begin(), request.dst_ip.v4.bytes.end(), ip + 12);
    std::copy(request.src_ip.v4.bytes.begin(), request.src_ip.v4.bytes.end(), ip + 16);
    store_be16(ip + 10, internet_checksum({ip, kIpv4HeaderSize}));
    sum += uint64_t{load_be32(ip + 12)} + load_be32(ip + 16);
  } else {
    store_be32(ip, (uint32_t{6} << 28) | (uint32_t{request.tos} << 20));
    store_be16(ip + 4, static_cast<uint16_t>(udp_len));
    ip[7] = 64;
    std::copy(request.dst_ip.v6.bytes.begin(), request.dst_ip.v6.bytes.end(), ip + 8);
    std::copy(request.src_ip.v6.bytes.begin(), request.src_ip.v6.bytes.end(), ip + 24);
    for (size_t i = 8; i < 40; i += 4) sum += load_be32(ip + i);
  }
  store_be16(udp, request.dst_port);
  store_be16(udp + 2, request.src_port);
  store_be16(udp + 4, static_cast<uint16_t>(udp_len));
  sum = (sum & 0xffffffffu) + (sum >> 32);
  const uint16_t c = checksum_finish(checksum_accumulate(
      {p + ntp_offset, ntp_len}, static_cast<uint32_t>((sum & 0xffff) + (sum >> 16))));
  store_be16(udp + 6, c == 0 ? 0xffff : c);  // RFC 768: a computed zero is sent as all ones
  return pad(frame, ntp_offset + ntp_len);
}

bool restamp_ntp_transmit(std::span<uint8_t> frame, size_t udp_offset, NtpTimestamp transmit) {
  if (frame.size() < udp_offset + kUdpHeaderSize + kNtpHeaderSize) return false;
  uint8_t* udp = frame.data() + udp_offset;
  uint8_t* field = udp + kUdpHeaderSize + kNtpTransmitOffset;
  uint16_t checksum = load_be16(udp + 6);
  uint8_t fresh[8];
  store_be64(fresh, transmit.raw());
  if (checksum != 0) {  // zero means "no checksum" (IPv4) and must stay so
    // RFC 1624 eqn. 3 over the four words at once: HC' = ~(~HC + sum(~m) + sum(m')), one fold
    // instead of four checksum_update16 calls (they showed in the lcore's profile).
    uint32_t sum = static_cast<uint16_t>(~checksum);
    for (size_t i = 0; i < 8; i += 2) {
      sum += static_cast<uint16_t>(~load_be16(field + i)) + uint32_t{load_be16(fresh + i)};
    }
    checksum = checksum_finish(sum);
    store_be16(udp + 6, checksum == 0 ? 0xffff : checksum);
  }
  std::copy(fresh, fresh + 8, field);
  return true;
}

size_t encode_ntp_reply(std::span<uint8_t> out, const DecodedFrame& request,
                        const NtpHeader& header, const NtpMac* mac) {
  EthernetSpec eth;
  eth.dst = request.src_mac;
  eth.src = request.dst_mac;
  eth.has_vlan = request.vlan_count == 1;
  eth.vlan_tci = eth.has_vlan ? request.vlans[0].tci() : 0;
  if (request.is_ipv4()) {
    Ipv4UdpSpec spec;
    spec.eth = eth;
    spec.src_ip = request.dst_ip.v4;
    spec.dst_ip = request.src_ip.v4;
    spec.src_port = request.dst_port;
    spec.dst_port = request.src_port;
    spec.tos = request.tos;
    return encode_ipv4_ntp(out, spec, header, mac);
  }
  Ipv6UdpSpec spec;
  spec.eth = eth;
  spec.src_ip = request.dst_ip.v6;
  spec.dst_ip = request.src_ip.v6;
  spec.src_port = request.dst_port;
  spec.dst_port = request.src_port;
  spec.traffic_class = request.tos;
  return encode_ipv6_ntp(out, spec, header, mac);
}

}  // namespace wiretime::wire

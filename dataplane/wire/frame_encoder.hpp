// Builds complete frames in place in a TX buffer, with lengths and checksums filled in.
// Every encoder returns the frame length, or 0 when `out` is too small or a parameter is
// invalid; nothing is written past the returned length. Pure: no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::wire {

struct EthernetSpec {
  MacAddress dst;
  MacAddress src;
  bool has_vlan = false;  // one 802.1Q tag
  uint16_t vlan_tci = 0;  // PCP/DEI/VID as on the wire
};

struct Ipv4UdpSpec {
  EthernetSpec eth;
  Ipv4Address src_ip;
  Ipv4Address dst_ip;
  uint16_t src_port = kNtpPort;
  uint16_t dst_port = kNtpPort;
  uint8_t ttl = 64;
  uint8_t tos = 0;
  uint16_t identification = 0;
  bool dont_fragment = true;
};

struct Ipv6UdpSpec {
  EthernetSpec eth;
  Ipv6Address src_ip;
  Ipv6Address dst_ip;
  uint16_t src_port = kNtpPort;
  uint16_t dst_port = kNtpPort;
  uint8_t hop_limit = 64;
  uint8_t traffic_class = 0;
  uint32_t flow_label = 0;
};

// Offset of the UDP payload in a frame built from these specs (where the NTP header goes).
constexpr size_t udp_payload_offset(const EthernetSpec& eth, IpVersion version) {
  return kEthernetHeaderSize + (eth.has_vlan ? kVlanTagSize : 0) +
         (version == IpVersion::kV6 ? kIpv6HeaderSize : kIpv4HeaderSize) + kUdpHeaderSize;
}

// ARP over Ethernet (RFC 826), padded to the 60-byte minimum frame.
size_t encode_arp(std::span<uint8_t> out, const EthernetSpec& eth, const ArpPacket& arp);
// Who-has `target_ip`: broadcast, zero target MAC. Only the VLAN fields of `eth` are used.
size_t encode_arp_request(std::span<uint8_t> out, const EthernetSpec& eth, MacAddress own_mac,
                          Ipv4Address own_ip, Ipv4Address target_ip);
// Answer to `request` (which asked for our address): unicast to the requester. Only the VLAN
// fields of `eth` are used.
size_t encode_arp_reply(std::span<uint8_t> out, const EthernetSpec& eth, const ArpPacket& request,
                        MacAddress own_mac);
// Gratuitous ARP (RFC 5227 announcement): a broadcast request whose sender and target IP are
// both `own_ip`, zero target MAC. Only the VLAN fields of `eth` are used.
size_t encode_gratuitous_arp(std::span<uint8_t> out, const EthernetSpec& eth, MacAddress own_mac,
                             Ipv4Address own_ip);

// UDP datagrams with an arbitrary payload copied in.
size_t encode_ipv4_udp(std::span<uint8_t> out, const Ipv4UdpSpec& spec,
                       std::span<const uint8_t> payload);
size_t encode_ipv6_udp(std::span<uint8_t> out, const Ipv6UdpSpec& spec,
                       std::span<const uint8_t> payload);

// UDP datagrams carrying an NTP header (+ MAC), encoded directly into the frame.
size_t encode_ipv4_ntp(std::span<uint8_t> out, const Ipv4UdpSpec& spec, const NtpHeader& header,
                       const NtpMac* mac = nullptr);
size_t encode_ipv6_ntp(std::span<uint8_t> out, const Ipv6UdpSpec& spec, const NtpHeader& header,
                       const NtpMac* mac = nullptr);

// The NTP reply to a decoded UDP request, written over the request's own frame: MACs,
// addresses and ports swapped, the 802.1Q tag and the TOS/traffic class kept, TTL/hop limit
// 64, IPv4 identification 0 with DF, IPv6 flow label 0, lengths and both checksums filled:
// byte for byte what encode_ipv4_ntp/encode_ipv6_ntp build from the swapped fields, without
// re-encoding the headers that do not change (a swap leaves the pseudo-header's sum as it
// was). Handles the common shape only: untagged or one 0x8100 tag, IPv4 without options or
// IPv6 without extension headers, not tunneled. Returns the frame length, or 0 for any other
// shape or a frame too short: the caller then encodes the reply in full.
size_t encode_ntp_reply_in_place(std::span<uint8_t> frame, const DecodedFrame& request,
                                 const NtpHeader& header, const NtpMac* mac = nullptr);

// The same reply encoded in full into `out` (encode_ipv4_ntp/encode_ipv6_ntp from the request's
// swapped MACs, addresses and ports, its one 802.1Q tag and TOS/traffic class kept): for any
// shape the decoder takes. Returns the frame length (the UDP header then starts at
// udp_payload_offset(...) - kUdpHeaderSize of a spec with the request's tag), 0 if `out` is
// too small.
size_t encode_ntp_reply(std::span<uint8_t> out, const DecodedFrame& request,
                        const NtpHeader& header, const NtpMac* mac = nullptr);

// Echo replies (RFC 792 / RFC 4443 section 4.2) to a decoded echo request (`request.error` is
// kNotUdp, protocol ICMP/ICMPv6, type 8/128 with a valid checksum): same VLAN tags, MAC and
// IP addresses swapped, identifier, sequence and data copied. The caller must not answer
// requests sent to a multicast/broadcast address (the reply's source would be that address).
// `out` must not overlap the request frame.
// Returns 0 for anything else or if `out` is too small.
size_t encode_icmp_echo_reply(std::span<uint8_t> out, const DecodedFrame& request,
                              uint8_t ttl = 64);
size_t encode_icmpv6_echo_reply(std::span<uint8_t> out, const DecodedFrame& request,
                                uint8_t hop_limit = 64);

// Rewrites the NTP transmit timestamp of a frame built by encode_ipv4_ntp/encode_ipv6_ntp
// (or decoded by decode_frame) and patches the UDP checksum incrementally (RFC 1624), so
// T3 can be taken as late as possible. `udp_offset` is the UDP header's offset in `frame`.
// A zero UDP checksum over IPv4 stays zero. Returns false if the frame is too short.
bool restamp_ntp_transmit(std::span<uint8_t> frame, size_t udp_offset, NtpTimestamp transmit);

}  // namespace wiretime::wire

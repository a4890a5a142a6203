// Fixed-size records exchanged between the control thread and a dataplane lcore over SPSC
// rings. Plain values (no pointers into mbufs), so a record outlives the packet it came from.
// Pure: no DPDK types, so control code and its tests can use them.
#pragma once

#include <cstdint>
#include <type_traits>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::dpdk {

// An interface index (l3::InterfaceIndex) meaning "the route decides".
inline constexpr uint16_t kAnyInterface = 0xffff;

// How a timestamp of a record was taken (its provenance, shown by `display` commands).
enum class StampSource : uint8_t {
  kTsc,     // software: the TSC read at the RX burst / right before the TX burst
  kNicTsc,  // hardware: the NIC's stamp, mapped onto the TSC by the NIC-clock regression
  kNicUtc,  // hardware: the NIC's stamp is already UTC (net_pcap capture times): see utc_ns
};

// Control -> dataplane: something to send.
//
// Two ways to address an NTP request:
//  - routed (Dataplane facade): `server` set; the dataplane looks the route up in `vrf`
//    (or the VRF of `interface` when that is given), picks the source address, resolves the
//    next hop's MAC (ARP or ND, holding the request meanwhile) and sends. `dst_mac` stays zero.
//  - legacy (single-port DataplaneLcore): `target_ip` and `dst_mac` set by control.
struct TxCommand {
  enum class Kind : uint8_t { kGratuitousArp, kArpRequest, kNtpRequest };
  Kind kind = Kind::kArpRequest;
  int8_t poll = 0;              // NTP: our poll exponent, written into the request
  uint16_t src_port = 0;        // NTP: our UDP port
  uint16_t dst_port = 0;        // NTP: the server's UDP port
  wire::Ipv4Address target_ip;  // legacy: ARP: whom to resolve; NTP: the server (IPv4)
  wire::MacAddress dst_mac;     // legacy NTP: next hop; zero: the dataplane resolves it
  NtpTimestamp cookie;          // NTP: goes into the transmit field instead of T1
  // Routed commands (additions; defaults keep legacy commands meaning what they meant).
  uint16_t interface = kAnyInterface;  // source interface, or kAnyInterface
  uint16_t vrf = 0;                    // l3::VrfId, used when interface == kAnyInterface
  wire::IpAddress server;              // the server, IPv4 or IPv6; kNone: legacy target_ip
};

// Dataplane -> control: what happened.
struct DataplaneEvent {
  enum class Kind : uint8_t {
    kNeighbor,        // legacy: an ARP packet told us ip -> mac
    kNtpTransmitted,  // a request left: cookie and T1 ticks
    kNtpReply,        // an NTP server-mode packet to our client port
    // Additions of the routed dataplane:
    kNtpTransmitStamp,  // hardware TX timestamp of a request sent earlier (cookie, ticks)
    kNtpNotSent,        // a routed request was dropped (no route, next hop unresolved): cookie
  };
  // Legacy provenance of T4 (the single-port lcore): T4 is the TSC at the RX burst; the raw NIC
  // stamp, when the PMD provides one, is carried along for comparison. The routed dataplane
  // fills `stamp` (below) and sets this to kTscWithHardware whenever a NIC stamp was present.
  enum class RxStamp : uint8_t { kTsc, kTscWithHardware };

  Kind kind = Kind::kNeighbor;
  RxStamp rx_stamp = RxStamp::kTsc;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  wire::Ipv4Address ip;          // neighbor: sender IP; reply: source IP
  wire::MacAddress mac;          // neighbor: sender MAC
  uint64_t ticks = 0;            // T1 (transmitted, transmit stamp) or T4 (reply), TSC ticks
  uint64_t hw_rx_timestamp = 0;  // raw NIC value when rx_stamp says so
  NtpTimestamp cookie;           // transmitted, transmit stamp, not sent: the cookie
  wire::NtpHeader ntp;           // reply: the decoded header
  // Additions of the routed dataplane (all kinds): where it happened, and the full addresses.
  uint16_t interface = 0;  // l3::InterfaceIndex the frame arrived on / the request left from
  uint16_t vrf = 0;        // l3::VrfId of that interface: control demultiplexes servers by it
  StampSource stamp = StampSource::kTsc;  // provenance of `ticks` (T1 or T4)
  wire::IpAddress src;  // reply: the server's address (IPv4 or IPv6); transmitted: our source
  wire::IpAddress dst;  // reply: our address it was sent to; transmitted: the server
  int64_t utc_ns = 0;   // stamp == kNicUtc: the NIC's UTC time of the frame, Unix ns
};

// rte_ring element sizes must be multiples of 4 bytes; records are copied by value.
static_assert(sizeof(TxCommand) % 4 == 0 && std::is_trivially_copyable_v<TxCommand>);
static_assert(sizeof(DataplaneEvent) % 4 == 0 && std::is_trivially_copyable_v<DataplaneEvent>);

}  // namespace wiretime::dpdk

// Fixed-size records exchanged between the control thread and a dataplane lcore over SPSC
// rings. Plain values (no pointers into mbufs), so a record outlives the packet it came from.
// Pure: no DPDK types, so control code and its tests can use them.
#pragma once

#include <array>
#include <cstddef>
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
  kKernel,  // software: the kernel's stamp of the frame (a packet-socket tap), on the TSC scale
};

// Longest MAC digest a record carries: every digest the wire accepts. NTPv4 truncates to 20
// bytes, but an NTPv3 association keeps the whole digest (SHA256 32, SHA512 64, as chronyd
// sends them), and a shorter record left such requests unsent and such replies unverifiable.
inline constexpr size_t kRecordMacSize = wire::kMaxMacDigestSize;

// Control -> dataplane: something to send, routed by the dataplane: it looks the route to
// `server` up in `vrf` (or in the VRF of `interface` when that is given), picks the source
// address, resolves the next hop's MAC (ARP or ND, holding a request meanwhile) and sends.
struct TxCommand {
  enum class Kind : uint8_t {
    kGratuitousArp,  // announce every address (gratuitous ARP, unsolicited NA)
    kArpRequest,     // resolve the next hop towards `server` ahead of need (ARP or ND)
    kNtpRequest,     // a client request carrying `cookie` in its transmit field
  };
  Kind kind = Kind::kArpRequest;
  int8_t poll = 0;                     // NTP: our poll exponent, written into the request
  uint8_t version = 4;                 // NTP: the request's version
  uint16_t src_port = 0;               // NTP: our UDP port
  uint16_t dst_port = 0;               // NTP: the server's UDP port
  NtpTimestamp cookie;                 // NTP: goes into the transmit field instead of T1
  NtpTimestamp origin;                 // NTP interleaved: the origin field (zero: basic)
  NtpTimestamp receive;                // NTP interleaved: the receive field, our nonce
  uint16_t interface = kAnyInterface;  // source interface, or kAnyInterface
  uint16_t vrf = 0;                    // l3::VrfId, used when interface == kAnyInterface
  wire::IpAddress server;              // the server (or the address to resolve), IPv4 or IPv6
  // NTP: the request's MAC, signed by control over the header ntp_request_header() gives
  // (mac_length 0: none).
  uint32_t mac_key_id = 0;
  uint8_t mac_length = 0;
  std::array<uint8_t, kRecordMacSize> mac{};
};

// The 48-byte header of the request `command` describes (wire::client_request_header, the one
// builder), so control can sign exactly what the lcore will write.
inline wire::NtpHeader ntp_request_header(const TxCommand& command) {
  return wire::client_request_header(command.version, command.poll, command.cookie, command.origin,
                                     command.receive);
}

// Dataplane -> control: what happened.
struct DataplaneEvent {
  enum class Kind : uint8_t {
    kNtpTransmitted,    // a request left: cookie and T1 ticks
    kNtpReply,          // an NTP server-mode packet to our client port
    kNtpTransmitStamp,  // hardware TX timestamp of a request sent earlier (cookie, ticks)
    kNtpNotSent,        // a request was dropped (no route, next hop unresolved): cookie
  };

  Kind kind = Kind::kNtpReply;
  StampSource stamp = StampSource::kTsc;  // provenance of `ticks` (T1 or T4)
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint16_t interface = 0;  // l3::InterfaceIndex the frame arrived on / the request left from
  uint16_t vrf = 0;        // l3::VrfId of that interface: control demultiplexes servers by it
  uint64_t ticks = 0;      // T1 (transmitted, transmit stamp) or T4 (reply), TSC ticks
  int64_t utc_ns = 0;      // stamp == kNicUtc: the NIC's UTC time of the frame, Unix ns
  NtpTimestamp cookie;     // transmitted, transmit stamp, not sent: the cookie
  wire::NtpHeader ntp;     // reply: the decoded header
  wire::IpAddress src;     // reply: the server's address (IPv4 or IPv6); transmitted: our source
  wire::IpAddress dst;     // reply: our address it was sent to; transmitted: the server
  // Reply: its MAC trailer, for control to verify. has_mac with mac_length 0 is a crypto-NAK;
  // the wire refuses digests longer than kRecordMacSize, so the record holds any it decoded.
  // extension_fields: the reply had some (not covered here).
  bool has_mac = false;
  uint8_t mac_length = 0;
  uint8_t extension_fields = 0;
  uint32_t mac_key_id = 0;
  std::array<uint8_t, kRecordMacSize> mac{};
};

// Control -> dataplane: the true departure of a served reply, learnt after it left (the kernel's
// stamp of the frame, from a packet-socket tap on a net_af_packet port): the interleaved
// store's entry for the T2 it carried takes it, if still there.
struct ServedDeparture {
  NtpTimestamp receive;  // the reply's receive field (T2): the entry's key
  NtpTimestamp transmit;
};

// rte_ring element sizes must be multiples of 4 bytes; records are copied by value.
static_assert(sizeof(TxCommand) % 4 == 0 && std::is_trivially_copyable_v<TxCommand>);
static_assert(sizeof(DataplaneEvent) % 4 == 0 && std::is_trivially_copyable_v<DataplaneEvent>);
static_assert(sizeof(ServedDeparture) % 4 == 0 && std::is_trivially_copyable_v<ServedDeparture>);

}  // namespace wiretime::dpdk

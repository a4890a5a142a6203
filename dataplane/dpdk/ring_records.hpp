// Fixed-size records exchanged between the control thread and a dataplane lcore over SPSC
// rings. Plain values (no pointers into mbufs), so a record outlives the packet it came from.
// Pure: no DPDK types, so control code and its tests can use them.
#pragma once

#include <cstdint>
#include <type_traits>

#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::dpdk {

// Control -> dataplane: something to send.
struct TxCommand {
  enum class Kind : uint8_t { kGratuitousArp, kArpRequest, kNtpRequest };
  Kind kind = Kind::kArpRequest;
  int8_t poll = 0;              // NTP: our poll exponent, written into the request
  uint16_t src_port = 0;        // NTP: our UDP port
  uint16_t dst_port = 0;        // NTP: the server's UDP port
  wire::Ipv4Address target_ip;  // ARP: whom to resolve; NTP: the server
  wire::MacAddress dst_mac;     // NTP: next hop
  NtpTimestamp cookie;          // NTP: goes into the transmit field instead of T1
};

// Dataplane -> control: what happened.
struct DataplaneEvent {
  enum class Kind : uint8_t {
    kNeighbor,        // an ARP packet told us ip -> mac
    kNtpTransmitted,  // a request left: cookie and T1 ticks
    kNtpReply,        // an NTP server-mode packet to our client port
  };
  // Where T4 came from. T4 is always the TSC at the RX burst until a NIC clock model exists;
  // the NIC stamp, when the PMD provides one, is carried along for comparison.
  enum class RxStamp : uint8_t { kTsc, kTscWithHardware };

  Kind kind = Kind::kNeighbor;
  RxStamp rx_stamp = RxStamp::kTsc;
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  wire::Ipv4Address ip;          // neighbor: sender IP; reply: source IP
  wire::MacAddress mac;          // neighbor: sender MAC
  uint64_t ticks = 0;            // T1 (transmitted) or T4 (reply), TSC
  uint64_t hw_rx_timestamp = 0;  // raw NIC value when rx_stamp says so
  NtpTimestamp cookie;           // transmitted: the cookie sent
  wire::NtpHeader ntp;           // reply: the decoded header
};

// rte_ring element sizes must be multiples of 4 bytes; records are copied by value.
static_assert(sizeof(TxCommand) % 4 == 0 && std::is_trivially_copyable_v<TxCommand>);
static_assert(sizeof(DataplaneEvent) % 4 == 0 && std::is_trivially_copyable_v<DataplaneEvent>);

}  // namespace wiretime::dpdk

// The routed dataplane's per-frame decision, pure (no DPDK, no clock, no allocation): given a
// decoded frame and the port it arrived on, it finds the interface (port + VLAN), applies the
// L2/L3 filters and says what the lcore must do, counting every frame it ends itself. The lcore
// (dataplane/dpdk/dataplane_loop.cpp) then only carries the verdict out with mbufs and queues:
// answers are built by the wire encoders into a fresh mbuf, NTP requests go through the server
// stage (dataplane/server), server replies become an event for control.
//
// Counting: every received frame ends in exactly one counter (DataplaneCounters). The verdict
// says whether that counter is already taken (`counted`) or left to the caller, who alone knows
// whether the answer could be sent (echo replies), the event ring had room (NTP replies) or
// the server answered (requests).
#pragma once

#include <cstdint>

#include "dataplane/l3/interface_table.hpp"
#include "dataplane/l3/neighbor_cache.hpp"
#include "dataplane/rx/drop_reason.hpp"
#include "dataplane/rx/ring_records.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/neighbor_discovery.hpp"

namespace wiretime::rx {

enum class RxAction : uint8_t {
  kNone,                   // nothing to send: dropped or only learned (counted)
  kArpReply,               // answer the ARP request `frame.arp` from `itf` (counted)
  kIcmpEchoReply,          // IPv4 echo request: answer it (caller counts: answered / bad echo)
  kIcmpv6EchoReply,        // ICMPv6 echo request: answer it (caller counts)
  kNeighborAdvertisement,  // NS for our address: send `advert` (counted)
  kNtpToControl,           // NTP server-mode packet: event for control (caller counts)
  kServe,                  // NTP client-mode request: the server stage (caller counts)
};

// A neighbour to learn after the answer (if any) is sent: it will talk to us next (RFC 826).
struct LearnNeighbor {
  bool valid = false;
  wire::IpAddress ip;
  wire::MacAddress mac;
  l3::LearnKind kind = l3::LearnKind::kHeard;
  bool create = false;  // false: refresh an existing entry only (gratuitous ARP, unsolicited NA)
};

// The NA answering an NS (RFC 4861 section 7.2.4): to the solicitor (its link-layer address
// option, else the frame's source), or to all-nodes when it has no address yet (DAD).
struct Advertisement {
  wire::Ipv6Address target;  // ours, the NS's target: the NA's source and target
  wire::Ipv6Address to;
  wire::MacAddress to_mac;
  bool solicited = false;
};

struct RxVerdict {
  RxAction action = RxAction::kNone;
  const l3::Interface* itf = nullptr;  // set unless the frame found no interface
  LearnNeighbor learn;
  Advertisement advert;  // kNeighborAdvertisement
};

// Decides what to do with `frame`, decoded from a frame received on `port`. `nd` is scratch
// for ICMPv6 neighbour discovery (reused, so the call does not construct one per frame).
// Counts rx_frames, the interface's rx_frames and, for verdicts that end the frame here, its
// one outcome or drop reason.
RxVerdict classify(uint16_t port, const wire::DecodedFrame& frame,
                   const l3::InterfaceTable& interfaces, wire::NdMessage& nd,
                   dpdk::DataplaneCounters& counters);

// The event that hands an NTP server-mode packet to control (its timestamp still to be set).
dpdk::DataplaneEvent ntp_reply_event(const l3::Interface& itf, const wire::DecodedFrame& frame);

}  // namespace wiretime::rx

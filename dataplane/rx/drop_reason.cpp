#include "dataplane/rx/drop_reason.hpp"

namespace wiretime::dpdk {

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::kNotForUs:
      return "not for us";
    case DropReason::kArpNotForUs:
      return "arp not for us";
    case DropReason::kIpv6:
      return "ipv6 not served";
    case DropReason::kNotNtpReply:
      return "ntp not a reply to us";
    case DropReason::kNtpNotTimePacket:
      return "ntp control or private mode";
    case DropReason::kEventRingFull:
      return "event ring full";
    case DropReason::kTxMbufAlloc:
      return "tx mbuf allocation failed";
    case DropReason::kTxEncode:
      return "tx encode failed";
    case DropReason::kTxQueueFull:
      return "tx queue full";
    case DropReason::kNoInterface:
      return "no interface for port/vlan";
    case DropReason::kMulticastNotJoined:
      return "multicast group not joined";
    case DropReason::kUnknownProtocol:
      return "unknown ip protocol";
    case DropReason::kIcmpIgnored:
      return "icmp type ignored";
    case DropReason::kIcmpBadEcho:
      return "icmp echo not answered";
    case DropReason::kNdInvalid:
      return "nd invalid";
    case DropReason::kNdNotForUs:
      return "nd not for us";
    case DropReason::kNtpRequestNotServed:
      return "ntp request not served";
    case DropReason::kNtpUnexpectedMode:
      return "ntp unexpected mode";
    case DropReason::kTxNoRoute:
      return "tx no route";
    case DropReason::kTxNoSourceAddress:
      return "tx no source address";
    case DropReason::kTxNeighborUnresolved:
      return "tx neighbor unresolved";
    case DropReason::kTxHeldReplaced:
      return "tx held request replaced";
    case DropReason::kCount:
      break;
  }
  return "unknown";
}

bool is_rx_drop(DropReason reason) {
  switch (reason) {
    case DropReason::kTxMbufAlloc:
    case DropReason::kTxEncode:
    case DropReason::kTxQueueFull:
    case DropReason::kTxNoRoute:
    case DropReason::kTxNoSourceAddress:
    case DropReason::kTxNeighborUnresolved:
    case DropReason::kTxHeldReplaced:
    case DropReason::kCount:
      return false;
    default:
      return true;
  }
}

std::string_view to_string(RxOutcome outcome) {
  switch (outcome) {
    case RxOutcome::kArpAnswered:
      return "arp request answered";
    case RxOutcome::kArpLearned:
      return "arp reply learned";
    case RxOutcome::kArpGratuitous:
      return "gratuitous arp";
    case RxOutcome::kNdAnswered:
      return "neighbor solicitation answered";
    case RxOutcome::kNdLearned:
      return "neighbor advertisement learned";
    case RxOutcome::kIcmpEchoAnswered:
      return "echo request answered";
    case RxOutcome::kNtpReplyToControl:
      return "ntp reply to control";
    case RxOutcome::kNtpRequestServed:
      return "ntp request served";
    case RxOutcome::kCount:
      break;
  }
  return "unknown";
}

uint64_t DataplaneCounters::rx_accounted() const {
  uint64_t sum = 0;
  for (const auto& c : decode) sum += c.load(std::memory_order_relaxed);
  for (size_t i = 0; i < drop.size(); ++i) {
    if (is_rx_drop(static_cast<DropReason>(i))) sum += drop[i].load(std::memory_order_relaxed);
  }
  for (const auto& c : outcome) sum += c.load(std::memory_order_relaxed);
  return sum;
}

}  // namespace wiretime::dpdk

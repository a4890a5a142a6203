#include "dataplane/dpdk/drop_reason.hpp"

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
    case DropReason::kCount:
      break;
  }
  return "unknown";
}

}  // namespace wiretime::dpdk

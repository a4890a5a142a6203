#include "dataplane/wire/decode_error.hpp"

namespace wiretime::wire {

std::string_view to_string(DecodeError error) {
  switch (error) {
    case DecodeError::kOk:
      return "ok";
    case DecodeError::kLinkHeaderTooShort:
      return "link header too short";
    case DecodeError::kUnknownLinkFamily:
      return "unknown link address family";
    case DecodeError::kEthernetTooShort:
      return "ethernet too short";
    case DecodeError::kTooManyVlanTags:
      return "too many VLAN tags";
    case DecodeError::kUnknownEthertype:
      return "unknown ethertype";
    case DecodeError::kArpTooShort:
      return "ARP too short";
    case DecodeError::kUnsupportedArp:
      return "unsupported ARP hardware or protocol";
    case DecodeError::kBadArpOperation:
      return "bad ARP operation";
    case DecodeError::kIpv4TooShort:
      return "IPv4 too short";
    case DecodeError::kBadIpVersion:
      return "bad IP version";
    case DecodeError::kBadIhl:
      return "bad IPv4 IHL";
    case DecodeError::kBadIpTotalLength:
      return "bad IP length";
    case DecodeError::kBadIpv4Checksum:
      return "bad IPv4 header checksum";
    case DecodeError::kFragment:
      return "IP fragment";
    case DecodeError::kIpv6TooShort:
      return "IPv6 too short";
    case DecodeError::kBadIpv6ExtensionHeader:
      return "bad IPv6 extension header";
    case DecodeError::kGreTooShort:
      return "GRE too short";
    case DecodeError::kUnsupportedGre:
      return "unsupported GRE";
    case DecodeError::kNestedTunnel:
      return "nested tunnel";
    case DecodeError::kNotUdp:
      return "not UDP";
    case DecodeError::kUdpTooShort:
      return "UDP too short";
    case DecodeError::kBadUdpLength:
      return "bad UDP length";
    case DecodeError::kBadUdpChecksum:
      return "bad UDP checksum";
    case DecodeError::kIpv6ZeroUdpChecksum:
      return "zero UDP checksum over IPv6";
    case DecodeError::kNotNtp:
      return "not NTP";
    case DecodeError::kNtpTooShort:
      return "NTP too short";
    case DecodeError::kBadNtpVersion:
      return "bad NTP version";
    case DecodeError::kTruncatedExtensionField:
      return "truncated extension field";
    case DecodeError::kBadExtensionFieldLength:
      return "bad extension field length";
    case DecodeError::kTooManyExtensionFields:
      return "too many extension fields";
    case DecodeError::kBadMacLength:
      return "bad MAC length";
  }
  return "unknown decode error";
}

}  // namespace wiretime::wire

#include "dataplane/rx/kernel_request_stamps.hpp"

namespace wiretime::rx {
namespace {

uint16_t be16(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

constexpr size_t kEthernet = 14;
constexpr size_t kVlanTag = 4;
constexpr size_t kIpv6Header = 40;
constexpr size_t kUdpHeader = 8;
constexpr size_t kNtpHeader = 48;
constexpr size_t kNtpTransmit = 40;  // offset of the transmit timestamp in the NTP header
constexpr uint8_t kUdp = 17;

}  // namespace

std::optional<RequestKey> request_key(std::span<const uint8_t> frame) {
  if (frame.size() < kEthernet) return std::nullopt;
  size_t at = 12;
  uint16_t ethertype = be16(frame, at);
  for (int tags = 0; (ethertype == 0x8100 || ethertype == 0x88a8) && tags < 2; ++tags) {
    at += kVlanTag;
    if (frame.size() < at + 2) return std::nullopt;
    ethertype = be16(frame, at);
  }
  at += 2;  // the network header
  RequestKey key;
  size_t udp = 0;
  if (ethertype == 0x0800) {
    if (frame.size() < at + 20 || (frame[at] >> 4) != 4 || frame[at + 9] != kUdp) {
      return std::nullopt;
    }
    // A fragment's payload is not a datagram's start.
    if ((be16(frame, at + 6) & 0x3fff) != 0) return std::nullopt;
    const size_t header = static_cast<size_t>(frame[at] & 0x0f) * 4;
    if (header < 20) return std::nullopt;
    wire::Ipv4Address source;
    for (size_t i = 0; i < 4; ++i) source.bytes[i] = frame[at + 12 + i];
    key.source = wire::IpAddress::from(source);
    udp = at + header;
  } else if (ethertype == 0x86dd) {
    if (frame.size() < at + kIpv6Header || (frame[at] >> 4) != 6 || frame[at + 6] != kUdp) {
      return std::nullopt;
    }
    wire::Ipv6Address source;
    for (size_t i = 0; i < 16; ++i) source.bytes[i] = frame[at + 8 + i];
    key.source = wire::IpAddress::from(source);
    udp = at + kIpv6Header;
  } else {
    return std::nullopt;
  }
  if (frame.size() < udp + kUdpHeader + kNtpHeader) return std::nullopt;
  const size_t ntp = udp + kUdpHeader;
  if ((frame[ntp] & 0x07) != 3) return std::nullopt;  // mode 3: a client request
  key.source_port = be16(frame, udp);
  for (size_t i = 0; i < 8; ++i) {
    key.transmit = (key.transmit << 8) | frame[ntp + kNtpTransmit + i];
  }
  return key;
}

}  // namespace wiretime::rx

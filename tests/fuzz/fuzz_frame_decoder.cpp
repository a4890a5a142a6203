// libFuzzer target for the wire decoders. The first input byte chooses the decoder options
// (so one corpus covers every link type and option), the rest is the frame. Besides memory
// errors (ASan/UBSan), it checks invariants a caller relies on and traps when one breaks.
#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/rx/kernel_request_stamps.hpp"
#include "dataplane/wire/frame_decoder.hpp"
#include "dataplane/wire/frame_encoder.hpp"
#include "dataplane/wire/ntp_packet.hpp"
#include "tests/unit/wire/decoded_frame_compare.hpp"

namespace {

using namespace wiretime::wire;

bool within(std::span<const uint8_t> inner, std::span<const uint8_t> outer) {
  if (inner.empty()) return true;
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

void check_ntp(const NtpPacket& p, std::span<const uint8_t> input) {
  if (p.extension_count > kMaxExtensionFields) __builtin_trap();
  for (const auto& ef : p.extension_fields()) {
    if (!within(ef.value, input) || ef.value.size() + 4 != ef.length) __builtin_trap();
    if (ef.length < kMinExtensionFieldSize || ef.length % 4 != 0) __builtin_trap();
  }
  if (p.has_mac && (!within(p.mac.digest, input) || p.mac.digest.size() > kMaxMacDigestSize)) {
    __builtin_trap();
  }
}

// Encoding a decoded header and decoding it again must give the same header.
void check_round_trip(const NtpPacket& p) {
  uint8_t buf[kNtpHeaderSize + kMacKeyIdSize + kMaxMacDigestSize];
  const size_t n = encode_ntp(buf, p.header, p.has_mac ? &p.mac : nullptr);
  if (n == 0) __builtin_trap();
  NtpPacket again;
  if (decode_ntp({buf, n}, again) != DecodeError::kOk) __builtin_trap();
  const NtpHeader& a = p.header;
  const NtpHeader& b = again.header;
  if (a.leap != b.leap || a.version != b.version || a.mode != b.mode || a.stratum != b.stratum ||
      a.poll != b.poll || a.precision != b.precision || !(a.root_delay == b.root_delay) ||
      !(a.root_dispersion == b.root_dispersion) || a.reference_id != b.reference_id ||
      !(a.reference == b.reference) || !(a.origin == b.origin) || !(a.receive == b.receive) ||
      !(a.transmit == b.transmit)) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const std::span<const uint8_t> input(data + 1, size - 1);

  if ((selector & 3) == 3) {  // NTP payload only
    NtpPacket p;
    const DecodeError e = decode_ntp(input, p);
    if (static_cast<int>(e) >= kDecodeErrorCount) __builtin_trap();
    if (e == DecodeError::kOk) {
      check_ntp(p, input);
      if (p.is_time_packet) check_round_trip(p);
    }
    return 0;
  }

  FrameDecodeOptions o;
  o.link_type = static_cast<LinkType>(selector & 3);
  o.verify_l4_checksums = (selector & 0x04) != 0;
  o.verify_ipv4_header_checksum = (selector & 0x08) != 0;
  o.decapsulate_gre = (selector & 0x10) != 0;
  o.decode_ntp_on_any_port = (selector & 0x20) != 0;
  o.extra_ntp_port = (selector & 0x40) != 0 ? 4123 : 0;
  const DecodedFrame f = decode_frame(input, o);
  if (static_cast<int>(f.error) >= kDecodeErrorCount) __builtin_trap();
  // The dataplane reuses one record for every frame and its decode clears only the fields no
  // flag guards: decoded into a record that still holds the previous input's frame, every
  // field valid under the contract must equal a fresh decode's.
  static DecodedFrame reused;
  decode_frame(input, o, reused);
  if (!test::first_valid_difference(reused, f).empty()) __builtin_trap();
  if (!within(f.l4, input) || !within(f.udp_payload, input)) __builtin_trap();
  if (f.l4_offset > input.size() || f.vlan_count > kMaxVlanTags) __builtin_trap();
  if (f.error == DecodeError::kNotUdp) {
    // Any echo reply we would send must itself decode, addressed back to the sender.
    static uint8_t reply[4096];
    size_t n = encode_icmp_echo_reply(reply, f);
    if (n == 0) n = encode_icmpv6_echo_reply(reply, f);
    if (n != 0) {
      FrameDecodeOptions eth;
      eth.verify_l4_checksums = true;
      const DecodedFrame r = decode_frame({reply, n}, eth);
      if (r.error != DecodeError::kNotUdp || !(r.src_ip == f.dst_ip) || !(r.dst_ip == f.src_ip) ||
          r.l4.size() != f.l4.size()) {
        __builtin_trap();
      }
    }
  }
  if (f.error == DecodeError::kOk && f.is_ntp) {
    check_ntp(f.ntp, input);
    if (f.ntp.is_time_packet) check_round_trip(f.ntp);
  }
  // The lcore's key of a request in its kernel packet ring reads the frame on its own: where
  // the decoder also found a plain (not tunnelled) Ethernet NTP frame, they must agree.
  if (o.link_type == LinkType::kEthernet) {
    const auto key = wiretime::rx::request_key(input);
    if (key && f.error == DecodeError::kOk && f.is_ntp && !f.tunneled) {
      if (!(key->source == f.src_ip) || key->source_port != f.src_port ||
          key->transmit != f.ntp.header.transmit.raw() || f.ntp.header.mode != NtpMode::kClient) {
        __builtin_trap();
      }
    }
  }
  return 0;
}

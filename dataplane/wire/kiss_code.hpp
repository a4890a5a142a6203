// Kiss-o'-Death codes (RFC 5905 section 7.4, RFC 8915 section 5.7): ASCII in the refid of a
// stratum-0 packet.
#pragma once

#include <cstdint>
#include <string_view>

namespace wiretime::wire {

enum class KissCode : uint8_t {
  kNone = 0,  // stratum != 0, or a zero refid (ordinary unsynchronised client)
  kUnknown,   // stratum 0 with a refid that is not a registered code
  kAcst,
  kAuth,
  kAuto,
  kBcst,
  kCryp,
  kDeny,
  kDrop,
  kRstr,
  kInit,
  kMcst,
  kNkey,
  kNtsn,
  kRate,
  kRmot,
  kStep,
};

// refid value of a four-character ASCII code, e.g. refid_from_ascii("RATE") == 0x52415445.
constexpr uint32_t refid_from_ascii(std::string_view code) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    v = (v << 8) | (i < code.size() ? static_cast<uint8_t>(code[i]) : 0u);
  }
  return v;
}

// Code carried by a packet with the given stratum and refid.
KissCode kiss_code(uint8_t stratum, uint32_t refid);

// Four-letter code ("RATE"); "" for kNone and kUnknown.
std::string_view to_string(KissCode code);

// Codes after which a client must stop sending to the server (RFC 5905 section 7.4).
constexpr bool kiss_means_stop(KissCode c) {
  return c == KissCode::kDeny || c == KissCode::kRstr;
}

}  // namespace wiretime::wire

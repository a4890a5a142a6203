// JSON rendering of a decoded frame for the wiretime-pcap tool (one object per line). Not
// for the hot path: this allocates.
#pragma once

#include <cstdint>
#include <string>

#include "dataplane/time/utc_text.hpp"
#include "dataplane/wire/frame_decoder.hpp"

namespace wiretime::pcap {

// "192.0.2.1", "2001:db8::1" (RFC 5952 compressed form).
std::string format_ip(const wire::IpAddress& address);

// {"frame":N,"time":"...","src":...,"ntp":{...}} or with "error":"<reason>". `frame_number`
// is 1-based; `capture_time` is the pcap record time.
std::string frame_to_json(uint64_t frame_number, UnixNanos capture_time, size_t frame_length,
                          const wire::DecodedFrame& frame);

}  // namespace wiretime::pcap

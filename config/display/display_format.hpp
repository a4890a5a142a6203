#pragma once

#include <cstdint>
#include <string>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime::display {

// Value formats shared by the VRP displays (vrp-ntp-cli.md section 7).

// printf into a std::string.
std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));

// Seconds to milliseconds with `decimals` places: "3.8128" (offsets 4, delays 2).
std::string milliseconds(double seconds, int decimals);

// `HH:MM:SS.mmm UTC Mon D YYYY(XXXXXXXX.XXXXXXXX)`; the era is the one nearest `pivot`, and
// the all-zero "unset" timestamp shows as 1 Jan 1900 as VRP does.
std::string ntp_time(NtpTimestamp t, UnixNanos pivot);

// `2^18` for a precision of -18 s (section 11 Q23: VRP drops the sign).
std::string precision(int8_t log2_seconds);

// Whole seconds for `current poll` and `now` (Q22); the lab's sub-second polls keep their
// fraction ("0.0625") rather than showing 0.
std::string seconds(double value);

// A reference ID as VRP shows it: `LOCAL(u)` for the local reference clock 127.127.1.u,
// `none` when unset, the ASCII code of a stratum 0/1/16 source ("GPS", kiss codes, "INIT"),
// else dotted quad.
std::string reference_id(uint32_t id, uint8_t stratum);

// The same as the raw value `display ntp trace` prints (`127.127.1.0`, no LOCAL(u)).
std::string reference_id_raw(uint32_t id, uint8_t stratum);

}  // namespace wiretime::display

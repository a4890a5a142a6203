// UTC instants as text for logs and tools: the one formatter the daemon's logs and wiretime-pcap
// share. Proleptic Gregorian through std::chrono's calendar, nanoseconds always printed so
// lines align and sort as text. Not for the hot path: this allocates.
#pragma once

#include <string>

#include "dataplane/time/ntp_timestamp.hpp"

namespace wiretime {

// RFC 3339 with nanoseconds: "2017-06-19T14:12:09.516015118Z".
std::string format_utc(UnixNanos t);
// The same instant as two whitespace-separated columns, as chrony's logs write it:
// "2017-06-19 14:12:09.516015118".
std::string format_utc_columns(UnixNanos t);

}  // namespace wiretime

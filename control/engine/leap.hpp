// Leap second handling (RFC 5905 section 7.3 leap indicator, section 11.2.3): the system leap
// is what the majority of the survivors announce; it takes effect at the end of the UTC day.
#pragma once

#include <span>

#include "control/engine/actions.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::engine {

// Strict majority of the survivors' indicators; anything else is kNone.
LeapKind leap_vote(std::span<const wire::LeapIndicator> survivors);

// Start of the next UTC day after `utc` (the instant the leap applies: 23:59:60 begins here
// for an insertion, 23:59:59 is skipped for a deletion).
UnixNanos next_utc_midnight(UnixNanos utc);

}  // namespace wiretime::engine

namespace wiretime::engine {

// True when the UTC day containing `utc` is the last day of its month.
bool ends_month(UnixNanos utc);

}  // namespace wiretime::engine
